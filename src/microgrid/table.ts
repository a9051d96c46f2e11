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

const HOUR_MS = 3_600_000;

/** ISO-8601 local time with offset, e.g. 2023-03-26T03:00:00+02:00; offsets cached per UTC hour. */
export function localTimeFormatter(zone: string): (ms: number) => string {
  const cache = new Map<number, number>();
  return (ms) => {
    const hour = Math.floor(ms / HOUR_MS);
    let off = cache.get(hour);
    if (off === undefined) {
      off = zoneOffsetMinutes(zone, ms);
      cache.set(hour, off);
    }
    const wall = new Date(ms + off * 60_000).toISOString().slice(0, 19);
    const a = Math.abs(off);
    return `${wall}${off < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
  };
}

export function utcString(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

export function microgridTable(c: MicrogridColumns, grid: StepGrid, startMs: number | null, zone: string): ChunkedTable {
  const t = Float64Array.from({ length: grid.steps }, (_, k) => k * grid.step);
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
