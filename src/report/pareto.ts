/**
 * The Pareto front of a set of points: those no other point beats on both coordinates (at least as good on
 * both, better on one). Each axis is minimised or maximised; one sort and one pass, O(n log n).
 *
 * @example
 * paretoFront([{ x: 1, y: 5 }, { x: 2, y: 2 }, { x: 3, y: 3 }], "min", "min");   // Set {0, 1}
 * paretoFront([{ x: 10, y: 1 }, { x: 20, y: 3 }, { x: 15, y: 4 }], "max", "min"); // Set {0, 1}
 */
export function paretoFront(
  points: ReadonlyArray<{ x: number; y: number } | null>,
  xGoal: "min" | "max",
  yGoal: "min" | "max",
): Set<number> {
  const sx = xGoal === "min" ? 1 : -1;
  const sy = yGoal === "min" ? 1 : -1;
  const idx = points.flatMap((p, i) => (p && Number.isFinite(p.x) && Number.isFinite(p.y) ? [i] : []));
  // best x first; among equal x, best y first, so a later point with the same x is dominated
  idx.sort((a, b) => sx * (points[a]!.x - points[b]!.x) || sy * (points[a]!.y - points[b]!.y));
  const front = new Set<number>();
  let bestY = Infinity;
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  let lastOnFront = false;
  for (const i of idx) {
    const y = sy * points[i]!.y;
    const x = points[i]!.x;
    // an exact duplicate of a front point is not beaten by it
    const onFront: boolean = y < bestY || (lastOnFront && x === lastX && y === lastY);
    if (onFront) front.add(i);
    bestY = Math.min(bestY, y);
    lastOnFront = onFront;
    lastX = x;
    lastY = y;
  }
  return front;
}
