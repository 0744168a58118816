// Nothing lost, no internal errors: `--out` replaces only a folder RegNet made, default
// names stay under runs/, disk errors are one line naming the path (exit 1), a full
// disk still leaves summary.json, and --resume copes with what a kill leaves behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochRecord } from '../src/contracts.js';
import { WriteError, writing } from '../src/run/errors.js';
import { safeName } from '../src/run/out-dir.js';
import { gapNote, resultTable } from '../src/run/progress.js';
import type { RunSummary } from '../src/run/run-dir.js';
import { interruptWhen, regnetc, tempDir, writeSpec } from './run-helpers.js';

const SMALL = `model {
  dense(8, activation: relu)
  dense(2)
}
data { source: playground(xor, n: 80) validation: 0.25 }
train { epochs: 3 batch_size: 20 optimizer: adam(lr: 0.01) seed: 4 }
`;

function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.doesNotMatch(stderr, /internal error|\n\s+at /, stderr);
}

function summaryOf(dir: string): RunSummary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
}

test('--out . in a project folder is refused and its own model/ folder is kept', () => {
  const project = tempDir('regnet-project-');
  const spec = writeSpec(project, 'exp.regnet', SMALL);
  mkdirSync(join(project, 'model'));
  writeFileSync(join(project, 'model', 'mine.txt'), 'my own work');
  writeFileSync(join(project, 'report.html'), 'my report');
  const r = regnetc(['train', spec, '--out', '.', '--backend', 'cpu'], project);
  assert.equal(r.code, 1);
  assertOneLine(r.stderr, /^regnetc: error: --out \.: the folder is not empty and is not a RegNet run directory \(no \.regnet-run\); choose a new or empty folder \(nothing was changed\)$/m);
  assert.equal(readFileSync(join(project, 'model', 'mine.txt'), 'utf8'), 'my own work');
  assert.equal(readFileSync(join(project, 'report.html'), 'utf8'), 'my report');
  assert.deepEqual(readdirSync(project).sort(), ['exp.regnet', 'model', 'report.html']);
  // The same for a sweep's output folder.
  const sweep = writeSpec(project, 'sw.regnet', SMALL.replace('dense(8,', 'dense(w,').replace('model {', 'let w = 8\nmodel {') + 'sweep { w: [4, 8] }\n');
  const s = regnetc(['sweep', sweep, '--out', '.', '--backend', 'cpu'], project);
  assert.equal(s.code, 1);
  assertOneLine(s.stderr, /--out \.: the folder is not empty and is not a RegNet sweep directory \(no sweep\.json\)/);
  assert.ok(!existsSync(join(project, 'sweep.json')));
});

test('a run directory RegNet made is replaced by the next run; a spec named ...regnet trains into runs/run', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'exp.regnet', SMALL);
  const out = join(dir, 'out');
  const first = regnetc(['train', spec, '--out', out, '--epochs', '1', '--backend', 'cpu', '--no-report']);
  assert.equal(first.code, 0);
  assert.doesNotMatch(first.stderr, /RN901/, 'the informational note is not shown by default');
  assert.ok(existsSync(join(out, '.regnet-run')), 'the marker');
  const again = regnetc(['train', spec, '--out', out, '--epochs', '2', '--backend', 'cpu', '--no-report', '--verbose']);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /exp\.regnet:3:3: info RN901: crossentropy is computed from logits/, '--verbose reaches train');
  assert.equal(summaryOf(out).epochs_run, 2);

  const dots = writeSpec(dir, '...regnet', SMALL);
  writeFileSync(join(dir, 'keep.txt'), 'keep');
  const r = regnetc(['train', dots, '--epochs', '1', '--backend', 'cpu', '--no-report'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /training 1 epochs into runs\/run$/m);
  assert.ok(existsSync(join(dir, 'runs', 'run', 'summary.json')));
  assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'keep');
  assert.equal(safeName('a/b/..regnet'), 'run');
  assert.equal(safeName('../../x y.regnet'), 'x_y');
  assert.equal(safeName('.hidden.regnet'), 'hidden');
});

