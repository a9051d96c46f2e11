/**
 * The Mersenne Twister MT19937 (Matsumoto & Nishimura 1998), bit-exact with CPython's `random` module and
 * NumPy's legacy `RandomState`, which are the two streams Vidur's request generators draw from.
 *
 * Two seedings exist because the two libraries seed differently from the same integer:
 * - Python `random.seed(n)`: `init_by_array` with the 32-bit little-endian words of `abs(n)`.
 * - NumPy `RandomState(n)` / `np.random.seed(n)`: `init_genrand(n)` (n in 0..2**32-1).
 *
 * @example
 * MT19937.python(42).random();   // 0.6394267984578837, like `random.seed(42); random.random()`
 * MT19937.numpy(42).random();    // 0.3745401188473625, like `np.random.RandomState(42).random_sample()`
 */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class MT19937 {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  private constructor() {}

  /** A generator seeded like Python's `random.seed(n)` for an integer n (any safe integer; sign ignored). */
  static python(seed: number): MT19937 {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Python seed must be a safe integer, got ${seed}`);
    const g = new MT19937();
    // CPython splits abs(n) into 32-bit words, least significant first; 0 gives the single word [0].
    let n = Math.abs(seed);
    const key: number[] = [];
    do {
      key.push(n % 0x100000000);
      n = Math.floor(n / 0x100000000);
    } while (n > 0);
    g.initByArray(key);
    return g;
  }

  /** A generator seeded like NumPy's legacy `RandomState(n)` (n in 0..2**32-1). */
  static numpy(seed: number): MT19937 {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`NumPy seed must be an integer in 0..2**32-1, got ${seed}`);
    }
    const g = new MT19937();
    g.initGenrand(seed >>> 0);
    return g;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i modulo 2**32 (Math.imul keeps the low 32 bits exactly).
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000; // MSB is 1, assuring a non-zero initial array
    this.mti = N;
  }

  private twist(): void {
    const mt = this.mt;
    let kk = 0;
    let y: number;
    for (; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.mti = 0;
  }

  /** An independent generator at the same point of the same stream. */
  clone(): MT19937 {
    const g = new MT19937();
    g.mt.set(this.mt);
    g.mti = this.mti;
    return g;
  }

  /** The next tempered 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits: `(a*2**26 + b) / 2**53`, a = 27 bits, b = 26 bits (CPython, NumPy). */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
  }
}
