// `regnetc export --torch` and `check --engine torch`, without running torch: a shared
// spec's strings (even Python-looking ones) end up only in JSON, the Python files are the
// static sources byte for byte; constructs the torch engine cannot run are refused with
// RN701 at their location. Wall time: ~4 s.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON_SOURCES } from '../src/engines/torch/export.js';
import { REGNETC } from './torch-helpers.js';
import { engineSupportTable } from '../src/engines/support-table.js';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'regnet-torch-export-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

function regnetc(args: string[]) {
  return spawnSync(process.execPath, [REGNETC, ...args], { encoding: 'utf8', cwd: root });
}

const EVIL_COLUMN = "__import__('os').system('touch PWNED')";
const EVIL_CONSTANT = `"""; import os; os.system('touch PWNED2') #`;

test('export --torch: spec values travel as data; the Python files are the static sources, byte for byte', () => {
  const rows = ['x1,x2,' + EVIL_COLUMN];
  for (let i = 0; i < 40; i++) rows.push(`${(i % 7) / 7},${(i % 5) / 5},${i % 2}`);
  writeFileSync(join(root, 'evil.csv'), rows.join('\n') + '\n');
  writeFileSync(
    join(root, 'evil.regnet'),
    `let note = ${JSON.stringify(EVIL_CONSTANT)}
model m { dense(4, activation: relu) dense(2) }
data { source: csv("evil.csv", label: ${JSON.stringify(EVIL_COLUMN)}) }
train { epochs: 1 }
`,
  );
  const run = regnetc(['export', 'evil.regnet', '--torch', '-o', 'out']);
  assert.equal(run.status, 0, run.stderr);
  const out = join(root, 'out');
  const files = readdirSync(out);
  for (const file of readdirSync(PYTHON_SOURCES).filter((f) => f.endsWith('.py'))) {
    assert.ok(files.includes(file), `${file} exported`);
    assert.equal(readFileSync(join(out, file), 'utf8'), readFileSync(join(PYTHON_SOURCES, file), 'utf8'), `${file} is the static source`);
  }
  for (const file of files) {
    const text = readFileSync(join(out, file)).toString('latin1');
    const carries = text.includes("__import__('os')") || text.includes('PWNED2');
    assert.equal(carries, file === 'ir.json', `${file} ${carries ? 'contains' : 'lacks'} the spec's strings`);
  }
  const ir = JSON.parse(readFileSync(join(out, 'ir.json'), 'utf8'));
  assert.equal(ir.constants.note, EVIL_CONSTANT);
  assert.equal(ir.data.source.args.label, EVIL_COLUMN);
});

test('check --engine torch: a construct the torch engine cannot run is RN701 at its location; tfjs accepts it', () => {
  writeFileSync(join(root, 'docs.csv'), 'text,label\nthe cat sat,a\na dog ran,b\n');
  writeFileSync(
    join(root, 'text.regnet'),
    `model m { embedding(100, 8) global_avgpool dense(2) }
data {
  source: text("docs.csv", text: "text", label: "label", vocab: 100, length: 6)
  augment { synonym(p: 0.1) word_swap(n: 1) }
}
train { epochs: 1 }
`,
  );
  const torch = regnetc(['check', 'text.regnet', '--engine', 'torch']);
  assert.equal(torch.status, 1);
  assert.match(torch.stderr, /text\.regnet:4:13: error RN701: synonym does not run on the torch engine: train this spec on the tfjs engine/);
  assert.match(torch.stderr, /text\.regnet:4:29: error RN701: word_swap does not run on the torch engine/);
  const tfjs = regnetc(['check', 'text.regnet']);
  assert.doesNotMatch(tfjs.stderr, /RN701/);
  const train = regnetc(['train', 'text.regnet', '--engine', 'torch', '-o', 'runs/t']);
  assert.equal(train.status, 1);
  assert.match(train.stderr, /error RN701: synonym/);
  assert.match(train.stderr, /regnetc: not training/);
  const bad = regnetc(['check', 'text.regnet', '--engine', 'jax']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--engine must be one of tfjs, torch, not 'jax'/);
});

test('docs/engines.md lists every construct with its status on both engines, as the catalogue says', () => {
  const doc = readFileSync(new URL('../../../docs/engines.md', import.meta.url), 'utf8');
  const table = engineSupportTable();
  assert.ok(doc.endsWith(table), 'the table at the end of docs/engines.md is engineSupportTable() (regenerate it)');
  assert.match(table, /\| `synonym` \| augmentation \| yes \| no \(RN701\)/);
  assert.match(table, /\| `lstm` \| layer \| yes \| yes \|/);
});
