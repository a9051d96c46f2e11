/**
 * Min/max down-sampling for time series: the x range is cut into `buckets` equal slices (one per pixel
 * column, or half of one) and each slice keeps, for every series, its smallest and largest value, in the
 * order they occurred. A line through the result covers exactly the vertical extent the full series covers
 * in that pixel column, so spikes and dips are never lost however long the run; the output has at most
 * 2 × buckets points. Series sharing one x column are sampled together (2 points per bucket: the slice's
 * first and last x), which keeps them aligned for one chart. NaN (a gap) is kept as a gap when a whole
 * slice is NaN. Input x must be ascending; inputs shorter than 2 × buckets are returned unchanged.
 *
 * @example
 * const x = Float64Array.from({ length: 1_000_000 }, (_, i) => i);
 * const y = Float64Array.from(x, (t) => (t === 500_000 ? 100 : Math.sin(t / 1000)));
 * const d = minMaxDownsample(x, [y], 1000);
 * d.x.length;                 // 2000
 * Math.max(...d.ys[0]);       // 100: the one-sample spike survives
 */
export interface Downsampled {
  x: Float64Array;
  ys: Float64Array[];
}

export function minMaxDownsample(x: ArrayLike<number>, ys: readonly ArrayLike<number>[], buckets: number): Downsampled {
  const n = x.length;
  if (n <= 2 * buckets || n < 2) return { x: Float64Array.from(x), ys: ys.map((y) => Float64Array.from(y)) };
  const x0 = x[0];
  const span = x[n - 1] - x0 || 1;
  const outX = new Float64Array(2 * buckets);
  const outYs = ys.map(() => new Float64Array(2 * buckets));
  let m = 0;
  let start = 0;
  for (let b = 0; b < buckets && start < n; b++) {
    // [start, end): the samples whose x falls in slice b (the last slice includes x_max)
    const limit = b === buckets - 1 ? Infinity : x0 + (span * (b + 1)) / buckets;
    let end = start;
    while (end < n && x[end] < limit) end++;
    if (end === start) continue;
    outX[m] = x[start];
    outX[m + 1] = x[end - 1];
    for (let s = 0; s < ys.length; s++) {
      const y = ys[s];
      let lo = Number.NaN;
      let hi = Number.NaN;
      let loAt = -1;
      let hiAt = -1;
      for (let i = start; i < end; i++) {
        const v = y[i];
        if (v !== v) continue;
        if (loAt < 0 || v < lo) {
          lo = v;
          loAt = i;
        }
        if (hiAt < 0 || v > hi) {
          hi = v;
          hiAt = i;
        }
      }
      const first = loAt <= hiAt ? lo : hi;
      const second = loAt <= hiAt ? hi : lo;
      outYs[s][m] = first;
      outYs[s][m + 1] = second;
    }
    m += 2;
    start = end;
  }
  return { x: outX.slice(0, m), ys: outYs.map((y) => y.slice(0, m)) };
}
