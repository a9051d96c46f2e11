/**
 * Carbon intensity over simulated time as a piecewise-linear table with its exact primitive C(t) = ∫_0^t CI dt
 * (g/kWh · s), which the engine uses to integrate P·CI exactly. Built from a constant (region, country) or from
 * trace points with a fill method: ffill (a value holds until the next stamp; WattTime/Vessim default),
 * bfill (period-end stamps: a value covers the interval before its stamp; Solcast style) or linear.
 *
 * @example
 * const t = constantTable(350.861);  cumCi(t, 3600)  // 350.861 · 3600
 */
import { InputError } from "../core/errors.js";

export type FillMethod = "ffill" | "bfill" | "linear";

export interface CiTable {
  /** Segment starts (simulated s), values at the starts, slopes (g/kWh per s), primitive at the starts. */
  t: Float64Array;
  v: Float64Array;
  s: Float64Array;
  c: Float64Array;
  /** Where the data end (simulated s); Infinity for a constant. */
  end: number;
}

export function constantTable(ci: number): CiTable {
  return { t: Float64Array.of(0), v: Float64Array.of(ci), s: Float64Array.of(0), c: Float64Array.of(0), end: Number.POSITIVE_INFINITY };
}

/**
 * Table from points (simulated seconds, sorted, unique) with a fill method; `step` is the typical spacing
 * (how long the last ffill value / first bfill value lasts). The primitive is shifted so that C(0) = 0.
 */
export function tableFromPoints(times: Float64Array, values: Float64Array, fill: FillMethod, step: number, what = "carbon trace"): CiTable {
  const n = times.length;
  const t: number[] = [],
    v: number[] = [],
    s: number[] = [];
  let end: number;
  if (fill === "ffill") {
    for (let i = 0; i < n; i++) {
      t.push(times[i]);
      v.push(values[i]);
      s.push(0);
    }
    end = times[n - 1] + step;
  } else if (fill === "bfill") {
    t.push(times[0] - step);
    v.push(values[0]);
    s.push(0);
    for (let i = 1; i < n; i++) {
      t.push(times[i - 1]);
      v.push(values[i]);
      s.push(0);
    }
    end = times[n - 1];
  } else {
    for (let i = 0; i + 1 < n; i++) {
      t.push(times[i]);
      v.push(values[i]);
      s.push((values[i + 1] - values[i]) / (times[i + 1] - times[i]));
    }
    if (n === 1) {
      t.push(times[0]);
      v.push(values[0]);
      s.push(0);
      end = times[0] + step;
    } else end = times[n - 1];
  }
  if (t[0] > 0) throw new InputError(`the ${what} starts ${t[0]} s after the simulation start (--start): it must cover t = 0`);
  // keep from the segment containing 0
  let first = 0;
  while (first + 1 < t.length && t[first + 1] <= 0) first++;
  const table: CiTable = {
    t: Float64Array.from(t.slice(first)),
    v: Float64Array.from(v.slice(first)),
    s: Float64Array.from(s.slice(first)),
    c: new Float64Array(t.length - first),
    end,
  };
  if (end <= 0) throw new InputError(`the ${what} ends before the simulation start (--start)`);
  let acc = 0;
  for (let j = 0; j < table.t.length; j++) {
    table.c[j] = acc;
    const segEnd = j + 1 < table.t.length ? table.t[j + 1] : end;
    const dx = segEnd - table.t[j];
    acc += dx * (table.v[j] + 0.5 * table.s[j] * dx);
  }
  const c0 = primAt(table, 0, 0);
  for (let j = 0; j < table.c.length; j++) table.c[j] -= c0;
  return table;
}

function primAt(tb: CiTable, j: number, x: number): number {
  const dx = x - tb.t[j];
  return tb.c[j] + dx * (tb.v[j] + 0.5 * tb.s[j] * dx);
}

/** C(t) as the engine computes it (hold or wrap beyond the end). */
export function cumCi(tb: CiTable, t: number, wrap = false): number {
  const n = tb.t.length;
  let x = t;
  let base = 0;
  if (x >= tb.end) {
    const total = primAt(tb, n - 1, tb.end);
    if (!wrap) return total + (tb.v[n - 1] + tb.s[n - 1] * (tb.end - tb.t[n - 1])) * (x - tb.end);
    const period = tb.end - tb.t[0];
    const k = Math.floor((x - tb.t[0]) / period);
    base = k * (total - tb.c[0]);
    x = Math.min(x - k * period, tb.end);
  }
  let lo = 0,
    hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tb.t[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return base + primAt(tb, lo, x);
}

/** CI at t (inside the table). */
export function ciAt(tb: CiTable, t: number): number {
  let j = 0;
  while (j + 1 < tb.t.length && tb.t[j + 1] <= t) j++;
  return tb.v[j] + tb.s[j] * (t - tb.t[j]);
}

/**
 * Means over consecutive steps [k·dt, (k+1)·dt) for k < n (the last one ends at `end`), exact for the
 * piecewise-linear table, in one forward pass (no search per step). Energy-preserving: mean × length = ∫.
 *
 * @example
 * stepMeans(tableFromPoints(Float64Array.of(0, 10), Float64Array.of(2, 4), "ffill", 10), 5, 4, 20); // [2, 2, 4, 4]
 */
export function stepMeans(tb: CiTable, dt: number, n: number, end: number, wrap = false, out = new Float64Array(n)): Float64Array {
  const last = tb.t.length - 1;
  if (!wrap && end <= tb.end) {
    let j = 0;
    let prev = primAtCursor(0);
    for (let k = 0; k < n; k++) {
      const a = k * dt;
      const b = k + 1 === n ? end : (k + 1) * dt;
      const cb = primAtCursor(b);
      out[k] = b > a ? (cb - prev) / (b - a) : ciAt(tb, a);
      prev = cb;
    }
    return out;
    function primAtCursor(x: number): number {
      while (j < last && tb.t[j + 1] <= x) j++;
      return primAt(tb, j, x);
    }
  }
  let prev = cumCi(tb, 0, wrap);
  for (let k = 0; k < n; k++) {
    const a = k * dt;
    const b = k + 1 === n ? end : (k + 1) * dt;
    const cb = cumCi(tb, b, wrap);
    out[k] = b > a ? (cb - prev) / (b - a) : ciAt(tb, a);
    prev = cb;
  }
  return out;
}
