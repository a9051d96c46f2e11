/**
 * An empirical CDF small enough to draw, from samples read one chunk at a time. Every point returned is
 * (x, fraction of samples ≤ x). Up to 2 × points samples, every distinct value is a point, exactly. Beyond that no sort is needed (sorting a million values costs more than the rest of a report): a
 * first pass finds the range, a second counts the samples in 65,536 equal bins, and a bin's upper edge becomes
 * a point when the CDF has risen by 1/(2·points) or x has moved by 1/(2·points) of the range since the last
 * point — sub-pixel in both directions on a chart, so steps and long tails keep their shape, with at most
 * about 4 × points points, each exact to within one bin (1/65,536 of the range). NaN samples (unfinished requests) are left out.
 *
 * @example
 * const c = empiricalCdf(Float64Array.of(3, 1, 2, NaN), 100);
 * c.x;   // Float64Array [1, 2, 3]
 * c.p;   // Float64Array [1/3, 2/3, 1]
 *
 * // a column of a large table, read twice a record batch at a time
 * const big = columnCdf((visit) => table.scan(["prefill_e2e_time"], (rows, [v]) => visit(v, rows)), 500);
 */
export interface Cdf {
  /** Sample values, ascending. */
  x: Float64Array;
  /** Fraction of samples ≤ x. */
  p: Float64Array;
  /** Samples counted (NaN left out). */
  count: number;
}

/** Calls `visit` once per chunk of samples (rows [0, rows) of `values`); must give the same samples each time. */
export type ChunkSource = (visit: (values: ArrayLike<number>, rows: number) => void) => void;

const BINS = 65_536;

export function empiricalCdf(samples: ArrayLike<number>, points = 1000): Cdf {
  return columnCdf((visit) => visit(samples, samples.length), points);
}

export function columnCdf(source: ChunkSource, points = 1000): Cdf {
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  source((v, rows) => {
    for (let i = 0; i < rows; i++) {
      const x = v[i];
      if (x !== x) continue;
      n++;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  });
  if (n === 0) return { x: new Float64Array(0), p: new Float64Array(0), count: 0 };
  if (n <= 2 * points || hi === lo) return exactCdf(source, n);
  const counts = new Uint32Array(BINS);
  const scale = BINS / (hi - lo);
  let atMin = 0;
  source((v, rows) => {
    for (let i = 0; i < rows; i++) {
      const x = v[i];
      if (x !== x) continue;
      if (x === lo) atMin++;
      const b = Math.floor((x - lo) * scale);
      counts[b < BINS ? b : BINS - 1]++;
    }
  });
  const xs: number[] = [lo];
  const ps: number[] = [atMin / n];
  const dp = 1 / (2 * points);
  const dx = (hi - lo) / (2 * points);
  let cum = 0;
  for (let b = 0; b < BINS; b++) {
    if (counts[b] === 0) continue;
    cum += counts[b];
    const x = b === BINS - 1 ? hi : lo + (b + 1) / scale;
    const p = cum / n;
    if (b === BINS - 1 || p - ps[ps.length - 1] >= dp || x - xs[xs.length - 1] >= dx) {
      xs.push(x);
      ps.push(p);
    }
  }
  return { x: Float64Array.from(xs), p: Float64Array.from(ps), count: n };
}

function exactCdf(source: ChunkSource, n: number): Cdf {
  const s = new Float64Array(n);
  let k = 0;
  source((v, rows) => {
    for (let i = 0; i < rows; i++) if (v[i] === v[i]) s[k++] = v[i];
  });
  s.sort();
  const xs: number[] = [];
  const ps: number[] = [];
  for (let i = 0; i < n; i++) {
    // the last of each run of equal values: p is the fraction ≤ x
    if (i + 1 < n && s[i + 1] === s[i]) continue;
    xs.push(s[i]);
    ps.push((i + 1) / n);
  }
  return { x: Float64Array.from(xs), p: Float64Array.from(ps), count: n };
}
