/**
 * NumPy's *legacy* `RandomState` (the global `np.random` after `np.random.seed(n)`, and `RandomState(n)`),
 * for the draws Vidur's generators make: `random_sample`, `standard_exponential`, `standard_normal` (polar
 * Box–Muller with the cached second value), `standard_gamma` (Marsaglia–Tsang for shape ≥ 1; the legacy
 * rejection sampler for shape < 1) and `permutation` (Fisher–Yates with masked rejection sampling).
 *
 * Exactness: the control flow and every arithmetic operation follow NumPy's `legacy-distributions.c` /
 * `distributions.c`, so the consumed MT19937 words are identical and results agree bit-for-bit except where
 * V8's `Math.log`/`Math.pow`/`Math.sqrt` differ from the C library (log/pow by at most 1 ulp, rarely; sqrt
 * is exact). Such a 1-ulp difference can in principle flip a rejection test and desynchronise the stream,
 * with probability of order 1e-16 per draw.
 *
 * @example
 * const rs = new NumpyRandomState(42);
 * rs.randomSample();       // 0.3745401188473625
 * new NumpyRandomState(42).permutation(10); // [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]
 */
import { MT19937 } from "./mt19937.js";

export class NumpyRandomState {
  private readonly mt: MT19937;
  private hasGauss = false;
  private gaussCache = 0;

  /** Equivalent to `np.random.RandomState(seed)` / `np.random.seed(seed)` with seed in 0..2**32-1. */
  constructor(seed: number) {
    this.mt = MT19937.numpy(seed);
  }

  /** `random_sample()`: a 53-bit double in [0, 1). */
  randomSample(): number {
    return this.mt.random();
  }

  /** `standard_exponential()` in the legacy form `-log(1 - U)`. */
  standardExponential(): number {
    return -Math.log(1.0 - this.mt.random());
  }

  /** `standard_normal()`: polar Box–Muller; every second call returns the cached value. */
  gauss(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const cached = this.gaussCache;
      this.gaussCache = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.mt.random() - 1.0;
      x2 = 2.0 * this.mt.random() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * Math.log(r2)) / r2);
    this.gaussCache = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** `standard_gamma(shape)` (legacy algorithm), shape > 0. */
  standardGamma(shape: number): number {
    if (shape === 1.0) return this.standardExponential();
    if (shape === 0.0) return 0.0;
    if (shape < 1.0) {
      // Johnk/Ahrens–Dieter style rejection used by NumPy's legacy sampler for shape < 1.
      for (;;) {
        const u = this.mt.random();
        const v = this.standardExponential();
        if (u <= 1.0 - shape) {
          const x = Math.pow(u, 1.0 / shape);
          if (x <= v) return x;
        } else {
          const y = -Math.log((1 - u) / shape);
          const x = Math.pow(1.0 - shape + shape * y, 1.0 / shape);
          if (x <= v + y) return x;
        }
      }
    }
    // Marsaglia–Tsang (2000).
    const b = shape - 1.0 / 3.0;
    const c = 1.0 / Math.sqrt(9 * b);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.gauss();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const u = this.mt.random();
      if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return b * v;
      if (Math.log(u) < 0.5 * x * x + b * (1.0 - v + Math.log(v))) return b * v;
    }
  }

  /** A uniform integer in 0..max by masked rejection (NumPy's `random_interval`, 32-bit path; max < 2**32). */
  randomInterval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    while ((value = (this.mt.nextUint32() & mask) >>> 0) > max);
    return value;
  }

  /** `permutation(n)`: a shuffled `arange(n)` (legacy Fisher–Yates from the end). */
  permutation(n: number): Int32Array {
    const arr = new Int32Array(n);
    for (let i = 0; i < n; i++) arr[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.randomInterval(i);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }
}
