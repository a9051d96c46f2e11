/**
 * A timestamped series (src/carbon/series.ts) on the run's clock: anchored by its own stamps against --start
 * (or, offset-indexed, t = 0 = the run start), filled per its fill rule, checked to cover the run, and averaged
 * exactly over each grid step.
 *
 * @example
 * const w = seriesStepMeans(series, { startMs, fill: "ffill", scale: 5000, what: "solar trace", flag: "--solar-trace", path }, grid);
 */
import { InputError } from "../core/errors.js";
import { stepMeans, tableFromPoints, type CiTable, type FillMethod } from "../carbon/intensity.js";
import type { Series } from "../carbon/series.js";

/** The run's steps: n steps of `step` s, the last ending at `duration`. */
export interface StepGrid {
  step: number;
  steps: number;
  duration: number;
}

export function stepGrid(step: number, duration: number): StepGrid {
  const steps = Math.max(1, Math.ceil(duration / step - 1e-9));
  return { step, steps, duration };
}

export interface Anchor {
  /** Run start (ms since epoch) or null when nothing anchors the run to real time. */
  startMs: number | null;
  fill: FillMethod;
  scale: number;
  what: string;
  flag: string;
  path: string;
}

/** The series on the run's clock as a piecewise table (values × scale) with its primitive. */
export function seriesTable(s: Series, a: Anchor): CiTable {
  let origin = 0;
  if (!s.offsetIndexed) {
    if (a.startMs === null) throw new InputError(`${a.flag} ${a.path}: date-time stamps need --start to place them on the run's clock`);
    origin = a.startMs / 1000;
  }
  const rel = Float64Array.from(s.times, (x) => x - origin);
  const values = Float64Array.from(s.values, (v) => v * a.scale);
  return tableFromPoints(rel, values, a.fill, s.step, `${a.what} ${a.path}`);
}

/** Throws unless the table covers [0, duration]. */
export function checkCoverage(table: CiTable, a: Anchor, duration: number): void {
  if (table.end < duration - 1e-9) {
    const covered = Math.max(0, table.end);
    const from = a.startMs !== null ? ` ${new Date(a.startMs).toISOString()}` : "";
    throw new InputError(
      `${a.flag} ${a.path}: covers ${covered} s of the ${duration} s run (from the run start${from}); ` +
        "shorten the run or give a longer trace",
    );
  }
}

/** The series' step means on the run's grid (values × scale). */
export function seriesStepMeans(s: Series, a: Anchor, grid: StepGrid): Float64Array {
  const table = seriesTable(s, a);
  checkCoverage(table, a, grid.duration);
  return stepMeans(table, grid.step, grid.steps, grid.duration);
}