test('disk errors: --out onto a file, under a file, under /proc: one line with the path and cause, exit 1', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'exp.regnet', SMALL);
  writeFileSync(join(dir, 'afile'), 'x');
  const onFile = regnetc(['train', spec, '--out', join(dir, 'afile'), '--backend', 'cpu']);
  assert.equal(onFile.code, 1);
  assertOneLine(onFile.stderr, /regnetc: error: --out .*afile: is a file, not a folder\n$/);
  const under = regnetc(['train', spec, '--out', join(dir, 'afile', 'run'), '--backend', 'cpu']);
  assert.equal(under.code, 1);
  assertOneLine(under.stderr, /regnetc: error: cannot write .*afile\/run: a part of the path is a file, not a folder \(ENOTDIR\)\n$/);
  const proc = regnetc(['train', spec, '--out', '/proc/regnet-run', '--backend', 'cpu'], dir, 20_000);
  assert.equal(proc.code, 1, 'refused before any mkdir (a recursive mkdir under /proc never returns)');
  assertOneLine(proc.stderr, /--out \/proc\/regnet-run: refusing to write under \/proc/);
  const sys = regnetc(['sweep', spec, '--out', '/sys/x'], dir, 20_000);
  assert.equal(sys.code, 1);
  assert.doesNotMatch(sys.stderr, /internal error/);
  assert.equal(
    new WriteError('/d/summary.json', 'ENOSPC').message,
    'cannot write /d/summary.json: no space left on the device (ENOSPC)',
  );
  assert.throws(() => writing('/d/x', () => { throw Object.assign(new Error('boom'), { code: 'EROFS' }); }), /cannot write \/d\/x: read-only file system \(EROFS\)/);
});

/** Mounts a small tmpfs (needs root); undefined when that is not possible here. */
function mountTmpfs(options: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const at = tempDir('regnet-mnt-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', at]);
  return r.status === 0 ? at : undefined;
}

function unmount(at: string): void {
  spawnSync('umount', [at]);
}

test('a read-only mount and a full disk: one line naming the path, exit 1, and the full disk still gets summary.json', (t) => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'wide.regnet', SMALL.replace('dense(8, activation: relu)', 'dense(64, activation: relu)\n  dense(64, activation: relu)'));
  const readOnly = mountTmpfs('size=1m,ro');
  const full = mountTmpfs('size=40k');
  if (!readOnly || !full) {
    if (readOnly) unmount(readOnly);
    if (full) unmount(full);
    if (process.env.REGNET_E2E === 'required') assert.fail('mounting a tmpfs needs root (REGNET_E2E=required)');
    t.skip('needs root to mount a small tmpfs (run the tests as root to include this one)');
    return;
  }
  try {
    const ro = regnetc(['train', spec, '--out', join(readOnly, 'run'), '--backend', 'cpu']);
    assert.equal(ro.code, 1);
    assertOneLine(ro.stderr, /^regnetc: error: cannot write .*\/run: read-only file system \(EROFS\)\n$/);

    const out = join(full, 'run');
    const r = regnetc(['train', spec, '--out', out, '--backend', 'cpu']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assertOneLine(r.stderr, /^regnetc: error: cannot write .*: no space left on the device \(ENOSPC\)\n  summary\.json was written/);
    const summary = summaryOf(out);
    assert.equal(summary.stop_reason, 'write_error');
    assert.equal(summary.epochs_planned, 3);
    assert.deepEqual(readdirSync(out).filter((f) => /\.(tmp|old)-\d+$/.test(f)), [], 'partial temp files are removed');
  } finally {
    unmount(readOnly);
    unmount(full);
  }
});

test('resume after a kill during a save: temporaries cleaned up, an unreadable state said clearly', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'exp.regnet', SMALL);
  const out = join(dir, 'run');
  assert.equal(regnetc(['train', spec, '--out', out, '--epochs', '2', '--backend', 'cpu', '--no-report']).code, 0);
  // What `kill -9` in the middle of writeDirAtomic / writeFileAtomic leaves.
  mkdirSync(join(out, 'state', 'model.tmp-99999'));
  writeFileSync(join(out, 'state', 'state.json.tmp-99998'), '{"trunc');
  renameSync(join(out, 'model'), join(out, 'model.old-99997'));
  const r = regnetc(['train', '--resume', out, '--epochs', '3', '--backend', 'cpu', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /removed 2 temporary file\(s\) left by an interrupted save \(model\.tmp-99999, state\.json\.tmp-99998\)/);
  assert.deepEqual(readdirSync(join(out, 'state')).sort(), ['arrays.f32', 'model', 'state.json']);
  assert.ok(existsSync(join(out, 'model', 'model.json')), 'the moved-aside model/ came back');
  assert.equal(summaryOf(out).epochs_run, 3);

  // A truncated state.json: no internal error; says what is lost and how to restart.
  const text = readFileSync(join(out, 'state', 'state.json'), 'utf8');
  writeFileSync(join(out, 'state', 'state.json'), text.slice(0, 100));
  const summaryText = readFileSync(join(out, 'summary.json'), 'utf8');
  writeFileSync(join(out, 'summary.json'), summaryText.replace('"completed"', '"interrupted"'));
  const bad = regnetc(['train', '--resume', out, '--epochs', '4', '--backend', 'cpu']);
  assert.equal(bad.code, 1);
  assertOneLine(
    bad.stderr,
    /^regnetc: error: cannot resume: .*state\.json is unreadable \(.*\)\. The saved state is lost, so the run can only restart from epoch 1 \(metrics\.jsonl keeps epochs 1\.\.3\): regnetc train .*exp\.regnet --out .*run\n$/,
  );
});

