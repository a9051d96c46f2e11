/**
 * The per-step table `microgrid` (docs/microgrid.md): one row per grid step, powers as means over the step,
 * UTC and local time of the step's start. Time strings are derived chunk by chunk when written.
 *
 * @example
 * microgridTable(cols, grid, startMs, "Europe/Berlin").numRows; // grid.steps
 */
import { zoneOffsetMinutes } from "../carbon/time.js";
import type { ChunkedTable } from "../output/table-stream.js";
import { column, type Column } from "../output/table.js";
import type { MicrogridColumns } from "./engine.js";
import type { StepGrid } from "./traces.js";

const QUARTER_MS = 900_000;

/**
 * The zone's UTC offset (minutes) at an instant, looked up once per UTC hour (every zone changes its offset on
 * a whole UTC quarter hour; the Intl lookup costs ~20 µs, a year of minute steps would spend 10 s in it).
 */
export function offsetLookup(zone: string): (ms: number) => number {
  const cache = new Map<number, number>();
  return (ms) => {
    const slot = Math.floor(ms / QUARTER_MS);
    let off = cache.get(slot);
    if (off === undefined) {
      off = zoneOffsetMinutes(zone, slot * QUARTER_MS);
      cache.set(slot, off);
    }
    return off;
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
