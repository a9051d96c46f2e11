/**
 * Exact quantiles with numpy's default ("linear") definition, which pandas' `Series.quantile` also uses:
 * for n sorted values, h = (n - 1)·q, result = lerp(x[floor h], x[floor h + 1], h - floor h), with
 * numpy's two-sided lerp so results match to the last bit. NaN values are ignored (as pandas does).
 * Hand-written on purpose: simple-statistics' quantile uses another definition (no interpolation between
 * order statistics), so it would not reproduce pandas' numbers.
 *
 * Two inputs: plain samples (Float64Array) and a run-length form (values + counts, value[i] occurring
 * counts[i] times), which the engine uses for per-token metrics and which is never expanded here.
 */

/** Headline statistics of a metric; every field is NaN (count 0) for no data. */
export interface Summary {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
  count: number;
}

function checkQ(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
}

/** numpy's _lerp: exact at both ends, symmetric rounding. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Sorts `values` in place (typed-array sort is numeric and puts NaN last); the part without NaN. */
function sortWithoutNaN(values: Float64Array): Float64Array {
  values.sort();
  let n = values.length;
  while (n > 0 && values[n - 1] !== values[n - 1]) n--;
  return values.subarray(0, n);
}

/** Sorted copy without NaN. */
function sortedFinite(values: Float64Array): Float64Array {
  return sortWithoutNaN(Float64Array.from(values));
}

/**
 * Quantile of values already sorted ascending and free of NaN (no copy). NaN when empty.
 *
 * @example
 * quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  checkQ(q);
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  return lerp(sorted[lo], sorted[lo + 1], h - lo);
}

/**
 * Several quantiles of unsorted samples (sorts one copy). NaN entries are ignored; NaN for no data.
 *
 * @example
 * quantiles(Float64Array.of(3, 1, 2, NaN), [0, 0.5, 1]); // [1, 2, 3]
 */
export function quantiles(values: Float64Array, qs: readonly number[]): number[] {
  const sorted = sortedFinite(values);
  return qs.map((q) => quantileSorted(sorted, q));
}

/**
 * One quantile of unsorted samples; see `quantiles`.
 *
 * @example
 * quantile(Float64Array.of(10, 0), 0.25); // 2.5
 */
export function quantile(values: Float64Array, q: number): number {
  return quantiles(values, [q])[0];
}

/** Run-length data sorted by value, NaN values and zero counts dropped, with cumulative counts. */
interface Runs {
  values: Float64Array;
  /** cum[i] = number of samples in runs 0..i (inclusive). */
  cum: Float64Array;
  total: number;
}

function buildRuns(values: Float64Array, counts: Uint32Array): Runs {
  if (values.length !== counts.length) {
    throw new RangeError(`values has ${values.length} entries but counts has ${counts.length}`);
  }
  let sorted = true;
  for (let i = 1; i < values.length && sorted; i++) sorted = values[i - 1] <= values[i];
  let runValues = values;
  let runCounts: ArrayLike<number> = counts;
  if (!sorted) {
    // Merge equal values first (run-length data repeats values a lot), then sort the distinct values with the
    // native numeric typed-array sort: far faster than sorting indices with a comparator.
    const merged = mergeEqualValues(values, counts);
    runValues = merged.values;
    runCounts = merged.counts;
  }
  const outValues = new Float64Array(runValues.length);
  const cum = new Float64Array(runValues.length);
  let m = 0;
  let total = 0;
  for (let i = 0; i < runValues.length; i++) {
    const v = runValues[i];
    if (v !== v || runCounts[i] === 0) continue;
    total += runCounts[i];
    outValues[m] = v;
    cum[m++] = total;
  }
  return { values: outValues.subarray(0, m), cum: cum.subarray(0, m), total };
}

/**
 * Sums the counts of equal values (NaN and zero counts dropped) and returns the distinct values sorted
 * ascending with their totals. Engine output arrives sorted already (the engine merges its TBT runs in WASM),
 * so this general path favours simplicity: an index sort, then one merging pass.
 */
