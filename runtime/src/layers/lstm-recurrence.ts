// The LSTM's loop over time as one differentiable op with a hand-written backward pass
// (backpropagation through time), for backends that have the step kernels of
// backend/lstm-kernels.ts. Through tf ops and the gradient tape a 100-step LSTM ran ~7,500
// kernels per training step, each with its tape and bookkeeping cost; here a step is one
// matrix product and ~7 kernels forward, one product and one kernel backward, and the
// recurrent kernel's gradient is ONE product over all steps at the end.
import * as tf from '@tensorflow/tfjs';
import { LSTM_CELL, LSTM_CELL_GRAD, LSTM_HIDDEN } from '../backend/lstm-kernels.js';
import type { Tensor } from './common.js';

/**
 * h after the last step ([B, u]), or every step's h ([T, B, u], time-major) with `allSteps`.
 * `projected` is x·W + b for every step, time-major [T, B, 4u]; `recurrentKernel` U is [u, 4u];
 * `mask` ([B, u], or a [1, 1] of 1 for none) multiplies h where it feeds the next step
 * (recurrent dropout). Gradients flow to `projected` and `recurrentKernel`.
 */
export function lstmRecurrence(projected: Tensor, recurrentKernel: Tensor, mask: Tensor, allSteps: boolean): Tensor {
  const run = tf.customGrad((...args: unknown[]) => {
    const [p, u, m, save] = args as [Tensor, Tensor, Tensor, (tensors: Tensor[]) => void];
    const [steps, batch, width] = p.shape as [number, number, number];
    const units = width / 4;
    const masked = m.size > 1;
    // σ(2·z_g) gives tanh(z_g) = 2·σ(2·z_g) − 1 from the one Sigmoid over all four gates.
    const gateScale = tf.concat([tf.ones([2 * units]), tf.fill([units], 2), tf.ones([units])]);
    const inputs = tf.unstack(p, 0);
    let h: Tensor = tf.zeros([batch, units]);
    let c: Tensor = tf.zeros([batch, units]);
    const gates: Tensor[] = [];
    const cellSigmoids: Tensor[] = [];
    const cells: Tensor[] = [c];
    const recurrentInputs: Tensor[] = [];
    const outputs: Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      const hRec = masked ? tf.mul(h, m) : h;
      recurrentInputs.push(hRec);
      const s = tf.sigmoid(tf.mul(tf.add(inputs[t]!, tf.matMul(hRec, u)), gateScale));
      const [cNext, cTwice] = tf.engine().runKernel(LSTM_CELL, { s, c }) as Tensor[];
      const sc = tf.sigmoid(cTwice!);
      h = tf.engine().runKernel(LSTM_HIDDEN, { s, sc }) as Tensor;
      c = cNext!;
      gates.push(s);
      cellSigmoids.push(sc);
      cells.push(c);
      if (allSteps) outputs.push(h);
    }
    save([...gates, ...cellSigmoids, ...cells.slice(0, steps), ...recurrentInputs, u, m]);
    const value = allSteps ? tf.stack(outputs, 0) : h;
    const gradFunc = (dy: Tensor, saved: Tensor[]): Tensor[] => {
      const s = saved.slice(0, steps);
      const sc = saved.slice(steps, 2 * steps);
      const cPrev = saved.slice(2 * steps, 3 * steps);
      const hRec = saved.slice(3 * steps, 4 * steps);
      const [uSaved, mSaved] = saved.slice(4 * steps) as [Tensor, Tensor];
      const uT = tf.transpose(uSaved);
      const zero = tf.zeros([batch, units]);
      const dyAt = allSteps ? tf.unstack(dy, 0) : null;
      let dhRec = zero;
      let dc = zero;
      const dz: Tensor[] = new Array(steps);
      for (let t = steps - 1; t >= 0; t--) {
        const dhOut = dyAt ? dyAt[t]! : t === steps - 1 ? dy : zero;
        const [dzT, dcPrev] = tf.engine().runKernel(LSTM_CELL_GRAD, { dhOut, dhRec, dcNext: dc, s: s[t]!, sc: sc[t]!, cPrev: cPrev[t]! }) as Tensor[];
        dz[t] = dzT!;
        dc = dcPrev!;
        if (t > 0) {
          dhRec = tf.matMul(dzT!, uT);
          if (masked) dhRec = tf.mul(dhRec, mSaved);
        }
      }
      const dzAll = tf.concat(dz, 0);
      const dU = tf.matMul(tf.concat(hRec, 0), dzAll, true, false);
      return [tf.reshape(dzAll, [steps, batch, width]), dU, tf.zerosLike(mSaved)];
    };
    return { value, gradFunc };
  });
  return run(projected, recurrentKernel, mask);
}
