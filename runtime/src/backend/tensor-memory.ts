// In-place access to a float32 tensor's memory for kernels written in JavaScript that run on
// both the wasm backend (views of the wasm heap) and the cpu backend (its own arrays).
import type * as tfTypes from '@tensorflow/tfjs';

type TensorInfo = tfTypes.TensorInfo;

/** The parts of the wasm and cpu backends used here. */
interface Backend {
  typedArrayFromHeap?(info: TensorInfo): Float32Array;
  makeOutput?(shape: number[], dtype: 'float32'): TensorInfo;
  readSync(dataId: unknown): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/**
 * New float32 outputs. Allocate all of a kernel's outputs before taking any view: a wasm
 * allocation may grow (and so detach) the heap. (The cpu backend has a makeOutput too, with
 * another signature.)
 */
export function allocateFloat32(backend: unknown, shapes: number[][]): TensorInfo[] {
  const b = backend as Backend;
  return shapes.map((shape) =>
    b.typedArrayFromHeap ? b.makeOutput!(shape, 'float32') : b.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((p, q) => p * q, 1))),
  );
}

/** The tensor's values, in place (writes to an output's view are its values). */
export function float32View(backend: unknown, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  const b = backend as Backend;
  return b.typedArrayFromHeap ? b.typedArrayFromHeap(info) : (b.readSync(info.dataId) as Float32Array);
}
