// Planning a sweep: one folder per distinct configuration (never shared), and each
// trial's `--set` arguments give the trial exactly the swept value, calls included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, type GraphIR, type JsonValue } from '@regnet/compiler';
import { parseOverride } from '../src/cli/overrides.js';
import { configKeys, planTrials } from '../src/run/sweep-plan.js';
import { trialArgs } from '../src/run/sweep-run.js';

test('sweep trial folder names collide: distinct values that slug alike get a hash, checked before any trial', () => {
  const trials = planTrials({ params: { file: ['sub/good.csv', 'sub_good.csv', 'other.csv'] }, repeats: 1 }, 1);
  const ids = trials.map((t) => t.id);
  assert.equal(new Set(ids).size, 3, ids.join(' '));
  assert.match(ids[0]!, /^file=sub_good\.csv~[0-9a-f]{8},rep0$/);
  assert.match(ids[1]!, /^file=sub_good\.csv~[0-9a-f]{8},rep0$/);
  assert.equal(ids[2], 'file=other.csv,rep0', 'a name that is unique stays readable');
  assert.notEqual(trials[0]!.config, trials[1]!.config, 'results group by configuration: two rows, not one');
  // Stable across runs (a re-run finds its trials again).
  assert.deepEqual(planTrials({ params: { file: ['sub/good.csv', 'sub_good.csv', 'other.csv'] }, repeats: 1 }, 1).map((t) => t.id), ids);
});

test('sweep folder names: case-only differences, very long values and repeated values', () => {
  const [upper, lower] = configKeys([{ act: 'A' }, { act: 'a' }]);
  assert.notEqual(upper!.toLowerCase(), lower!.toLowerCase(), 'one folder on a case-insensitive disk');
  const long = 'x'.repeat(400);
  const [key] = configKeys([{ path: long }]);
  assert.ok(key!.length < 140, `${key!.length} characters`);
  assert.match(key!, /~[0-9a-f]{8}$/);
  const trials = planTrials({ params: { p: [0.1, 0.1, 0.2] }, repeats: 2 }, 7);
  assert.deepEqual(trials.map((t) => t.id), ['p=0.1,rep0', 'p=0.1,rep1', 'p=0.2,rep0', 'p=0.2,rep1']);
});

const CALLS = `let opt = sgd(0.1)
let sched = constant
let src = playground(xor, n: 80)
model {
  dense(4, activation: relu)
  dense(2)
}
data { source: src validation: 0.25 }
train { epochs: 1 batch_size: 20 optimizer: opt schedule: sched seed: 3 }
sweep {
  opt: [sgd(0.1, momentum: 0.9), adam(lr: 0.001)]
  sched: [constant, cosine(), step(2, gamma: 0.5)]
  src: [playground(xor, n: 80), playground(circle, n: 60, noise: 0.1)]
}
`;

function compiled(text: string, overrides?: Record<string, JsonValue>): GraphIR {
  const result = compile(text, { file: '/tmp/calls.regnet', overrides });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'info'), []);
  return result.ir!;
}

test('a sweep over calls (optimizers, schedules, sources) hands each trial its call as --set', () => {
  const ir = compiled(CALLS);
  const trials = planTrials(ir.sweep!, 3);
  assert.equal(trials.length, 12);
  for (const trial of trials) {
    const args = trialArgs('calls.regnet', trial, 'out', { file: 'calls.regnet', backend: 'cpu' }, false);
    const sets = args.filter((_, i) => args[i - 1] === '--set');
    const overrides = Object.fromEntries(sets.map(parseOverride));
    const viaSet = compiled(CALLS, overrides);
    assert.deepEqual(viaSet.constants, trial.values, `${trial.id}: the trial runs with its swept values`);
    // The same as writing the values in the spec.
    let written = CALLS;
    for (const set of sets) {
      const eq = set.indexOf('=');
      written = written.replace(new RegExp(`^let ${set.slice(0, eq)} = .*$`, 'm'), `let ${set.slice(0, eq)} = ${set.slice(eq + 1)}`);
    }
    const inPlace = compiled(written);
    assert.deepEqual(viaSet.train.optimizer, inPlace.train.optimizer, trial.id);
    assert.deepEqual(viaSet.train.schedule, inPlace.train.schedule, trial.id);
    assert.deepEqual(viaSet.data.source, inPlace.data.source, trial.id);
  }
  const first = trialArgs('calls.regnet', trials[0]!, 'out', { file: 'calls.regnet', backend: 'cpu' }, false);
  assert.deepEqual(first.filter((_, i) => first[i - 1] === '--set'), [
    'opt=sgd(lr: 0.1, momentum: 0.9, nesterov: false, weight_decay: 0)',
    'sched=constant()',
    'src=playground(kind: xor, n: 80, noise: 0)',
  ]);
});

test('--set with a call keeps positional arguments positional', () => {
  const ir = compiled(CALLS, Object.fromEntries([parseOverride('opt=sgd(0.5, momentum: 0.9)'), parseOverride('src=playground(circle, n: 30)')]));
  assert.equal(ir.train.optimizer.kind, 'sgd');
  assert.equal(ir.train.optimizer.args.lr, 0.5);
  assert.equal(ir.train.optimizer.args.momentum, 0.9);
  assert.equal(ir.data.source.args.kind, 'circle');
});
