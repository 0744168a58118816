// Bilinear sampling of one HWC float image, shared by the images source (resize)
// and the geometric augmentations. Plain loops over typed arrays: a 64-image batch
// of 32x32x3 takes a few milliseconds, and it avoids tf.image.transform, which the
// cpu backend gets wrong for batches.

/**
 * Samples `src` ([h, w, c]) into `dst` ([H, W, c]) where output pixel (i, j) reads
 * the source at (map(i, j)) in pixel-centre coordinates, bilinearly; points outside
 * the source read 0.
 */
export function sampleBilinear(
  src: Float32Array,
  h: number,
  w: number,
  c: number,
  dst: Float32Array,
  H: number,
  W: number,
  map: (i: number, j: number) => [number, number],
): void {
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      const [sy, sx] = map(i, j);
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      const fy = sy - y0;
      const fx = sx - x0;
      const out = (i * W + j) * c;
      for (let k = 0; k < c; k++) dst[out + k] = 0;
      // Four neighbours, each weighted; neighbours outside the image contribute 0.
      for (let dy = 0; dy <= 1; dy++) {
        const yy = y0 + dy;
        if (yy < 0 || yy >= h) continue;
        const wy = dy === 0 ? 1 - fy : fy;
        if (wy === 0) continue;
        for (let dx = 0; dx <= 1; dx++) {
          const xx = x0 + dx;
          if (xx < 0 || xx >= w) continue;
          const wgt = wy * (dx === 0 ? 1 - fx : fx);
          if (wgt === 0) continue;
          const s = (yy * w + xx) * c;
          for (let k = 0; k < c; k++) dst[out + k] += wgt * src[s + k];
        }
      }
    }
  }
}

/**
 * Resizes an [h, w, c] image to [H, W, c] the way tf.image.resizeBilinear does with
 * half-pixel centres (edges clamped, no black border).
 */
export function resizeBilinear(src: Float32Array, h: number, w: number, c: number, H: number, W: number): Float32Array {
  const dst = new Float32Array(H * W * c);
  if (h === H && w === W) {
    dst.set(src);
    return dst;
  }
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  sampleBilinear(src, h, w, c, dst, H, W, (i, j) => [
    clamp(((i + 0.5) * h) / H - 0.5, h - 1),
    clamp(((j + 0.5) * w) / W - 0.5, w - 1),
  ]);
  return dst;
}
