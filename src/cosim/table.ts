/**
 * The per-step table `microgrid` (docs/microgrid.md): one row per grid step, powers as means over the step,
 * UTC and local time of the step's start. Time strings are derived chunk by chunk when written.
 *
 * @example
 * microgridTable(cols, grid, startMs, "Europe/Berlin").numRows; // grid.steps
 */
import { zoneOffsetMinutes } from "../carbon/time.js";
import type { ChunkedTable } from "../tables/chunked.js";
import { column, type Column } from "../tables/table.js";
import type { MicrogridColumns } from "./engine.js";
import type { StepGrid } from "../microgrid/traces.js";

const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;

/**
 * The zone's UTC offset (minutes) at an instant, from two Intl lookups per UTC day (its start and end) plus a
 * bisection to the quarter hour on a day whose offset changes (every zone changes on a whole UTC quarter hour).
 * The Intl lookup costs ~20 µs: a year of minute steps would otherwise spend 10 s in it.
 */
export function offsetLookup(zone: string): (ms: number) => number {
  const days = new Map<number, { before: number; after: number; change: number }>();
  return (ms) => {
    const day = Math.floor(ms / DAY_MS);
    let d = days.get(day);
    if (d === undefined) {
      const t0 = day * DAY_MS;
      const before = zoneOffsetMinutes(zone, t0);
      const after = zoneOffsetMinutes(zone, t0 + DAY_MS - QUARTER_MS);
      let change = Number.POSITIVE_INFINITY;
      if (before !== after) {
        // first quarter hour with the new offset
        let lo = 0,
          hi = DAY_MS / QUARTER_MS - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (zoneOffsetMinutes(zone, t0 + mid * QUARTER_MS) === before) lo = mid + 1;
          else hi = mid;
        }
        change = t0 + lo * QUARTER_MS;
      }
      d = { before, after, change };
      days.set(day, d);
    }
    return ms < d.change ? d.before : d.after;
  };
}

/** ISO-8601 local time with offset, e.g. 2023-03-26T03:00:00+02:00. */
export function localTimeFormatter(zone: string): (ms: number) => string {
  const offsetAt = offsetLookup(zone);
  return (ms) => {
    const off = offsetAt(ms);
    const wall = new Date(ms + off * 60_000).toISOString().slice(0, 19);
    const a = Math.abs(off);
    return `${wall}${off < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  };
}

export function utcString(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

export function microgridTable(c: MicrogridColumns, grid: StepGrid, startMs: number | null, zone: string): ChunkedTable {
  const t = new Float64Array(grid.steps);
  for (let k = 0; k < grid.steps; k++) t[k] = k * grid.step;
  const local = localTimeFormatter(zone);
  const f64: Array<[string, Float64Array]> = [
    ["load_w", c.loadW],
    ["solar_w", c.solarW],
    ["battery_w", c.batteryW],
    ["soc", c.soc],
    ["grid_import_w", c.gridImportW],
    ["grid_export_w", c.gridExportW],
    ["shortfall_w", c.shortfallW],
    ["curtailed_w", c.curtailedW],
    ["ci_g_per_kwh", c.ci],
    ["emissions_g", c.emissionsG],
    ["battery_loss_wh", c.lossWh],
  ];
  return {
    name: "microgrid",
    numRows: grid.steps,
    chunk(start, end) {
      const utc: string[] = [];
      const loc: string[] = [];
      for (let k = start; k < end; k++) {
        const ms = startMs === null ? null : startMs + t[k] * 1000;
        utc.push(ms === null ? "" : utcString(ms));
        loc.push(ms === null ? "" : local(ms));
      }
      const cols: Column[] = [column("t_s", "f64", t.slice(start, end)), column("utc", "utf8", utc), column("local_time", "utf8", loc)];
      for (const [name, data] of f64) cols.push(column(name, "f64", data.slice(start, end)));
      return { name: "microgrid", columns: cols };
    },
  };
}
