// Packages the extension (or reuses a .vsix newer than what goes into it), unzips
// it and checks what VS Code will install: the manifest and its contributions, the
// grammar, snippets and language configuration, the two self-contained bundles,
// and that the bundled server, started from the unpacked copy alone, answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { entriesOf } from '@regnet/compiler';

const EXT = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(EXT);
const VSIX = join(EXT, 'regnet.vsix');
const INPUTS = ['package.json', 'README.md', 'images/screenshot.png', 'language-configuration.json', 'dist/extension.js', 'dist/server.js', 'syntaxes/regnet.tmLanguage.json', 'snippets/regnet.json', '.vscodeignore'];

let unpacked;
let ext; // the unpacked `extension/` folder

function newestInput() {
  return Math.max(...INPUTS.map((f) => (existsSync(join(EXT, f)) ? statSync(join(EXT, f)).mtimeMs : Infinity)));
}

before(() => {
  if (!existsSync(VSIX) || statSync(VSIX).mtimeMs < newestInput()) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['run', 'package', '-w', 'vscode-extension'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
  }
  unpacked = mkdtempSync(join(tmpdir(), 'regnet-vsix-'));
  const r = spawnSync('unzip', ['-q', VSIX, '-d', unpacked], { encoding: 'utf8' });
  assert.equal(r.status, 0, `unzip failed (is the 'unzip' package installed?): ${r.stderr ?? r.error}`);
  ext = join(unpacked, 'extension');
});

after(() => {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

function files(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

const json = (file) => JSON.parse(readFileSync(join(ext, file), 'utf8'));

test('the vsix holds the manifest, bundles, grammar, snippets, configuration, icon and README only', () => {
  assert.ok(existsSync(join(unpacked, 'extension.vsixmanifest')));
  // vsce stores the README as readme.md.
  const inside = files(ext).map((f) => (f.toLowerCase() === 'readme.md' ? 'README.md' : f)).sort();
  for (const f of ['package.json', 'README.md', 'language-configuration.json', 'dist/extension.js', 'dist/server.js', 'syntaxes/regnet.tmLanguage.json', 'snippets/regnet.json', 'images/icon.png', 'images/regnet-file.svg']) {
    assert.ok(inside.includes(f), `${f} is in the vsix (has: ${inside.join(', ')})`);
  }
  // The README's screenshots are packaged too (relative links, shown for local installs).
  const readme = readFileSync(join(ext, files(ext).find((f) => f.toLowerCase() === 'readme.md')), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 1, 'the README shows a screenshot');
  for (const image of images) assert.ok(inside.includes(image), `${image} (from the README) is in the vsix`);
  for (const f of inside) {
    assert.ok(!/^(src|test|scripts|node_modules)\//.test(f) && !f.endsWith('.map') && !f.endsWith('.ts'), `${f} should not be packaged`);
  }
});

test('the manifest contributes the language, grammar, snippets, commands and settings', () => {
  const pkg = json('package.json');
  assert.equal(`${pkg.publisher}.${pkg.name}`, 'regnet.regnet-vscode');
  assert.equal(pkg.main, './dist/extension.js');
  const lang = pkg.contributes.languages[0];
  assert.equal(lang.id, 'regnet');
  assert.deepEqual(lang.extensions, ['.regnet']);
  assert.ok(existsSync(join(ext, lang.configuration)) && existsSync(join(ext, lang.icon.light)));
  assert.deepEqual(pkg.contributes.grammars, [{ language: 'regnet', scopeName: 'source.regnet', path: './syntaxes/regnet.tmLanguage.json' }]);
  assert.ok(existsSync(join(ext, pkg.contributes.snippets[0].path)));
  const commands = Object.fromEntries(pkg.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
  assert.equal(commands['regnet.train'], 'RegNet: Train this spec');
  assert.equal(commands['regnet.showSummary'], 'RegNet: Show model summary');
  assert.equal(commands['regnet.explain'], 'RegNet: Explain');
  const settings = pkg.contributes.configuration.properties;
  for (const key of ['regnet.server.path', 'regnet.regnetc.path', 'regnet.inlayHints.enabled']) assert.ok(settings[key], key);
  const lc = json('language-configuration.json');
  assert.equal(lc.comments.lineComment, '#');
  const snippets = json('snippets/regnet.json');
  assert.ok(Object.values(snippets).every((s) => s.prefix && Array.isArray(s.body)));
});

test('the grammar highlights every layer of the catalogue, and its patterns compile', () => {
  const grammar = json('syntaxes/regnet.tmLanguage.json');
  assert.equal(grammar.scopeName, 'source.regnet');
  const layer = new RegExp(grammar.repository.layer.match);
  for (const e of entriesOf('layer')) assert.ok(layer.test(e.name), `layer ${e.name} highlighted`);
  const regexes = [];
  const collect = (node) => {
    if (!node || typeof node !== 'object') return;
    for (const key of ['match', 'begin', 'end']) if (typeof node[key] === 'string') regexes.push(node[key]);
    for (const v of Object.values(node)) collect(v);
  };
  collect(grammar);
  for (const source of regexes) assert.doesNotThrow(() => new RegExp(source), source);
  assert.match('# a comment', new RegExp(grammar.repository.comment.match));
  assert.match('1e-4', new RegExp(grammar.repository.number.match));
});

test('both bundles are self-contained: they require only Node built-ins (and vscode, for the client)', () => {
  const allowed = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  for (const [file, extra] of [['dist/extension.js', ['vscode']], ['dist/server.js', []]]) {
    const code = readFileSync(join(ext, file), 'utf8');
    const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    const foreign = [...new Set(required)].filter((m) => !allowed.has(m) && !extra.includes(m));
    assert.deepEqual(foreign, [], `${file} requires modules that are not bundled`);
  }
  assert.match(readFileSync(join(ext, 'dist/extension.js'), 'utf8'), /regnet\/summary/);
});

test('the bundled server, run from the unpacked vsix, answers initialize, diagnostics and hover', async () => {
  const child = spawn(process.execPath, [join(ext, 'dist', 'server.js'), '--stdio'], { cwd: unpacked, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(join(unpacked, 'spec.regnet')).href;
  const diagnostics = new Promise((resolve) => connection.onNotification('textDocument/publishDiagnostics', (p) => p.uri === uri && resolve(p.diagnostics)));
  connection.listen();
  try {
    const init = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo.name, 'regnet-language-server');
    // The bundle reports the language server's real version (compiled in by build.mjs).
    assert.equal(init.serverInfo.version, JSON.parse(readFileSync(new URL('../../language-server/package.json', import.meta.url), 'utf8')).version);
    assert.ok(init.capabilities.hoverProvider && init.capabilities.completionProvider && init.capabilities.inlayHintProvider);
    await connection.sendNotification('initialized', {});
    const text = 'model {\n  desne(10)\n}\ndata {\n  source: mnist()\n}\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'regnet', version: 1, text } });
    const got = await diagnostics;
    const errors = got.filter((d) => d.severity === 1);
    assert.deepEqual(errors.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['RN201', 1, 2]]);
    const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 11 } });
    assert.match(hover.contents.value, /handwritten digits/);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    child.kill();
  }
  assert.equal(stderr, '');
});
