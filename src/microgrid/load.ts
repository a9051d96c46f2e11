/**
 * The load of `tokenwatt cosim`: a constant (--load-w), a load trace (Vessim's load_example layout: time in
 * seconds or date-times, one column per trace; --load-column, values × --load-scale W), or a finished run's
 * facility power (--from-run DIR: its timeline table, facility_energy_j per bucket, averaged exactly over each
 * grid step; buckets straddling a step boundary are split in proportion to time).
 *
 * @example
 * const run = readRunTimeline("simulator_output"); run.durationS;
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { readSeries } from "../carbon/series.js";
import { readCsv } from "../core/csv.js";
import { InputError } from "../core/errors.js";
import { seriesStepMeans, type StepGrid } from "./traces.js";

export interface RunTimeline {
  start: Float64Array;
  end: Float64Array;
  facilityJ: Float64Array;
  durationS: number;
  /** The run's --start (ISO) from its summary.json, if it had one. */
  startIso: string | null;
}

export function readRunTimeline(dir: string): RunTimeline {
  const path = join(dir, "timeline.csv");
  if (!existsSync(path)) {
    throw new InputError(`--from-run ${dir}: no timeline.csv (run tokenwatt simulate with energy on and --formats including csv)`);
  }
  const table = readCsv(path, [{ name: "t_start_s" }, { name: "t_end_s" }, { name: "facility_energy_j" }]);
  const n = table.rows;
  const start = table.numbers.t_start_s;
  const end = table.numbers.t_end_s;
  const facilityJ = table.numbers.facility_energy_j;
  for (let i = 1; i < n; i++) {
    if (start[i] < end[i - 1] - 1e-9) throw InputError.at(path, table.lines[i], "t_start_s", "goes back in time");
  }
  let startIso: string | null = null;
  const summaryPath = join(dir, "summary.json");
  if (existsSync(summaryPath)) {
    try {
      const s = JSON.parse(readFileSync(summaryPath, "utf8")) as { carbon?: { start?: string | null } };
      startIso = s.carbon?.start ?? null;
    } catch {
      throw new InputError(`--from-run ${summaryPath}: cannot be read as JSON`);
    }
  }
  return { start, end, facilityJ, durationS: n ? end[n - 1] : 0, startIso };
}

/** Mean facility power (W) of the run over each grid step (exact: energies are split by time within a bucket). */
export function runStepMeans(tl: RunTimeline, grid: StepGrid): Float64Array {
  if (grid.duration > tl.durationS + 1e-9) {
    throw new InputError(`--duration ${grid.duration} s is longer than the --from-run run (${tl.durationS} s)`);
  }
  const energy = new Float64Array(grid.steps);
  for (let i = 0; i < tl.start.length; i++) {
    const a = tl.start[i],
      b = tl.end[i];
    if (b <= a) continue;
    const p = tl.facilityJ[i] / (b - a);
    let x = a;
    while (x < b - 1e-12 && x < grid.duration) {
      const k = Math.min(grid.steps - 1, Math.floor(x / grid.step + 1e-12));
      const e = Math.min(b, (k + 1) * grid.step, grid.duration);
      energy[k] += p * (e - x);
      x = e;
    }
  }
  return energy.map((e, k) => e / ((k + 1 === grid.steps ? grid.duration : (k + 1) * grid.step) - k * grid.step));
}

/** A load trace's step means in W. */
export function loadTraceStepMeans(
  path: string,
  o: { column: string | null; scale: number; startMs: number | null },
  grid: StepGrid,
): Float64Array {
  const series = readSeries(path, {
    flag: "--load-trace",
    column: o.column,
    columnFlag: "--load-column",
    tz: "UTC",
    tzFlag: "--load-trace",
    gaps: "error",
    gapsHint: "repair the trace",
    check: (v) => (v < 0 ? `must be >= 0 (load), got ${v}` : undefined),
  });
  return seriesStepMeans(
    series,
    { startMs: o.startMs, fill: "ffill", scale: o.scale, what: "load trace", flag: "--load-trace", path },
    grid,
  );
}
