// The compiler-facing commands of `regnetc`, run as a user runs them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(REPO, 'runtime', 'bin', 'regnetc.js');

function regnetc(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'regnetc-cli-'));
function spec(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const GOOD = spec(
  'good.regnet',
  `let p = 0.5
model mlp {
  flatten
  dense(128, activation: relu)
  dropout(p)
  dense(10)
}
data { source: mnist() }
train { optimizer: adamw(lr: 0.001) }
`,
);

const BAD = spec(
  'bad.regnet',
  `model {
  flatten
  dens(128, activation: relu)
  dropout(1.2)
  dense(10)
}
data { source: mnist() }
train { optimizer: adam(lr: 0.01) regularizer: l2(0.001) }
`,
);

test('check: a valid spec exits 0; its informational note (RN901) only with --verbose', () => {
  const r = regnetc('check', GOOD);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /RN901/);
  assert.equal(r.stderr, '0 errors, 0 warnings (1 note not shown: --verbose shows it)\n');
  const verbose = regnetc('check', GOOD, '--verbose');
  assert.match(verbose.stderr, /good\.regnet:6:3: info RN901: crossentropy is computed from logits/);
  assert.match(verbose.stderr, /^0 errors, 0 warnings$/m);
  const json = JSON.parse(regnetc('check', '--format', 'json', GOOD).stdout) as { code: string }[];
  assert.deepEqual(json.map((d) => d.code), ['RN901'], 'JSON lists every diagnostic, notes included');
});

test('check: 20,000 warnings print the first 100 and the count of the rest; --max-diagnostics changes it', () => {
  const many = join(mkdtempSync(join(tmpdir(), 'regnetc-many-')), 'many.regnet');
  writeFileSync(many, Array.from({ length: 20_000 }, (_, i) => `let u${i} = ${i}\n`).join('') + 'model { flatten dense(10) }\ndata { source: mnist() }\n');
  const r = regnetc('check', many);
  assert.equal(r.code, 0);
  assert.equal(r.stderr.match(/warning RN208/g)?.length, 100);
  assert.match(r.stderr, /many\.regnet:100:5: warning RN208: let constant 'u99' is never used\n100 \| let u99 = 99\n/);
  assert.match(r.stderr, /… and 19,900 more diagnostics in .*many\.regnet \(use --max-diagnostics N, or 0 for all\)\n0 errors, 20,000 warnings/);
  const five = regnetc('check', many, '--max-diagnostics', '5');
  assert.equal(five.stderr.match(/warning RN208/g)?.length, 5);
  assert.equal(regnetc('check', many, '--max-diagnostics', '0').stderr.match(/warning RN208/g)?.length, 20_000);
  assert.match(regnetc('check', many, '--max-diagnostics', 'x').stderr, /--max-diagnostics must be 0 or a positive integer, not 'x'/);
});

test('check: errors as file:line:col with code frame, warnings too, exit 1', () => {
  const r = regnetc('check', BAD);
  assert.equal(r.code, 1);
  const lines = r.stderr.split('\n');
  const head = lines.indexOf(`${BAD}:3:3: error RN201: unknown layer 'dens'; did you mean 'dense'?`);
  assert.ok(head >= 0, r.stderr);
  assert.equal(lines[head + 1], '3 |   dens(128, activation: relu)');
  assert.equal(lines[head + 2], '  |   ^^^^');
  assert.match(r.stderr, new RegExp(`${BAD}:4:11: error RN302: dropout rate must be at least 0 and below 1, got 1.2`));
  assert.match(r.stderr, new RegExp(`${BAD}:8:48: warning RN501: L2 is not weight decay under Adam`));
  assert.match(r.stderr, /2 errors, 1 warning/);
});

test('check --format json: the documented shape, 1-based ranges', () => {
  const r = regnetc('check', '--format', 'json', BAD);
  assert.equal(r.code, 1);
  const items = JSON.parse(r.stdout) as { file: string; severity: string; code: string; message: string; range: unknown }[];
  const dens = items.find((d) => d.code === 'RN201');
  assert.deepEqual(dens, {
    file: BAD,
    severity: 'error',
    code: 'RN201',
    message: "unknown layer 'dens'; did you mean 'dense'?",
    range: { start: { line: 3, column: 3 }, end: { line: 3, column: 7 } },
  });
  assert.deepEqual(
    items.map((d) => d.severity),
    items.map((d) => (['error', 'warning', 'info'].includes(d.severity) ? d.severity : 'bad')),
  );
});

test('check: warnings alone exit 0; a folder checks every spec in it', () => {
  const warnOnly = spec('warn.regnet', GOOD_TEXT_WITH_WARNING());
  const r = regnetc('check', warnOnly);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning RN502/);
  const all = regnetc('check', '--format', 'json', dir);
  const files = new Set((JSON.parse(all.stdout) as { file: string }[]).map((d) => d.file));
  assert.ok(files.has(BAD) && files.has(GOOD) && files.has(warnOnly));
});

