/**
 * Exact non-homogeneous Poisson arrivals for time-varying rates (λ(t) in requests per second), the core of
 * the `rate_trace` and `diurnal` interval generators. Two exact methods:
 *  - `stepRateArrivals`: a piecewise-constant rate, by inverting the integrated rate Λ(t) = ∫λ — draw
 *    E ~ Exp(1) and walk the steps until their area adds up to E (one draw per arrival);
 *  - `thinnedArrivals`: any bounded rate, by Lewis–Shedler thinning — candidates at the constant rate λmax,
 *    each kept with probability λ(t)/λmax (two draws per candidate, λmax/mean(λ) candidates per arrival).
 * The generators pass them tokenwatt's own seeded MT19937 stream (`ownStream`, src/workload/random/own-stream.ts),
 * never Vidur's global streams, so the draws of every existing generator stay as they were.
 *
 * @example
 * const next = stepRateArrivals(Float64Array.of(0, 10), Float64Array.of(2, 0.5), 20, ownStream(42, STREAM_TAG.arrivalRate));
 * next(0); // first arrival time in seconds (mean 0.5 s at 2 QPS); Infinity once past t = 20
 */
import type { PythonRandom } from "./random/python-random.js";

/** Given the previous arrival time, returns the next one (Infinity when there is none before the rate ends). */
export type NextArrival = (previous: number) => number;

/** An Exp(1) variate: -log(1 - U), U in [0, 1) (NumPy's standard_exponential; never infinite). */
function exponential(random: PythonRandom): number {
  return -Math.log(1 - random.random());
}

/**
 * Arrivals of a piecewise-constant rate: `rates[k]` requests/s on [starts[k], starts[k+1]) and the last
 * rate on [starts[n-1], end). Times before starts[0] have rate 0. Exact: each arrival inverts Λ.
 *
 * @example
 * const next = stepRateArrivals(Float64Array.of(0), Float64Array.of(4), 100, ownStream(1, 1));
 * let t = 0, n = 0; while ((t = next(t)) < 100) n++; // n ≈ 400 ± 20
 */
export function stepRateArrivals(starts: Float64Array, rates: Float64Array, end: number, random: PythonRandom): NextArrival {
  const n = starts.length;
  let k = 0; // the step holding the previous arrival (arrivals only move forward)
  return (previous) => {
    let t = previous;
    let e = exponential(random);
    while (k < n) {
      const stepEnd = k + 1 < n ? starts[k + 1] : end;
      if (t < starts[k]) t = starts[k];
      if (t >= stepEnd) {
        k++;
        continue;
      }
      const area = rates[k] * (stepEnd - t);
      if (e < area) return t + e / rates[k];
      e -= area;
      t = stepEnd;
      k++;
    }
    return Infinity;
  };
}

/**
 * Arrivals of a bounded rate `rate(t)` ≤ `maxRate` by thinning (exact for any such rate, including steps).
 *
 * @example
 * const next = thinnedArrivals((t) => 1 + Math.sin(t) ** 2, 2, ownStream(7, 1)); // mean rate 1.5
 */
export function thinnedArrivals(rate: (t: number) => number, maxRate: number, random: PythonRandom): NextArrival {
  return (previous) => {
    let t = previous;
    for (;;) {
      t += exponential(random) / maxRate;
      if (t === Infinity) return t;
      if (random.random() * maxRate < rate(t)) return t;
    }
  };
}
