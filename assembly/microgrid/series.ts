// The solar power table of an in-loop microgrid: piecewise linear over simulated seconds with its exact
// primitive (same layout as the carbon-intensity table in energy.ts: segment starts, values, slopes,
// primitive at the starts), so the mean over any grid step is exact. Beyond its end the last value holds
// (the host refuses runs that outlast a solar trace).
let n: i32 = 0;
let tt: usize = 0;
let vv: usize = 0;
let ss: usize = 0;
let cc: usize = 0;
let tEnd: f64 = 0;
let cursor: i32 = 0;

/** Allocates the table (4 columns of count f64) on the current heap; the host fills it. */
export function allocSolarTable(count: i32, end: f64): usize {
  n = count;
  tEnd = end;
  cursor = 0;
  const p = heap.alloc(<usize>(4 * count) << 3);
  tt = p;
  vv = p + (<usize>count << 3);
  ss = p + (<usize>(2 * count) << 3);
  cc = p + (<usize>(3 * count) << 3);
  return p;
}

export function resetSolarTable(): void {
  n = 0;
}

@inline function f(col: usize, j: i32): f64 {
  return load<f64>(col + (<usize>j << 3));
}

@inline function prim(j: i32, x: f64): f64 {
  const dx = x - f(tt, j);
  return f(cc, j) + dx * (f(vv, j) + 0.5 * f(ss, j) * dx);
}

/** ∫_0^t solar dt (J); queries mostly increase (a cursor). */
export function solarPrimitive(t: f64): f64 {
  if (n == 0) return 0;
  let x = t;
  let extra: f64 = 0;
  if (x > tEnd) {
    const last = n - 1;
    extra = (f(vv, last) + f(ss, last) * (tEnd - f(tt, last))) * (x - tEnd);
    x = tEnd;
  }
  let j = cursor;
  if (j >= n || f(tt, j) > x) {
    // backwards: binary search for the last segment starting at or before x
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (f(tt, mid) <= x) lo = mid;
      else hi = mid - 1;
    }
    j = lo;
  }
  while (j + 1 < n && f(tt, j + 1) <= x) j++;
  cursor = j;
  return prim(j, x) + extra;
}
