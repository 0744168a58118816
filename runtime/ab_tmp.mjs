import { initBackend } from './dist/src/backend/select.js';
const { tf } = await initBackend('cpu');
function time(label, f, n=1) { tf.tidy(() => f().dataSync()); const t = performance.now(); for (let i=0;i<n;i++) tf.tidy(() => f().dataSync()); console.log(label, ((performance.now()-t)/n).toFixed(1), 'ms'); }
const xs = [64,14,14,32], co = 64;
const x = tf.randomNormal(xs); const dy = tf.randomNormal([64,14,14,co]);
time('cpu filtergrad original', () => tf.engine().runKernel('Conv2DBackpropFilter', {x, dy}, {strides:[1,1], pad:'same', dataFormat:'NHWC', filterShape:[3,3,32,co]}));
time('cpu trick', () => {
  const xT = tf.transpose(x, [3,1,2,0]); const dyT = tf.transpose(dy, [1,2,0,3]);
  const full = tf.conv2d(xT, dyT, 1, [[0,0],[1,1],[1,1],[0,0]]);
  return tf.transpose(tf.slice(full, [0,0,0,0], [32,3,3,co]), [1,2,0,3]);
});
time('cpu forward', () => tf.conv2d(x, tf.randomNormal([3,3,32,co]), 1, 'same'));
