// What travels with a queued sweep, without Redis: the spec and its data files stored
// once by content, refused when outside the spec's folder; a worker writes only
// inside its folder; run directories travel with their paths made local again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { compile } from '@regnet/compiler';
import { collectBundle, materializeBundle, outsidePaths } from '../src/queue/bundle.js';
import { RunReader, decodeRun, encodeRun, packDir, trialPaths, unpackDir } from '../src/queue/run-pack.js';
import { tempDir, writeSpec } from './run-helpers.js';

const SPEC = `let file = "a.csv"
model { dense(2) }
data { source: csv(file, label: "label") }
sweep { file: ["a.csv", "b.csv", "sub/c.csv"] }
`;

function irFor(spec: string, file: string) {
  const ir = compile(readFileSync(spec, 'utf8'), { file: spec, overrides: { file } }).ir;
  assert.ok(ir, file);
  return ir;
}

/** The three hash commands materializeBundle uses, over a Map. */
function fakeRedis(fields: Map<string, string | Buffer>): Redis {
  const get = (_key: string, field: string) => Promise.resolve(fields.get(field) ?? null);
  return {
    hget: (key: string, field: string) => get(key, field).then((v) => (v === null ? null : v.toString())),
    hgetBuffer: (key: string, field: string) => get(key, field).then((v) => (v === null ? null : Buffer.from(v))),
  } as unknown as Redis;
}

test('a bundle stores each distinct file once, by SHA-256, and refuses data outside the spec folder', () => {
  const dir = tempDir('regnet-bundle-');
  const csv = 'x,label\n1,a\n2,b\n';
  writeFileSync(join(dir, 'a.csv'), csv);
  writeFileSync(join(dir, 'b.csv'), csv); // same content as a.csv
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'c.csv'), 'x,label\n3,a\n4,b\n');
  const spec = writeSpec(dir, 'files.regnet', SPEC);
  const irs = ['a.csv', 'b.csv', 'sub/c.csv', 'a.csv'].map((f) => irFor(spec, f));
  const bundle = collectBundle(spec, readFileSync(spec, 'utf8'), irs);
  assert.deepEqual(Object.keys(bundle.files).sort(), ['a.csv', 'b.csv', 'sub/c.csv']);
  assert.equal(bundle.files['a.csv'], bundle.files['b.csv'], 'same content, same hash');
  assert.equal(bundle.blobs.size, 2, 'two distinct contents stored');

  const outside = tempDir('regnet-bundle-out-');
  writeFileSync(join(outside, 'x.csv'), csv);
  const ir = compile(readFileSync(spec, 'utf8'), { file: spec, overrides: { file: join(outside, 'x.csv') }, dataRoots: [outside] }).ir!;
  assert.throws(() => collectBundle(spec, '', [ir]), /data file .*x\.csv is outside the spec's folder .*: a sweep on a queue sends only the files under the spec's folder/);
  assert.deepEqual(outsidePaths(ir, dir), [join(outside, 'x.csv')], 'a worker would refuse it too');
});