test('a run whose summary was lost after its last epoch is finished by --resume, not "epochs 4..3"', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'exp.regnet', SMALL);
  const out = join(dir, 'run');
  assert.equal(regnetc(['train', spec, '--out', out, '--backend', 'cpu', '--no-report']).code, 0);
  const before = summaryOf(out);
  rmSync(join(out, 'summary.json'));
  const r = regnetc(['train', '--resume', out, '--backend', 'cpu', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /epochs 4\.\.3|^epoch /m);
  assert.match(r.stdout, /resuming .*run: all 3 epochs were trained; finishing the run \(summary, test, report\)/);
  const after = summaryOf(out);
  assert.equal(after.epochs_run, 3);
  assert.equal(after.stop_reason, 'completed');
  assert.deepEqual(after.final, before.final);
  assert.equal(after.model_epoch, before.model_epoch);
});

test('Ctrl-C before the first epoch finishes does not suggest --resume', async () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'slow.regnet', SMALL.replace('n: 80', 'n: 40000').replace('batch_size: 20', 'batch_size: 4'));
  const { code, stdout } = await interruptWhen(['train', spec, '--out', join(dir, 'run'), '--backend', 'cpu', '--no-report'], /^training 3 epochs into/m, 300);
  assert.equal(code, 130, stdout);
  assert.doesNotMatch(stdout, /^epoch 1\/3/m, 'the first epoch did not finish (the test assumes a long first epoch)');
  assert.match(stdout, /^interrupted before the first epoch finished; nothing was saved to resume: run the same command again to start over$/m);
  assert.doesNotMatch(stdout, /--resume/);
});

test('the lr column shows the rate at the end of the epoch (warmup reaches lr at the end of epoch 1)', () => {
  const dir = tempDir();
  const spec = writeSpec(dir, 'warm.regnet', SMALL.replace('seed: 4', 'seed: 4 schedule: cosine(warmup: 1)'));
  const out = join(dir, 'run');
  const r = regnetc(['train', spec, '--out', out, '--backend', 'cpu', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  const lrs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as EpochRecord).lr);
  // 3 steps per epoch; warmup: step k uses lr·(k+1)/3, so epoch 1 ends at lr (its first step was lr/3).
  assert.equal(lrs[0], 0.01);
  assert.match(r.stdout, /^epoch 1\/3 .* lr 1\.00e-2 /m);
  // After warmup the cosine over the remaining epochs: epoch 3 ends near its minimum.
  assert.ok(lrs[2]! < lrs[1]! && lrs[1]! < 0.01, lrs.join(' '));
});

test('the closing table shows the val/train gap, and says when val accuracy is far below train accuracy', () => {
  const summary = {
    best_epoch: 2,
    epochs_run: 3,
    best: { epoch: 2, loss: 0.5, accuracy: 0.8, val_loss: 2.1, val_accuracy: 0.15 },
    final: { epoch: 3, loss: 0.45, accuracy: 0.83, val_loss: 2.5, val_accuracy: 0.13 },
  } as unknown as RunSummary;
  const table = resultTable(summary);
  assert.match(table, /│ gap \(val − train\) │\s+│\s+│ \+2\.0500\s+│ -0\.7000\s+│/);
  assert.equal(
    gapNote(summary),
    'note: val accuracy is far below train accuracy (0.1300 vs 0.8300 at epoch 3): the model does much worse on held-out data; ' +
      'overfitting, or (with batchnorm) moving statistics that have not caught up with the weights',
  );
  assert.equal(gapNote({ ...summary, final: { epoch: 3, accuracy: 0.9, val_accuracy: 0.88 } }), undefined);
});