function mergeEqualValues(values: Float64Array, counts: Uint32Array): { values: Float64Array; counts: Float64Array } {
  const order = Uint32Array.from({ length: values.length }, (_, i) => i).filter((i) => values[i] === values[i] && counts[i] !== 0);
  order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0)); // -0 and 0 compare equal
  const outValues = new Float64Array(order.length);
  const outCounts = new Float64Array(order.length);
  let m = 0;
  for (const i of order) {
    if (m > 0 && values[i] === outValues[m - 1]) outCounts[m - 1] += counts[i];
    else {
      outValues[m] = values[i] === 0 ? 0 : values[i];
      outCounts[m++] = counts[i];
    }
  }
  return { values: outValues.subarray(0, m), counts: outCounts.subarray(0, m) };
}

/** Value of the sample at 0-based rank r in the expanded sorted data (binary search on cum). */
function valueAtRank(runs: Runs, r: number): number {
  let lo = 0;
  let hi = runs.cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs.cum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return runs.values[lo];
}

function runsQuantile(runs: Runs, q: number): number {
  checkQ(q);
  const n = runs.total;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  if (lo >= n - 1) return valueAtRank(runs, n - 1);
  return lerp(valueAtRank(runs, lo), valueAtRank(runs, lo + 1), h - lo);
}

/**
 * Quantiles of run-length data (value[i] occurring counts[i] times), equal to `quantiles` of the expanded
 * samples, computed without expanding. Runs need not be sorted; NaN values and zero counts are ignored.
 *
 * @example
 * weightedQuantiles(Float64Array.of(1, 5), Uint32Array.of(3, 1), [0.5, 1]); // [1, 5]  (= 1,1,1,5)
 */
export function weightedQuantiles(values: Float64Array, counts: Uint32Array, qs: readonly number[]): number[] {
  const runs = buildRuns(values, counts);
  return qs.map((q) => runsQuantile(runs, q));
}

/**
 * One quantile of run-length data; see `weightedQuantiles`.
 *
 * @example
 * weightedQuantile(Float64Array.of(0, 10), Uint32Array.of(1, 1), 0.5); // 5
 */
export function weightedQuantile(values: Float64Array, counts: Uint32Array, q: number): number {
  return weightedQuantiles(values, counts, [q])[0];
}

/** Neumaier-compensated Σ value·weight / count (close to numpy's pairwise sum, never worse). */
function compensatedMean(values: Float64Array, weights: ArrayLike<number> | undefined, count: number): number {
  if (count === 0) return NaN;
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < values.length; i++) {
    const x = weights === undefined ? values[i] : values[i] * weights[i];
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  // With ±Infinity the compensation is NaN; the plain sum is then the right answer (as in numpy).
  return (Number.isFinite(sum) ? sum + comp : sum) / count;
}

/**
 * p50/p90/p99, mean, min, max and count of samples (NaN ignored).
 *
 * @example
 * summarize(Float64Array.of(1, 2, 3, 4)); // { p50: 2.5, p90: 3.7, p99: 3.97, mean: 2.5, min: 1, max: 4, count: 4 }
 */
export function summarize(values: Float64Array): Summary {
  return summarizeInPlace(Float64Array.from(values));
}

/**
 * `summarize` that sorts `values` in place instead of copying (for callers with a scratch array).
 *
 * @example
 * const scratch = Float64Array.of(3, NaN, 1); summarizeInPlace(scratch).p50; // 2 (scratch is now sorted)
 */
export function summarizeInPlace(values: Float64Array): Summary {
  const sorted = sortWithoutNaN(values);
  const n = sorted.length;
  return {
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    mean: compensatedMean(sorted, undefined, n),
    min: n === 0 ? NaN : sorted[0],
    max: n === 0 ? NaN : sorted[n - 1],
    count: n,
  };
}

/**
 * `summarize` of run-length data without expanding it; mean is Σ value·count / Σ count.
 *
 * @example
 * summarizeWeighted(Float64Array.of(1, 5), Uint32Array.of(3, 1)).mean; // 2
 */
export function summarizeWeighted(values: Float64Array, counts: Uint32Array): Summary {
  const runs = buildRuns(values, counts);
  const n = runs.total;
  const weights = new Float64Array(runs.values.length);
  for (let i = 0; i < weights.length; i++) weights[i] = runs.cum[i] - (i === 0 ? 0 : runs.cum[i - 1]);
  return {
    p50: runsQuantile(runs, 0.5),
    p90: runsQuantile(runs, 0.9),
    p99: runsQuantile(runs, 0.99),
    mean: compensatedMean(runs.values, weights, n),
    min: n === 0 ? NaN : runs.values[0],
    max: n === 0 ? NaN : runs.values[runs.values.length - 1],
    count: n,
  };
}
