// Every relative link in every markdown file of the repository resolves: the file exists,
// and a `#anchor` names a heading or an `<a id>` of the target. Nothing points outside the
// repository (the language's docs live in docs/, not in a sibling folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Installed, generated or machine-local folders: not the project's own text. */
const SKIP = new Set(['node_modules', '.git', 'dist', '.e2e-tools', 'test-output', 'runs', 'out']);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
export function anchorsOf(markdown) {
  const anchors = new Set();
  const seen = new Map();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = heading[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-');
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

/** Inline links and images `[text](target)` and reference definitions `[x]: target`, outside code. */
export function linksOf(markdown) {
  const links = [];
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) return;
    const text = line.replace(/`[^`]*`/g, '');
    for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1], line: i + 1 });
    const def = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(text);
    if (def) links.push({ target: def[1], line: i + 1 });
  });
  return links;
}

const files = walk(ROOT);
const markdown = files.filter((f) => f.endsWith('.md'));

test('every relative link in every markdown file resolves, anchors included', () => {
  assert.ok(markdown.length >= 10, `found only ${markdown.length} markdown files`);
  const broken = [];
  for (const file of markdown) {
    for (const { target, line } of linksOf(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, vscode: ...
      const [pathPart, anchor] = target.split('#');
      const where = `${relative(ROOT, file)}:${line}: ${target}`;
      const resolved = pathPart ? resolve(dirname(file), decodeURI(pathPart)) : file;
      if (!resolved.startsWith(ROOT + sep) && resolved !== ROOT) {
        broken.push(`${where} (outside the repository)`);
        continue;
      }
      if (!existsSync(resolved)) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push(`${where} (no heading or <a id> '${anchor}' in ${relative(ROOT, resolved)})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

test('nothing in the repository points to a folder outside it (../shared, /work/shared)', () => {
  const offenders = [];
  for (const file of files) {
    if (!/\.(md|ts|mjs|js|json|sh|ya?ml|regnet|py)$/.test(file) || file.endsWith('package-lock.json')) continue;
    if (file === fileURLToPath(import.meta.url)) continue; // this test names the patterns
    const text = readFileSync(file, 'utf8');
    text.split('\n').forEach((line, i) => {
      if (/\.\.\/shared\/|\/work\/shared/.test(line)) offenders.push(`${relative(ROOT, file)}:${i + 1}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test('the link checker itself: anchors and links as GitHub reads them', () => {
  const md = '# The `.regnet` language\n## 7. What the compiler rejects\n## Notes\n## Notes\n<a id="layer-dense"></a>\n```\n# not a heading\n```\n';
  assert.deepEqual([...anchorsOf(md)], ['the-regnet-language', '7-what-the-compiler-rejects', 'notes', 'notes-1', 'layer-dense']);
  assert.deepEqual(linksOf('see [a](docs/a.md#x) and ![b](img.png "t") but not `[c](d)`\n[ref]: ../x.md'), [
    { target: 'docs/a.md#x', line: 1 },
    { target: 'img.png', line: 1 },
    { target: '../x.md', line: 2 },
  ]);
});
