/**
 * Interpolation of measured times *relative to the roofline*: the log of measured/roofline is smooth in the
 * shape, so interpolating it (and multiplying back) follows the physics between and beyond profiled points
 * instead of a staircase. 1-D: piecewise linear in log size, clamped at the ends. 2-D: inverse-distance
 * weighting on log axes, evaluated on a coarse grid and then linearly interpolated.
 *
 * @example
 * const f = logRatio1d([8, 16], [Math.log(1.2), Math.log(1.0)]); Math.exp(f(8)) // 1.2; Math.exp(f(1000)) // 1.0
 */
import { median } from "simple-statistics";

/** Piecewise-linear log-ratio in log(x); duplicate keys are replaced by their median. */
export function logRatio1d(keys: readonly number[], logRatios: readonly number[]): (x: number) => number {
  const groups = new Map<number, number[]>();
  keys.forEach((k, i) => groups.set(k, [...(groups.get(k) ?? []), logRatios[i]!]));
  const xs = [...groups.keys()].sort((a, b) => a - b);
  const lx = xs.map((x) => Math.log(x));
  const ys = xs.map((x) => median(groups.get(x)!));
  return (x) => {
    const l = Math.log(x);
    if (l <= lx[0]!) return ys[0]!;
    const n = lx.length;
    if (l >= lx[n - 1]!) return ys[n - 1]!;
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (lx[mid]! <= l) lo = mid;
      else hi = mid;
    }
    const t = (l - lx[lo]!) / (lx[hi]! - lx[lo]!);
    return ys[lo]! + t * (ys[hi]! - ys[lo]!);
  };
}

/** Inverse-distance-weighted value at (u, v) from scattered points (power 4: dominated by near points). */
export function idw(us: Float64Array, vs: Float64Array, ys: Float64Array, u: number, v: number): number {
  let wsum = 0;
  let ysum = 0;
  for (let i = 0; i < us.length; i++) {
    const du = us[i]! - u;
    const dv = vs[i]! - v;
    const d2 = du * du + dv * dv;
    if (d2 < 1e-12) return ys[i]!;
    const w = 1 / (d2 * d2);
    wsum += w;
    ysum += w * ys[i]!;
  }
  return ysum / wsum;
}

/**
 * A log-ratio surface over (a, b), from scattered samples, tabulated at every `aNodes` value and at
 * `bCount` log-spaced b values in [1, bMax]; lookup is linear in log b.
 */
export function logRatio2d(
  a: readonly number[],
  b: readonly number[],
  logRatios: readonly number[],
  aNodes: readonly number[],
  bMax: number,
  axis: (x: number) => number = (x) => Math.log2(x + 1),
  bCount = 48,
): (aIndex: number, b: number) => number {
  const us = Float64Array.from(a, axis);
  const vs = Float64Array.from(b, (x) => Math.log2(x));
  const ys = Float64Array.from(logRatios);
  const bNodes = Array.from({ length: bCount }, (_, i) => Math.pow(bMax, i / (bCount - 1)));
  const lb = bNodes.map((x) => Math.log2(x));
  // Rows are tabulated on first use: clamped profile lookups touch only the profiled kv range.
  const grid = new Float64Array(aNodes.length * bCount);
  const done = new Uint8Array(aNodes.length);
  const fill = (i: number) => {
    const u = axis(aNodes[i]!);
    for (let j = 0; j < bCount; j++) grid[i * bCount + j] = idw(us, vs, ys, u, lb[j]!);
    done[i] = 1;
  };
  const step = lb[1]! - lb[0]!;
  return (ai, bv) => {
    if (!done[ai]) fill(ai);
    const t = step > 0 ? Math.log2(bv) / step : 0;
    const j = Math.min(bCount - 2, Math.max(0, Math.floor(t)));
    const f = Math.min(1, Math.max(0, t - j));
    const row = ai * bCount;
    return grid[row + j]! * (1 - f) + grid[row + j + 1]! * f;
  };
}
