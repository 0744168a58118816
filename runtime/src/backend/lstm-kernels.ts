// The element-wise parts of an LSTM time step, forward and backward, as single kernels over
// the tensors' own memory (the wasm heap, or the cpu backend's arrays). Through tf ops one
// step is ~25 kernels forward and ~45 backward (plus the gradient tape's bookkeeping); these,
// with the matrix products left to XNNPACK, make it ~8 and ~3 (see layers/lstm-recurrence.ts).
// The sigmoids stay in wasm's vectorized Sigmoid kernel: JavaScript's Math.exp costs ~15 ns
// an element, which is more than the kernel calls saved. Checked against the tf-op LSTM on the
// cpu backend in runtime/test/lstm-recurrence.test.ts.
//
// Layout: gates [B, 4u] in Keras order i, f, g, o, holding σ(z) for i, f, o and σ(2·z_g) for g
// (so that g = tanh(z_g) = 2·σ(2·z_g) − 1 costs no transcendental here); cell states [B, u].
import type * as tfTypes from '@tensorflow/tfjs';
import type { TF } from '../contracts.js';
import { allocateFloat32 as allocate, float32View as values } from './tensor-memory.js';

type TensorInfo = tfTypes.TensorInfo;
type KernelFunc = tfTypes.KernelFunc;

/** [s, c] -> [c', 2·c']: c' = f·c + i·g (2·c' feeds the Sigmoid that gives tanh(c')). */
export const LSTM_CELL = 'RegNetLSTMCell';
/** [s, sc] -> h = o·(2·sc − 1) = o·tanh(c'), where sc = σ(2·c'). */
export const LSTM_HIDDEN = 'RegNetLSTMHidden';
/** [dhOut, dhRec, dcNext, s, sc, cPrev] -> [dz, dcPrev]: the step's backward pass up to z. */
export const LSTM_CELL_GRAD = 'RegNetLSTMCellGrad';
export const LSTM_KERNELS = [LSTM_CELL, LSTM_HIDDEN, LSTM_CELL_GRAD] as const;

function cellKernel(): KernelFunc {
  return ({ inputs, backend }) => {
    const { s: sInfo, c: cInfo } = inputs as { s: TensorInfo; c: TensorInfo };
    const [batch, units] = cInfo.shape as [number, number];
    const outs = allocate(backend, [cInfo.shape, cInfo.shape]);
    const s = values(backend, sInfo);
    const c = values(backend, cInfo);
    const next = values(backend, outs[0]!);
    const twice = values(backend, outs[1]!);
    for (let r = 0; r < batch; r++) {
      const row = r * 4 * units;
      for (let j = 0, k = r * units; j < units; j++, k++) {
        const v = s[row + units + j]! * c[k]! + s[row + j]! * (2 * s[row + 2 * units + j]! - 1);
        next[k] = v;
        twice[k] = 2 * v;
      }
    }
    return outs;
  };
}

function hiddenKernel(): KernelFunc {
  return ({ inputs, backend }) => {
    const { s: sInfo, sc: scInfo } = inputs as { s: TensorInfo; sc: TensorInfo };
    const [batch, units] = scInfo.shape as [number, number];
    const [out] = allocate(backend, [scInfo.shape]);
    const s = values(backend, sInfo);
    const sc = values(backend, scInfo);
    const h = values(backend, out!);
    for (let r = 0; r < batch; r++) {
      const o = r * 4 * units + 3 * units;
      for (let j = 0, k = r * units; j < units; j++, k++) h[k] = s[o + j]! * (2 * sc[k]! - 1);
    }
    return out!;
  };
}

/**
 * With i, f, o, g = 2·s_g − 1 and tc = tanh(c') = 2·sc − 1, and dh = dhOut + dhRec:
 * dc = dcNext + dh·o·(1 − tc²); dz_i = dc·g·i(1 − i); dz_f = dc·cPrev·f(1 − f);
 * dz_g = dc·i·(1 − g²); dz_o = dh·tc·o(1 − o); dcPrev = dc·f.
 */
function cellGradKernel(): KernelFunc {
  return ({ inputs, backend }) => {
    const t = inputs as Record<'dhOut' | 'dhRec' | 'dcNext' | 's' | 'sc' | 'cPrev', TensorInfo>;
    const [batch, units] = t.cPrev.shape as [number, number];
    const outs = allocate(backend, [t.s.shape, t.cPrev.shape]);
    const dhOut = values(backend, t.dhOut);
    const dhRec = values(backend, t.dhRec);
    const dcNext = values(backend, t.dcNext);
    const s = values(backend, t.s);
    const sc = values(backend, t.sc);
    const cPrev = values(backend, t.cPrev);
    const dz = values(backend, outs[0]!);
    const dcPrev = values(backend, outs[1]!);
    for (let r = 0; r < batch; r++) {
      const row = r * 4 * units;
      for (let j = 0, k = r * units; j < units; j++, k++) {
        const i = s[row + j]!;
        const f = s[row + units + j]!;
        const g = 2 * s[row + 2 * units + j]! - 1;
        const o = s[row + 3 * units + j]!;
        const tc = 2 * sc[k]! - 1;
        const dh = dhOut[k]! + dhRec[k]!;
        const dc = dcNext[k]! + dh * o * (1 - tc * tc);
        dz[row + j] = dc * g * i * (1 - i);
        dz[row + units + j] = dc * cPrev[k]! * f * (1 - f);
        dz[row + 2 * units + j] = dc * i * (1 - g * g);
        dz[row + 3 * units + j] = dh * tc * o * (1 - o);
        dcPrev[k] = dc * f;
      }
    }
    return outs;
  };
}

/** Registers the LSTM step kernels on a backend (wasm or cpu); idempotent. */
export function registerLstmKernels(tf: TF, backendName: 'wasm' | 'cpu'): void {
  const kernels: [string, KernelFunc][] = [
    [LSTM_CELL, cellKernel()],
    [LSTM_HIDDEN, hiddenKernel()],
    [LSTM_CELL_GRAD, cellGradKernel()],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (tf.getKernel(kernelName, backendName) == null) tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}

/** Whether the active backend has the LSTM step kernels (not tfjs-node's). */
export function hasLstmKernels(tf: TF): boolean {
  return tf.getKernel(LSTM_CELL, tf.getBackend()) != null;
}
