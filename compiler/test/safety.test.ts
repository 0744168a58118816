// A shared spec is untrusted input (issue 10): it reads data only under its own
// folder unless the user allows more, its diagnostics never show a data file's
// content, it cannot make the tools consume unbounded memory or time, and no input
// makes parse() or check() throw. One test per finding, named after it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { compile, format, parse, resolveDataPath } from '../src/index.js';
import { coverAll } from '../src/parser/build-ast.js';
import { at, check, expectNoErrors, expectOne, FIXTURES } from './check-helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'regnet-safety-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A project: project/spec.regnet, project/iris.csv, and outside/secret.csv next to it. */
function project() {
  const root = tempDir();
  const dir = join(root, 'project');
  const outside = join(root, 'outside');
  mkdirSync(dir);
  mkdirSync(outside);
  const csv = 'x1,x2,species\n1,2,setosa\n3,4,virginica\n';
  writeFileSync(join(dir, 'iris.csv'), csv);
  writeFileSync(join(outside, 'secret.csv'), 'x1,x2,password\n1,2,hunter2\n3,4,swordfish\n');
  return { dir, outside, spec: join(dir, 'spec.regnet') };
}

const csvSpec = (path: string) => `model { dense(2) }\ndata { source: csv(${JSON.stringify(path)}) }\n`;

