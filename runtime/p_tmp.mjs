import { initBackend } from './dist/src/backend/select.js';
import { buildModel } from './dist/src/model/build.js';
import { Random } from './dist/src/random.js';
const { tf } = await initBackend(process.argv[2] ?? 'wasm');
const conv = (filters) => ({ filters, kernel: [3,3], stride: [1,1], padding: 'same', activation: 'relu', bias: true, init: 'glorot_uniform', l1: 0, l2: 0 });
const nodes = [
 { id: 'in', op: 'input', attrs: {}, inputs: [], shape: [28,28,1], params: 0 },
 { id: 'c1', op: 'conv2d', attrs: conv(32), inputs: ['in'], shape: [28,28,32], params: 320 },
 { id: 'p1', op: 'maxpool2d', attrs: { size: [2,2], stride: [2,2], padding: 'valid' }, inputs: ['c1'], shape: [14,14,32], params: 0 },
 { id: 'c2', op: 'conv2d', attrs: conv(64), inputs: ['p1'], shape: [14,14,64], params: 18496 },
 { id: 'p2', op: 'maxpool2d', attrs: { size: [2,2], stride: [2,2], padding: 'valid' }, inputs: ['c2'], shape: [7,7,64], params: 0 },
 { id: 'f', op: 'flatten', attrs: {}, inputs: ['p2'], shape: [3136], params: 0 },
 { id: 'd', op: 'dense', attrs: { units: 10, activation: 'linear', bias: true, init: 'glorot_uniform' }, inputs: ['f'], shape: [10], params: 31370 },
];
const ir = { version: 1, name: 'cnn', input: { shape: [28,28,1], dtype: 'float32' }, nodes, output: 'd', totalParams: 0 };
const model = buildModel(tf, ir, new Random(1));
const x = tf.randomNormal([64,28,28,1]); const y = tf.oneHot(tf.randomUniform([64],0,10,'int32'),10);
const vars = model.trainableWeights.map(w => w.read());
const step = () => tf.tidy(() => { const {value, grads} = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, {training:true})), vars); for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.01))); return value; });
for (let i=0;i<2;i++) step().dataSync();
const prof = await tf.profile(() => step());
const agg = {};
for (const k of prof.kernels) { agg[k.name] = (agg[k.name] ?? 0) + k.kernelTimeMs; }
console.log(Object.entries(agg).sort((a,b)=>b[1]-a[1]).slice(0,15));
let t = performance.now(); const n = 5; for (let i=0;i<n;i++) step().dataSync(); console.log('ms/step', (performance.now()-t)/n);
