// The exported torch module against the tfjs model, layer kind by layer kind: random
// weights (moving statistics included) converted with toTorchStateDict, one random batch,
// outputs within 1e-5 in inference mode. Wall time: ~6 s (one Python process for all cases).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../src/random.js';
import { buildModel } from '../src/model/build.js';
import { PYTHON_SOURCES } from '../src/engines/torch/export.js';
import { permute, setFromTorchStateDict, toTorchStateDict } from '../src/engines/torch/convert-weights.js';
import { readTensors, writeTensors } from '../src/engines/torch/tensor-file.js';
import { tf, useCpu } from './train-fixtures.js';
import { irOf, runEngineCheck, skipWithoutTorch } from './torch-helpers.js';

before(async () => {
  await useCpu();
});

const TRAIN = 'train { epochs: 1 }';
const IMAGES = (h: number, w: number, c: number) => `data { source: images("imgs", size: [${h}, ${w}], channels: ${c}) }`;
const TEXT = 'data { source: text("t.csv", text: "t", label: "l", vocab: 50, length: 9) }';
const VECTORS = 'data { source: playground(circle) }';

/** One spec per group of layer kinds; together every layer and activation of the language. */
const CASES: Record<string, string> = {
  activations: `model m { dense(6, activation: relu) dense(6, activation: elu) dense(6, activation: selu) dense(6, activation: gelu)
    dense(6, activation: swish) dense(6, activation: tanh) dense(6, activation: leaky_relu) dense(6, activation: sigmoid)
    dense(6, activation: linear) dense(2, activation: softmax) } ${VECTORS}`,
  conv_same_stride2_odd: `model m { conv2d(4, kernel: 3, stride: 2, padding: same) conv2d(5, kernel: [2, 3], padding: valid, activation: relu)
    maxpool(2, padding: same) flatten dense(3) } ${IMAGES(9, 9, 3)}`,
  conv_same_stride2_even: `model m { conv2d(4, kernel: 4, stride: 2, padding: same, bias: false) avgpool(3, stride: 2, padding: same)
    conv2d(2, kernel: 1, activation: leaky_relu) global_maxpool dense(3) } ${IMAGES(8, 8, 3)}`,
  pools_valid: `model m { maxpool(3, stride: 2) avgpool(2) conv2d(3, kernel: 2, stride: [1, 2], padding: same) global_avgpool dense(3) } ${IMAGES(11, 10, 3)}`,
  normalization: `model m { conv2d(4, kernel: 3) batchnorm layernorm groupnorm(groups: 2) instancenorm flatten batchnorm dense(3) } ${IMAGES(6, 6, 1)}`,
  noise_layers_eval: `model m { conv2d(4, kernel: 3) spatial_dropout(0.3) gaussian_noise(0.5) dropout(0.4) flatten dense(3) } ${IMAGES(5, 5, 1)}`,
  conv1d_pools: `model m { embedding(50, 8) conv1d(6, kernel: 3, stride: 2, padding: same) maxpool(2, padding: same) conv1d(4, kernel: 2)
    avgpool(2, padding: same) global_avgpool dense(3) } ${TEXT}`,
  lstm_gru: `model m { embedding(50, 8) lstm(6, return_sequences: true) gru(5) dense(3) } ${TEXT}`,
  gru_lstm: `model m { embedding(50, 8) gru(6, return_sequences: true) layernorm lstm(5) dense(3) } ${TEXT}`,
  sequence_flatten: `model m { embedding(50, 4) conv1d(3, kernel: 3) global_maxpool dense(12) reshape([3, 4]) lstm(3, return_sequences: true) flatten dense(3) } ${TEXT}`,
  residual_reshape: `model m { dense(12) residual { dense(12, activation: relu) dense(12) } reshape([2, 2, 3]) conv2d(4, kernel: 2, padding: same)
    flatten residual(projection: true) { dense(5) } dense(2) } ${VECTORS}`,
};