test("refuses csv('/etc/passwd') with RN604 at the path, saying how to allow it", () => {
  const { spec } = project();
  const d = expectOne(csvSpec('/etc/passwd'), 'RN604', '2:20-2:33', 'error', { file: spec });
  assert.match(d.message, /^data path '\/etc\/passwd' is refused: an absolute path outside the spec's folder .*--data-root DIR \(or REGNET_DATA_ROOT\).*regnet\.dataRoots/);
  // Nothing of the file reaches the IR.
  const result = compile(csvSpec('/etc/passwd'), { file: spec });
  assert.equal(result.ir, undefined);
});

test("refuses csv('../../../../etc/passwd'): a relative path leaving the spec's folder", () => {
  const { spec } = project();
  const d = expectOne(csvSpec('../../../../etc/passwd'), 'RN604', '2:20-2:44', 'error', { file: spec });
  assert.match(d.message, /it leaves the spec's folder/);
  expectOne(csvSpec('../outside/secret.csv'), 'RN604', '2:20-2:43', 'error', { file: spec });
});

test('refuses a symlink inside the folder whose real path leaves it', () => {
  const { dir, outside, spec } = project();
  symlinkSync(join(outside, 'secret.csv'), join(dir, 'link.csv'));
  symlinkSync(outside, join(dir, 'linked-folder'));
  expectOne(csvSpec('link.csv'), 'RN604', '2:20-2:30', 'error', { file: spec });
  expectOne(csvSpec('linked-folder/secret.csv'), 'RN604', '2:20-2:46', 'error', { file: spec });
  // A link that stays inside is fine.
  symlinkSync(join(dir, 'iris.csv'), join(dir, 'alias.csv'));
  expectNoErrors(csvSpec('alias.csv'), { file: spec });
});

test("refuses images('/') and image files that link outside the folder", () => {
  const { dir, outside, spec } = project();
  const text = `model { flatten dense(2) }\ndata { source: images("/") }\n`;
  expectOne(text, 'RN604', '2:23-2:26', 'error', { file: spec });
  mkdirSync(join(dir, 'pets', 'cat'), { recursive: true });
  writeFileSync(join(outside, 'x.png'), 'not an image');
  symlinkSync(join(outside, 'x.png'), join(dir, 'pets', 'cat', 'a.png'));
  const d = expectOne(`model { flatten dense(1) }\ndata { source: images("pets") }\n`, 'RN604', '2:23-2:29', 'error', { file: spec });
  assert.match(d.message, /a link to a file outside the allowed folders/);
});

test('refuses idx and text paths outside the folder, and validation/test sources', () => {
  const { spec } = project();
  const idx = `model { flatten dense(2) }\ndata { source: idx(images: "/etc/a", labels: "/etc/b") }\n`;
  assert.deepEqual(check(idx, { file: spec }).diagnostics.filter((d) => d.code === 'RN604').map(at), ['2:28-2:36', '2:46-2:54']);
  const text = `model { embedding(100, 8) flatten dense(2) }\ndata { source: text("/etc/hosts", vocab: 100) }\n`;
  expectOne(text, 'RN604', '2:21-2:33', 'error', { file: spec });
  const test2 = `model { dense(2) }\ndata { source: csv("iris.csv") test: csv("/etc/passwd") }\n`;
  expectOne(test2, 'RN604', '2:42-2:55', 'error', { file: spec });
});

test('--data-root (dataRoots) allows a folder outside the spec; symlinks into it are judged by real path', () => {
  const { outside, spec } = project();
  expectNoErrors(csvSpec(join(outside, 'secret.csv')), { file: spec, dataRoots: [outside] });
  expectNoErrors(csvSpec('../outside/secret.csv'), { file: spec, dataRoots: [outside] });
  assert.equal(resolveDataPath('/etc/passwd', { specDir: outside, roots: [] }).ok, false);
  assert.equal(resolveDataPath('secret.csv', { specDir: outside }).ok, true);
});

test('sweep values that are paths are checked at check time', () => {
  const { spec } = project();
  const text = `let file = "iris.csv"\nmodel { dense(2) }\ndata { source: csv(file) }\nsweep { file: ["iris.csv", "/etc/passwd"] }\n`;
  expectOne(text, 'RN604', '4:28-4:41', 'error', { file: spec });
  const calls = `let src = csv("iris.csv")\nmodel { dense(2) }\ndata { source: src }\nsweep { src: [csv("iris.csv"), csv("/etc/shadow")] }\n`;
  expectOne(calls, 'RN604', '4:36-4:49', 'error', { file: spec });
});

test('an untitled document (no folder) reads no relative data path: one RN605 note', () => {
  const d = expectOne(csvSpec('iris.csv'), 'RN605', '2:20-2:30', 'info');
  assert.match(d.message, /never saved/);
  // Without a folder nothing is allowed but explicit data roots.
  expectOne(csvSpec(join(FIXTURES, 'iris.csv')), 'RN604', '2:20-' + `2:${20 + JSON.stringify(join(FIXTURES, 'iris.csv')).length}`, 'error');
  expectNoErrors(csvSpec(join(FIXTURES, 'iris.csv')).replace('dense(2)', 'dense(3)'), { dataRoots: [FIXTURES] });
});

test('inspectData: false with a notice (untrusted workspace) reads nothing and says so once', () => {
  const { spec } = project();
  const text = `model { dense(2) }\ndata { source: csv("iris.csv") test: csv("iris.csv") }\n`;
  const d = expectOne(text, 'RN605', '2:20-2:30', 'info', { file: spec, inspectData: false, dataNotice: 'untrusted workspace: data files are not read' });
  assert.equal(d.message, 'untrusted workspace: data files are not read');
});

test('RN602/RN603 never print values or header lines of a data file', () => {
  const { outside } = project();
  const spec = join(outside, 'spec.regnet');
  writeFileSync(join(outside, 'bad.csv'), 'x1,x2,password\n1,2,hunter2\n3,swordfish,x\n');
  const all = [
    ...check(csvSpec('bad.csv'), { file: spec }).diagnostics,
    ...check(`model { dense(2) }\ndata { source: csv("secret.csv", label: "nope") }`, { file: spec }).diagnostics,
    ...check(`model { dense(2) }\ndata { source: csv("secret.csv", features: ["nope"]) }`, { file: spec }).diagnostics,
  ];
  assert.deepEqual(all.filter((d) => d.severity === 'error').map((d) => d.message), [
    'bad.csv line 3: column 2 does not hold a number (features must be numeric)',
    "secret.csv has no column 'nope' for the label",
    "secret.csv has no column 'nope'",
  ]);
  for (const d of all) assert.doesNotMatch(d.message, /hunter2|swordfish|password|x1, x2/);
  writeFileSync(join(outside, 'bad.jsonl'), '{"text": "hunter2", "label": 1}\n{"text": hunter2}\n');
  const jsonl = check(`model { embedding(100, 8) flatten dense(2) }\ndata { source: text("bad.jsonl", vocab: 100) }`, { file: spec }).diagnostics;
  assert.deepEqual(jsonl.filter((d) => d.code === 'RN602').map((d) => d.message), ['bad.jsonl line 2: not valid JSON']);
});

test('check does not overflow on a CSV of 10^6 numeric-label rows (no Math.max(...values))', () => {
  const dir = tempDir();
  const rows = ['x,label'];
  for (let i = 0; i < 1_000_000; i++) rows.push(`${i % 7},${i % 10}`);
  writeFileSync(join(dir, 'big.csv'), rows.join('\n'));
  const result = check(csvSpec('big.csv').replace('dense(2)', 'dense(10)'), { file: join(dir, 'spec.regnet') });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.equal(result.model.data?.classes, 10);
});

test('10^6 ranges: cover (once spread into a call, which overflowed the stack at 130,000 layers)', () => {
  const ranges = Array.from({ length: 1_000_000 }, (_, i) => ({ start: { line: 1, column: i + 1, offset: i }, end: { line: 1, column: i + 2, offset: i + 1 } }));
  assert.deepEqual(coverAll(ranges), { start: ranges[0]!.start, end: ranges[999_999]!.end });
  // The parser uses it for every block, list and argument list (a smaller block here: parsing is ~50 µs a layer).
  const result = parse(`model { ${'dropout(0.1) '.repeat(20_000)} dense(2) }`);
  assert.deepEqual(result.diagnostics, []);
  assert.equal(result.ast.decls[0]?.kind === 'model' && result.ast.decls[0].layers.length, 20_001);
});

test('brackets nested 100,000 deep: RN106, and parse/check/format do not throw', () => {
  for (const [open, close] of [['[', ']'], ['(', ')'], ['repeat(2) {', '}']]) {
    const text = `model { dense(${open!.repeat(100_000)}1${close!.repeat(100_000)}) }\ndata { source: mnist() }`;
    const result = check(text);
    const deep = result.diagnostics.filter((d) => d.code === 'RN106');
    assert.equal(deep.length, 1, open);
    assert.equal(deep[0]!.message, 'brackets nested more than 100 deep: what is inside is not read');
    assert.ok(!result.diagnostics.some((d) => d.code === 'RN990'));
    format(text);
  }
  // Deep but within the bound: no RN106.
  assert.ok(!check(`let x = ${'['.repeat(50)}1${']'.repeat(50)}`).diagnostics.some((d) => d.code === 'RN106'));
});

test('dense(1e15) is refused with RN308 (too many parameters), overridable', () => {
  const text = `model { flatten dense(1e15) dense(10) }\ndata { source: mnist() }`;
  const d = expectOne(text, 'RN308', '1:1-1:6', 'error');
  assert.match(d.message, /^this model has [0-9.e+]+ parameters, more than the limit of 100,000,000: .*--limit params=N or REGNET_MAX_PARAMS=N/);
  expectNoErrors(`model { flatten dense(1000) dense(10) }\ndata { source: mnist() }`);
  // --set width=60000: two 60000-wide layers.
  const wide = `let width = 64\nmodel { flatten dense(width) dense(width) dense(10) }\ndata { source: mnist() }`;
  expectOne(wide, 'RN308', '2:1-2:6', 'error', { overrides: { width: 60000 } });
  expectNoErrors(wide, { overrides: { width: 60000 }, limits: { params: 1e10, memory: 1e12 } });
});

test('estimated training memory over the limit is RN308 too (activations of a big batch)', () => {
  const text = `model { conv2d(512, padding: same) conv2d(512, padding: same) flatten dense(10) }\ndata { source: mnist() }\ntrain { batch_size: 4096 }`;
  const d = expectOne(text, 'RN308', '1:1-1:6', 'error');
  assert.match(d.message, /^training this model needs about [0-9.]+ GiB .* more than the limit of 8 GiB/);
  expectNoErrors(text.replace('4096', '8'));
});

test('a sweep of 10 keys × 10 values is refused at check with RN309, overridable', () => {
  const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
  const lets = keys.map((k) => `let ${k} = 0.1`).join('\n');
  const uses = keys.map((k) => `dropout(${k})`).join(' ');
  const sweep = `sweep { ${keys.map((k) => `${k}: [${Array.from({ length: 10 }, (_, i) => (i / 20).toFixed(2)).join(', ')}]`).join(' ')} }`;
  const text = `${lets}\nmodel { flatten ${uses} dense(10) }\ndata { source: mnist() }\n${sweep}\n`;
  const d = expectOne(text, 'RN309', '13:1-13:6', 'error');
  assert.match(d.message, /^this sweep asks for 10,000,000,000 trials \(10 × 10 × .*\), more than the limit of 1,000: .*--limit trials=N or REGNET_MAX_TRIALS=N/);
  expectNoErrors(text, { limits: { trials: 1e11 } });
});

test('a 1 MB gzip expanding to 1 GiB is refused quickly with RN606 (bounded decompression)', () => {
  const dir = tempDir();
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0x40, 0, 0, 0, 1, 0, 0, 0, 1, 0]); // 16384 x 256 x 256 bytes = 1 GiB
  // Gzip members concatenated decompress to the concatenation: 1 GiB of zeros from 16 copies of one member.
  const zeros = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  const bomb = Buffer.concat([gzipSync(header), ...Array.from({ length: 16 }, () => zeros)]);
  assert.ok(bomb.length < 2 * 1024 * 1024);
  writeFileSync(join(dir, 'bomb-images.gz'), bomb);
  writeFileSync(join(dir, 'labels'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 1, 0]));
  const started = performance.now();
  const text = `model { flatten dense(1) }\ndata { source: idx(images: "bomb-images.gz", labels: "labels") }`;
  const d = expectOne(text, 'RN606', '2:28-2:44', 'error', { file: join(dir, 'spec.regnet'), limits: { dataBytes: 16 * 1024 * 1024 } });
  assert.match(d.message, /^bomb-images\.gz expands to more than the 16 MiB read for checking: .*--limit data-bytes=N or REGNET_MAX_DATA_BYTES=N/);
  assert.ok(performance.now() - started < 5000);
});

test('after RN104 (number too large) RN506 does not add "learning rate Infinity is very high"', () => {
  const text = `model { flatten dense(10) }\ndata { source: mnist() }\ntrain { optimizer: sgd(lr: 1e999) }`;
  const result = check(text);
  assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code), ['RN104']);
});

test('1e-400 (rounds to 0) gets the RN107 warning instead of silently becoming 0', () => {
  const text = `model { flatten dense(10) }\ndata { source: mnist() }\ntrain { optimizer: adamw(weight_decay: 1e-400) }`;
  const d = expectOne(text, 'RN107', '3:40-3:46', 'warning');
  assert.equal(d.message, "number '1e-400' is too small to represent: it rounds to 0 (write 0 if that is meant)");
  assert.ok(!check('let x = 0.0\nlet y = 0e5').diagnostics.some((x) => x.code === 'RN107'));
});