function GOOD_TEXT_WITH_WARNING(): string {
  return 'model {\n  flatten\n  dense(10)\n  dropout(0.5)\n}\ndata { source: mnist() }\n';
}

test('check: a missing file is an error with the file name, no stack trace', () => {
  const r = regnetc('check', join(dir, 'nope.regnet'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nope\.regnet:1:1: error RN601: no such file/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('check --set overrides a let constant', () => {
  const r = regnetc('check', '--set', 'p=1.5', GOOD);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /RN302/);
  const bad = regnetc('check', '--set', 'p', GOOD);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /regnetc: error: --set expects NAME=VALUE, got 'p'/);
});

test('summary: layers, shapes and parameter counts like Keras (the same table as the editor\'s summary)', () => {
  const r = regnetc('summary', GOOD);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'Model: mlp',
      '────────────────────────────  ────────────  ───────',
      'Layer                         Output shape   Params',
      '────────────────────────────  ────────────  ───────',
      'input                         [28, 28, 1]         0',
      'flatten                       [784]               0',
      'dense(128, activation: relu)  [128]         100,480',
      'dropout(p)                    [128]               0',
      'dense(10)                     [10]            1,290',
      '────────────────────────────  ────────────  ───────',
      'Total params: 101,770',
      '',
    ].join('\n'),
  );
});

test('compile -o writes the IR', () => {
  const out = join(dir, 'graph.json');
  const r = regnetc('compile', GOOD, '-o', out);
  assert.equal(r.code, 0, r.stderr);
  const ir = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(ir.version, 1);
  assert.deepEqual(ir.nodes.map((n: { op: string }) => n.op), ['input', 'flatten', 'dense', 'dropout', 'dense']);
  assert.equal(ir.totalParams, 101770);
  assert.equal(regnetc('compile', BAD, '-o', join(dir, 'bad.json')).code, 1);
});

test('fmt: prints, --check lists unformatted files, --write rewrites them', () => {
  const messy = spec('messy.regnet', 'model{dense( 10 )}  # tiny\n');
  assert.equal(regnetc('fmt', messy).stdout, 'model {\n  dense(10)\n}  # tiny\n');
  const check = regnetc('fmt', '--check', messy);
  assert.equal(check.code, 1);
  assert.equal(check.stdout, `${messy}: not formatted\n`);
  assert.equal(regnetc('fmt', '--write', messy).code, 0);
  assert.equal(readFileSync(messy, 'utf8'), 'model {\n  dense(10)\n}  # tiny\n');
  assert.equal(regnetc('fmt', '--check', messy).code, 0);
  const broken = spec('broken.regnet', 'model { dense(10 }\n');
  const r = regnetc('fmt', broken);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken\.regnet:1:18: error RN101: expected '\)' but found '}'/);
});

test('explain: catalogue entries, codes, and did-you-mean for unknown words', () => {
  const r = regnetc('explain', 'dropout');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /dropout\(rate\)/);
  assert.match(r.stdout, /1\/\(1−rate\)|1 \/ \(1 − rate\)/);
  assert.match(r.stdout, /Srivastava et al\. 2014/);
  assert.match(regnetc('explain', 'RN501').stdout, /RN501 \(warning\): L2 is not weight decay under Adam/);
  const unknown = regnetc('explain', 'dropot');
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "regnetc: error: no documentation for 'dropot'; did you mean 'dropout'? (regnetc explain --list lists every name)\n");
});

test('--help on every command; unknown commands fail clearly', () => {
  for (const command of ['check', 'compile', 'fmt', 'explain', 'summary']) {
    const r = regnetc(command, '--help');
    assert.equal(r.code, 0, command);
    assert.match(r.stdout, new RegExp(`Usage: regnetc ${command}`));
  }
  const r = regnetc('chek', GOOD);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown command 'chek'/);
});

test('--set takes any value of the language, calls included', () => {
  const path = spec('opt.regnet', 'let opt = adam(lr: 0.001)\nlet width = 4\nmodel { dense(width) dense(2) }\ndata { source: playground(circle) }\ntrain { optimizer: opt }\n');
  const out = join(dir, 'opt.json');
  const r = regnetc('compile', path, '-o', out, '--set', 'opt=sgd(0.5, momentum: 0.9)', '--set', 'width=8');
  assert.equal(r.code, 0, r.stderr);
  const ir = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(ir.train.optimizer, { kind: 'sgd', args: { lr: 0.5, momentum: 0.9, nesterov: false, weight_decay: 0 } });
  assert.deepEqual(ir.nodes[1].shape, [8]);
});
