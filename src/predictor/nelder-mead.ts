/**
 * Deterministic Nelder–Mead minimiser (no randomness: fixed initial simplex, fixed iteration budget), used
 * to fit roofline efficiencies. Good enough for the 2–4 smooth parameters fitted here. Hand-written because
 * simple-statistics has no derivative-free optimiser (its regressions are linear; these fits are not).
 *
 * @example
 * nelderMead(([x, y]) => (x! - 1) ** 2 + (y! + 2) ** 2, [0, 0]).x // ≈ [1, -2]
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  opts: { step?: number; maxIter?: number; tol?: number } = {},
): { x: number[]; fx: number } {
  const n = x0.length;
  const step = opts.step ?? 0.5;
  const maxIter = opts.maxIter ?? 400 * n;
  const tol = opts.tol ?? 1e-9;
  let pts = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] = p[i]! + step;
    pts.push(p);
  }
  let vals = pts.map(f);
  const add = (a: number[], b: number[], s: number) => a.map((v, i) => v + s * (b[i]! - v));
  for (let it = 0; it < maxIter; it++) {
    const order = vals.map((_, i) => i).sort((a, b) => vals[a]! - vals[b]!);
    pts = order.map((i) => pts[i]!);
    vals = order.map((i) => vals[i]!);
    if (Math.abs(vals[n]! - vals[0]!) < tol) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j]! += pts[i]![j]! / n;
    const worst = pts[n]!;
    const xr = add(centroid, worst, -1);
    const fr = f(xr);
    if (fr < vals[0]!) {
      const xe = add(centroid, worst, -2);
      const fe = f(xe);
      [pts[n], vals[n]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < vals[n - 1]!) {
      [pts[n], vals[n]] = [xr, fr];
    } else {
      const xc = add(centroid, worst, 0.5);
      const fc = f(xc);
      if (fc < vals[n]!) [pts[n], vals[n]] = [xc, fc];
      else {
        for (let i = 1; i <= n; i++) {
          pts[i] = add(pts[0]!, pts[i]!, 0.5);
          vals[i] = f(pts[i]!);
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= n; i++) if (vals[i]! < vals[best]!) best = i;
  return { x: pts[best]!, fx: vals[best]! };
}
