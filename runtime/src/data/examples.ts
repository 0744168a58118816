// Examples held as plain typed arrays while the loader shuffles, splits, subsets,
// adds label noise and normalizes; they become tensors only at the end.

/** Numeric examples: `x` holds n examples of `exampleShape`, row-major, one after another. */
export interface DenseExamples {
  kind: 'dense';
  n: number;
  exampleShape: number[];
  x: Float32Array;
  /** Class indices (Int32Array) or regression targets (Float32Array, `targetSize` per example). */
  y: Int32Array | Float32Array;
  targetSize: number;
}

/** Tokenized documents, encoded to ids once the vocabulary of the training split is known. */
export interface TextExamples {
  kind: 'text';
  n: number;
  tokens: string[][];
  y: Int32Array | Float32Array;
  targetSize: number;
}

export type Examples = DenseExamples | TextExamples;

export function exampleSize(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The examples at `indices`, in that order (a copy). */
export function takeExamples<E extends Examples>(e: E, indices: ArrayLike<number>): E {
  const n = indices.length;
  const ts = e.targetSize;
  const y = e.y instanceof Int32Array ? new Int32Array(n * ts) : new Float32Array(n * ts);
  for (let i = 0; i < n; i++) for (let k = 0; k < ts; k++) y[i * ts + k] = e.y[indices[i] * ts + k];
  if (e.kind === 'text') {
    const tokens: string[][] = [];
    for (let i = 0; i < n; i++) tokens.push(e.tokens[indices[i]]);
    return { ...e, n, tokens, y };
  }
  const size = exampleSize(e.exampleShape);
  const x = new Float32Array(n * size);
  for (let i = 0; i < n; i++) x.set(e.x.subarray(indices[i] * size, (indices[i] + 1) * size), i * size);
  return { ...e, n, x, y };
}

export function range(start: number, end: number): Int32Array {
  const r = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < r.length; i++) r[i] = start + i;
  return r;
}