function randomize(model: tf.LayersModel, rng: Random): void {
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const name = w.originalName.split('/').pop()!;
      const size = (w.shape as number[]).reduce((a, b) => a * b, 1);
      const v = new Float32Array(size);
      for (let i = 0; i < size; i++) {
        const u = rng.next();
        v[i] = name === 'moving_variance' ? 0.5 + u : name === 'gamma' ? 0.7 + 0.6 * u : u - 0.5;
      }
      return tf.tensor(v, w.shape as number[]);
    });
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
}

test('forward pass: every layer kind on the torch engine gives the tfjs outputs within 1e-5 (converted weights)', async (t) => {
  if (skipWithoutTorch(t)) return;
  const root = mkdtempSync(join(tmpdir(), 'regnet-torch-forward-'));
  try {
    const rng = new Random(7);
    const dirs: string[] = [];
    for (const [name, spec] of Object.entries(CASES)) {
      const ir = irOf(`${spec}\n${TRAIN}`);
      const model = buildModel(tf, ir, new Random(1));
      randomize(model, rng);
      const batch = 3;
      const inputShape = [batch, ...ir.input.shape];
      const size = inputShape.reduce((a, b) => a * b, 1);
      const tokens = ir.input.dtype === 'int32';
      const xValues = tokens ? Int32Array.from({ length: size }, () => rng.int(50)) : Float32Array.from({ length: size }, () => rng.normal());
      const x = tf.tensor(xValues, inputShape, tokens ? 'int32' : 'float32');
      const y = model.predict(x) as tf.Tensor;
      const dir = join(root, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'ir.json'), JSON.stringify(ir));
      writeTensors(join(dir, 'case'), [
        ...toTorchStateDict(model, ir),
        { name: 'x', shape: inputShape, values: xValues },
        { name: 'y', shape: y.shape, values: y.dataSync() as Float32Array },
      ]);
      tf.dispose([x, y]);
      model.dispose();
      dirs.push(dir);
    }
    const results = JSON.parse(runEngineCheck(['forward', PYTHON_SOURCES, ...dirs])) as Record<
      string,
      { max_diff: number | null; shape: number[]; missing: string[]; unexpected: string[] }
    >;
    for (const name of Object.keys(CASES)) {
      const r = results[name]!;
      assert.deepEqual(r.missing, [], `${name}: torch parameters without converted values`);
      assert.deepEqual(r.unexpected, [], `${name}: converted values the torch module does not have`);
      assert.ok(r.max_diff !== null, `${name}: output shape ${JSON.stringify(r.shape)} differs from tfjs'`);
      assert.ok(r.max_diff <= 1e-5, `${name}: max |torch - tfjs| = ${r.max_diff}`);
      if (process.env.REGNET_DEBUG) console.log(name, r.max_diff, r.shape);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('weight conversion: tfjs -> torch -> tfjs is the identity for every layer kind with weights', async () => {
  const ir = irOf(`${CASES.gru_lstm}\n${TRAIN}`);
  const a = buildModel(tf, ir, new Random(1));
  randomize(a, new Random(3));
  const b = buildModel(tf, ir, new Random(2));
  const dir = mkdtempSync(join(tmpdir(), 'regnet-torch-convert-'));
  try {
    writeTensors(join(dir, 'w'), toTorchStateDict(a, ir));
    setFromTorchStateDict(tf, b, ir, readTensors(join(dir, 'w')));
    const wa = a.getWeights();
    const wb = b.getWeights();
    assert.equal(wa.length, wb.length);
    wa.forEach((w, i) => assert.deepEqual(Array.from(wb[i]!.dataSync()), Array.from(w.dataSync()), `weight ${i}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // HWIO -> OIHW on a known kernel: element [h, w, i, o] lands at [o, i, h, w].
  const hwio = Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, k) => k);
  const { values, shape } = permute(hwio, [2, 3, 4, 5], [3, 2, 0, 1]);
  assert.deepEqual(shape, [5, 4, 2, 3]);
  const at = (o: number, i: number, h: number, w: number) => values[((o * 4 + i) * 2 + h) * 3 + w];
  assert.equal(at(4, 3, 1, 2), hwio[((1 * 3 + 2) * 4 + 3) * 5 + 4]);
});