test('a worker writes the bundle only inside its folder and checks every file against its hash', async () => {
  const dir = tempDir('regnet-bundle-');
  writeFileSync(join(dir, 'a.csv'), 'x,label\n1,a\n2,b\n');
  const spec = writeSpec(dir, 'files.regnet', SPEC);
  const bundle = collectBundle(spec, readFileSync(spec, 'utf8'), [irFor(spec, 'a.csv')]);
  const fields = new Map<string, string | Buffer>([['spec', bundle.spec], ['spec_name', bundle.specName], ['files', JSON.stringify(bundle.files)]]);
  for (const [hash, content] of bundle.blobs) fields.set(`blob:${hash}`, content);
  const root = join(tempDir('regnet-worker-'), 'spec');
  const specPath = await materializeBundle(fakeRedis(fields), 'k', root);
  assert.equal(specPath, join(root, 'files.regnet'));
  assert.equal(readFileSync(join(root, 'a.csv'), 'utf8'), 'x,label\n1,a\n2,b\n');

  const hash = bundle.files['a.csv']!;
  for (const bad of ['../escape.csv', '/etc/x.csv', 'sub/../../x.csv']) {
    fields.set('files', JSON.stringify({ [bad]: hash }));
    await assert.rejects(materializeBundle(fakeRedis(fields), 'k', root), new RegExp(`refusing bundle path '${bad.replace(/[.*/]/g, '\\$&')}'`));
  }
  fields.set('files', JSON.stringify({ 'a.csv': hash }));
  fields.set(`blob:${hash}`, 'tampered');
  await assert.rejects(materializeBundle(fakeRedis(fields), 'k', root), /the sweep's file a\.csv is missing or damaged/);
});

test("a packed run directory unpacks with the other machine's paths", () => {
  const worker = tempDir('regnet-pack-');
  const specFolder = join(worker, 'spec');
  const run = join(worker, 'runs', '0');
  mkdirSync(join(run, 'model'), { recursive: true });
  writeFileSync(join(run, 'summary.json'), JSON.stringify({ spec_file: join(specFolder, 's.regnet') }));
  writeFileSync(join(run, 'train.log'), `training 2 epochs into ${run}\n`);
  writeFileSync(join(run, 'model', 'weights.bin'), Buffer.from([0, 1, 2, 255]));
  writeFileSync(join(run, 'summary.json.tmp-123'), 'half-written');
  const packed = packDir(run, trialPaths(specFolder, run));
  const files = decodeRun(packed);
  assert.deepEqual([...files.keys()].sort(), ['model/weights.bin', 'summary.json', 'train.log']);
  for (const content of files.values()) assert.ok(!content.includes(worker), 'no path of the packing machine inside');
  assert.throws(() => unpackDir(Buffer.from('{"a":1}'), join(worker, 'x'), {}), /not a packed run directory of this RegNet version/);
  assert.throws(() => decodeRun(packed.subarray(0, packed.length - 1)), /damaged/);

  const home = tempDir('regnet-home-');
  const trialDir = join(home, 'sweep', 'w=1,rep0');
  unpackDir(packed, trialDir, trialPaths(home, trialDir));
  assert.deepEqual(JSON.parse(readFileSync(join(trialDir, 'summary.json'), 'utf8')), { spec_file: join(home, 's.regnet') });
  assert.equal(readFileSync(join(trialDir, 'train.log'), 'utf8'), `training 2 epochs into ${trialDir}\n`);
  assert.deepEqual([...readFileSync(join(trialDir, 'model', 'weights.bin'))], [0, 1, 2, 255]);
  assert.throws(() => readFileSync(join(trialDir, 'summary.json.tmp-123')), /ENOENT/, 'temp files stay behind');
});

test('a run directory read after every epoch: only files replaced since the last read are read again; large binaries travel as they are', () => {
  const run = tempDir('regnet-pack-');
  mkdirSync(join(run, 'state'));
  writeFileSync(join(run, 'ir.json'), JSON.stringify({ dir: run }));
  const weights = Buffer.alloc(100_000, 7);
  writeFileSync(join(run, 'state', 'weights.bin'), weights);
  const reader = new RunReader(run, trialPaths('/nowhere', run));
  const first = new Map(reader.read().map((f) => [f.rel, f]));
  assert.equal(first.get('state/weights.bin')!.gzipped, false, 'floats barely compress: stored raw');
  assert.equal(first.get('ir.json')!.gzipped, true);
  // The next epoch replaces state/ (a new file, as writeDirAtomic does); ir.json stays.
  const next = Buffer.alloc(100_000, 8);
  writeFileSync(join(run, 'state', 'weights.bin.tmp-1'), next);
  renameSync(join(run, 'state', 'weights.bin.tmp-1'), join(run, 'state', 'weights.bin'));
  const second = new Map(reader.read().map((f) => [f.rel, f]));
  assert.equal(second.get('ir.json'), first.get('ir.json'), 'unchanged: not read again');
  assert.notEqual(second.get('state/weights.bin'), first.get('state/weights.bin'));
  const decoded = decodeRun(encodeRun([...second.values()]));
  assert.deepEqual(decoded.get('state/weights.bin'), next);
  assert.equal(decoded.get('ir.json')!.toString(), JSON.stringify({ dir: '<regnet:run-folder>' }));
});
