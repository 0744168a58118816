// Bilinear sampling of one HWC float image, shared by the images source (resize)
// and the geometric augmentations. Plain loops over typed arrays: a 64-image batch
// of 32x32x3 takes a few milliseconds, and it avoids tf.image.transform, which the
// cpu backend gets wrong for batches.

/**
 * An affine map from output pixel (i, j) to source position (y, x), in pixel-centre
 * coordinates: y = yi·i + yj·j + y0, x = xi·i + xj·j + x0; optionally clamped to
 * [yMin, yMax] × [xMin, xMax] (resizing, where edges repeat instead of going black).
 */
export interface AffineMap {
  yi: number;
  yj: number;
  y0: number;
  xi: number;
  xj: number;
  x0: number;
  clamp?: { yMin: number; yMax: number; xMin: number; xMax: number };
}

/**
 * Samples `src` ([h, w, c]) into `dst` ([H, W, c]) through `map`, bilinearly; points
 * outside the source read 0.
 */
export function sampleBilinear(
  src: Float32Array,
  h: number,
  w: number,
  c: number,
  dst: Float32Array,
  H: number,
  W: number,
  map: AffineMap,
): void {
  const { yi, yj, y0: ya, xi, xj, x0: xa, clamp } = map;
  dst.fill(0, 0, H * W * c);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      let sy = yi * i + yj * j + ya;
      let sx = xi * i + xj * j + xa;
      if (clamp) {
        sy = Math.min(Math.max(sy, clamp.yMin), clamp.yMax);
        sx = Math.min(Math.max(sx, clamp.xMin), clamp.xMax);
      }
      const y0 = Math.floor(sy);
      const x0 = Math.floor(sx);
      if (y0 < -1 || y0 >= h || x0 < -1 || x0 >= w) continue;
      const fy = sy - y0;
      const fx = sx - x0;
      const out = (i * W + j) * c;
      // Four neighbours, each weighted; neighbours outside the image contribute 0.
      for (let dy = 0; dy <= 1; dy++) {
        const yy = y0 + dy;
        const wy = dy === 0 ? 1 - fy : fy;
        if (yy < 0 || yy >= h || wy === 0) continue;
        for (let dx = 0; dx <= 1; dx++) {
          const xx = x0 + dx;
          const wgt = wy * (dx === 0 ? 1 - fx : fx);
          if (xx < 0 || xx >= w || wgt === 0) continue;
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
  // Half-pixel centres: y = (i + 0.5)·h/H - 0.5, edges clamped.
  sampleBilinear(src, h, w, c, dst, H, W, {
    yi: h / H,
    yj: 0,
    y0: (0.5 * h) / H - 0.5,
    xi: 0,
    xj: w / W,
    x0: (0.5 * w) / W - 0.5,
    clamp: { yMin: 0, yMax: h - 1, xMin: 0, xMax: w - 1 },
  });
  return dst;
}
