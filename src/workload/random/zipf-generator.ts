/**
 * Vidur's `ZipfGenerator` (YCSB's "Quickly generating billion-record synthetic databases" method) over the
 * integers min..max, on its own `np.random.RandomState(seed)`, reproduced operation for operation:
 *
 *   items = max − min + 1;  zeta(n, θ) = Σ_{i=1}^{n−1} i^−θ  (NumPy `arange(1, n)`: n−1 terms, summed pairwise)
 *   zeta2 = zeta(2, θ) = 1;  zetan = zeta(items, θ);  alpha = 1/(1−θ)
 *   eta = (1 − (2/items)^(1−θ)) / (1 − zeta2/(zetan + 1e−8))
 *   u = random_sample();  uz = u·zetan
 *   uz < 1 → min;  uz < 1 + 0.5^θ → min+1;  else min + int(items·(eta·u − eta + 1)^alpha)
 *
 * `scramble` replaces v by `min + hash(str(v) + str(seed)) % items` with Python's string hash; that hash is
 * salted per process unless PYTHONHASHSEED is set, so Vidur itself is not reproducible with scramble on.
 * Here it is deterministic: Python ≥ 3.11's hash under PYTHONHASHSEED = `scrambleHashSeed` (default 0).
 *
 * @example
 * const z = new ZipfGenerator(1024, 4096, 0.6, false, 42);
 * z.next(); // an integer in 1024..4097, skewed towards 1024
 */
import { NumpyRandomState } from "./numpy-random-state.js";
import { numpySum } from "./numpy-sum.js";
import { pythonStrHash } from "./python-str-hash.js";

const EPS = 1e-8;

function zeta(count: number, theta: number): number {
  const n = Math.max(0, Math.ceil(count - 1));
  const terms = new Float64Array(n);
  for (let i = 1; i <= n; i++) terms[i - 1] = 1 / Math.pow(i, theta);
  return numpySum(terms);
}

export class ZipfGenerator {
  private readonly items: number;
  private readonly alpha: number;
  private readonly zetan: number;
  private readonly eta: number;
  private readonly halfPowTheta: number;
  private readonly rng: NumpyRandomState;

  constructor(
    private readonly min: number,
    max: number,
    theta: number,
    private readonly scramble: boolean,
    private readonly seed: number,
    private readonly scrambleHashSeed = 0,
  ) {
    this.items = max - min + 1;
    const zeta2 = zeta(2, theta);
    this.alpha = 1.0 / (1.0 - theta);
    this.zetan = zeta(this.items, theta);
    this.eta = (1 - Math.pow(2.0 / this.items, 1 - theta)) / (1 - zeta2 / (this.zetan + EPS));
    this.halfPowTheta = Math.pow(0.5, theta);
    this.rng = new NumpyRandomState(seed);
  }

  private draw(): number {
    const u = this.rng.randomSample();
    const uz = u * this.zetan;
    if (uz < 1.0) return this.min;
    if (uz < 1.0 + this.halfPowTheta) return this.min + 1;
    return this.min + Math.trunc(this.items * Math.pow(this.eta * u - this.eta + 1, this.alpha));
  }

  /** The next value (an integer). */
  next(): number {
    const v = this.draw();
    if (!this.scramble) return v;
    // Python: hash(...) % items is a floor modulo (non-negative for positive items).
    const h = pythonStrHash(String(v) + String(this.seed), this.scrambleHashSeed);
    const items = BigInt(this.items);
    return this.min + Number(((h % items) + items) % items);
  }
}
