/**
 * An empirical CDF small enough to draw: from the sorted samples, the points at `points` evenly spaced ranks
 * (exact in probability) together with the first sample at or above each of `points` evenly spaced values
 * (exact in value, so a long tail keeps its shape), plus the minimum and maximum. At most 2 × points + 2
 * points whatever the sample count. NaN samples (unfinished requests) are left out.
 *
 * @example
 * const c = empiricalCdf(Float64Array.of(3, 1, 2, NaN), 100);
 * c.x;   // Float64Array [1, 2, 3]
 * c.p;   // Float64Array [1/3, 2/3, 1]
 */
export interface Cdf {
  /** Sample values, ascending. */
  x: Float64Array;
  /** Fraction of samples ≤ x. */
  p: Float64Array;
  /** Samples counted (NaN left out). */
  count: number;
}

export function empiricalCdf(samples: ArrayLike<number>, points = 1000): Cdf {
  let n = 0;
  const sorted = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i];
    if (v === v) sorted[n++] = v;
  }
  const s = sorted.subarray(0, n).sort();
  if (n === 0) return { x: new Float64Array(0), p: new Float64Array(0), count: 0 };
  const ranks = new Set<number>([0, n - 1]);
  if (n <= 2 * points) {
    for (let i = 0; i < n; i++) ranks.add(i);
  } else {
    for (let k = 0; k <= points; k++) ranks.add(Math.round((k * (n - 1)) / points));
    const lo = s[0];
    const span = s[n - 1] - lo;
    let r = 0;
    for (let k = 1; k < points && span > 0; k++) {
      const v = lo + (span * k) / points;
      // first rank with s[r] >= v (s is sorted, v increases: one forward pass with galloping search)
      let step = 1;
      while (r + step < n && s[r + step] < v) step *= 2;
      let a = r;
      let b = Math.min(n - 1, r + step);
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (s[mid] < v) a = mid + 1;
        else b = mid;
      }
      r = a;
      ranks.add(r);
    }
  }
  const order = [...ranks].sort((a, b) => a - b);
  // equal values: keep the last rank of each run, so p is the fraction ≤ x
  const keep: number[] = [];
  for (const r of order) {
    let a = r;
    let b = n - 1;
    while (a < b) {
      const mid = (a + b + 1) >>> 1;
      if (s[mid] === s[r]) a = mid;
      else b = mid - 1;
    }
    if (keep.length === 0 || keep[keep.length - 1] !== a) keep.push(a);
  }
  return { x: Float64Array.from(keep, (r) => s[r]), p: Float64Array.from(keep, (r) => (r + 1) / n), count: n };
}
