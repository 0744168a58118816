// A few training steps on both engines from the same initial weights on the same batches
// (shuffle: false): for each optimizer, with and without l1/l2, decoupled weight decay,
// each clip and schedules, the torch engine's weights and losses agree with the tfjs
// engine's within 1e-4. Wall time: ~8 s (the torch side is one Python process).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../src/random.js';
import { buildModel } from '../src/model/build.js';
import { loadData } from '../src/data/load.js';
import { train } from '../src/train/loop.js';
import { exportTorch } from '../src/engines/torch/export.js';
import { setFromTorchStateDict } from '../src/engines/torch/convert-weights.js';
import { readTensors } from '../src/engines/torch/tensor-file.js';
import { assertClose, tf, useCpu } from './train-fixtures.js';
import { irOf, runEngineCheck, skipWithoutTorch } from './torch-helpers.js';

before(async () => {
  await useCpu();
});

const MLP = 'model m { dense(8, activation: tanh) dense(2) }';
const CASES: Record<string, { model?: string; train: string }> = {
  sgd: { train: 'optimizer: sgd(lr: 0.1)' },
  sgd_nesterov_decay: { train: 'optimizer: sgd(lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01)' },
  adagrad_l1: { train: 'optimizer: adagrad(lr: 0.1)\n regularizer: l1(0.001)' },
  rmsprop_step: { train: 'optimizer: rmsprop(lr: 0.01, momentum: 0.5)\n schedule: step(every: 1, gamma: 0.5)' },
  adam_l2: { train: 'optimizer: adam(lr: 0.01)\n regularizer: l2(0.01)' },
  adamw_clip_norm: { train: 'optimizer: adamw(lr: 0.01, weight_decay: 0.1)\n clip: norm(0.05)' },
  sgd_clip_value_cosine: { train: 'optimizer: sgd(lr: 0.5)\n clip: value(0.01)\n schedule: cosine(warmup: 1)' },
  adam_l1_l2_smoothing: { train: 'optimizer: adam(lr: 0.01)\n regularizer: l1_l2(0.001, 0.01)\n loss: crossentropy(label_smoothing: 0.1)' },
  early_stopping_restore_best: {
    train: 'optimizer: sgd(lr: 3.0, momentum: 0.9)\n epochs: 5\n checkpoint: last\n early_stopping { patience: 1\n restore_best: true }',
  },
  batchnorm_adam: { model: 'model m { dense(8, bias: false) batchnorm dense(2) }', train: 'optimizer: adam(lr: 0.01)' },
};

function spec(c: { model?: string; train: string }): string {
  return `${c.model ?? MLP}
data { source: playground(circle, n: 96)
  validation: 0
  shuffle: false }
train { ${c.train.includes('epochs:') ? '' : 'epochs: 2'}
  batch_size: 16
  metrics: [accuracy]
  ${c.train} }`;
}

test('training steps: the torch engine matches the tfjs engine within 1e-4 for every optimizer, l1/l2, weight decay, clip and schedule', async (t) => {
  if (skipWithoutTorch(t)) return;
  const root = mkdtempSync(join(tmpdir(), 'regnet-torch-train-'));
  try {
    const expected = new Map<string, { weights: Float32Array[]; losses: number[] }>();
    const dirs: string[] = [];
    for (const [name, c] of Object.entries(CASES)) {
      const ir = irOf(spec(c));
      const data = await loadData(tf, ir.data, ir.train.seed);
      const dir = join(root, name);
      await exportTorch(tf, ir, dir, data);
      const model = buildModel(tf, ir, new Random(ir.train.seed));
      const result = await train({ tf, ir, model, data, epochs: ir.train.epochs });
      expected.set(name, {
        weights: model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)),
        losses: result.history.map((r) => r.loss),
      });
      model.dispose();
      dirs.push(dir);
    }
    runEngineCheck(['train', ...dirs]);
    for (const name of Object.keys(CASES)) {
      const dir = join(root, name);
      const ir = irOf(spec(CASES[name]!));
      const got = buildModel(tf, ir, new Random(99));
      assert.ok(existsSync(join(dir, 'run', 'weights.json')), `${name}: the trainer wrote its weights`);
      setFromTorchStateDict(tf, got, ir, readTensors(join(dir, 'run', 'weights')));
      const want = expected.get(name)!;
      got.getWeights().forEach((w, i) => assertClose(w.dataSync(), want.weights[i]!, `${name} weight ${i}`, 1e-4, 1e-4));
      const history = readFileSync(join(dir, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { loss: number });
      assertClose(history.map((r) => r.loss), want.losses, `${name} epoch losses`, 1e-4, 1e-4);
      if (name === 'early_stopping_restore_best') {
        assert.ok(history.length < 5, `${name}: stopped early (after ${history.length} epochs)`);
      }
      got.dispose();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
