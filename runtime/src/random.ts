// Seeded randomness for everything a run draws (shuffling, label noise,
// augmentation, initializer and dropout seeds), so a seed repeats a run exactly.

/** sfc32-style 32-bit generator: small, fast, and its state serializes as four numbers. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | number[]) {
    const s = Array.isArray(seed) ? seed : [seed >>> 0, 0x9e3779b9, 0x243f6a88, 0xb7e15162];
    [this.a, this.b, this.c, this.d] = s.map((v) => v >>> 0);
    if (!Array.isArray(seed)) for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher-Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** A child generator for an independent stream (e.g. one per epoch). */
  fork(): Random {
    return new Random([this.nextUint32(), this.nextUint32(), this.nextUint32(), this.nextUint32()]);
  }

  /** An integer seed for tfjs ops that take one (initializers, dropout). */
  seed(): number {
    return this.nextUint32() % 2147483647;
  }

  getState(): number[] {
    return [this.a, this.b, this.c, this.d];
  }
}
