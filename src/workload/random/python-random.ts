/**
 * CPython's `random` module functions that Vidur uses (`random.seed`, `random.random`, `random.uniform`),
 * bit-exact: the same MT19937 stream seeded by `init_by_array`, the same 53-bit doubles, the same formula.
 *
 * @example
 * const r = new PythonRandom(42);
 * r.random();            // 0.6394267984578837
 * r.uniform(1024, 4096); // 1024 + 3072 * <next random()>
 */
import { MT19937 } from "./mt19937.js";

export class PythonRandom {
  private readonly mt: MT19937;

  /** Equivalent to `random.seed(seed)` with an integer seed. */
  constructor(seed: number) {
    this.mt = MT19937.python(seed);
  }

  /** `random.random()`: a double in [0, 1). */
  random(): number {
    return this.mt.random();
  }

  /** `random.uniform(a, b)` = `a + (b - a) * random()` (CPython's exact formula). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.mt.random();
  }
}
