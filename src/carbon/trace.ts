/**
 * `--carbon-trace FILE`: a timestamped carbon-intensity CSV, read strictly. Layouts accepted:
 *  - Vessim 0.9 / WattTime as bundled by Vessim: `time,<zone>[,<zone>...]` (naive UTC stamps, g/kWh),
 *    also with Vessim's `oootime` header; pick a column with --carbon_trace_column when there are several;
 *  - Vessim main `Trace`: first column seconds since the trace start (offset-indexed, no zone needed);
 *  - WattTime API exports: `point_time,value,...` (MOER in lbs/MWh: the unit must be stated).
 * Refused with an InputError naming file:line and the flag that fixes it: unsorted or duplicate stamps, gaps
 * wider than 3× the median spacing (unless --carbon_trace_gaps fill), naive stamps without --carbon_trace_tz,
 * negative or implausible values for the unit, a trace that does not cover --start. A run longer than the
 * trace is checked after the run (--carbon_trace_beyond).
 */
import { InputError } from "../core/errors.js";
import { tableFromPoints, type CiTable, type FillMethod } from "./intensity.js";
import { readSeries } from "./series.js";

export const CI_UNITS = ["g_per_kwh", "kg_per_kwh", "lbs_per_mwh", "g_per_mwh"] as const;
export type CiUnit = (typeof CI_UNITS)[number];
const TO_G_PER_KWH: Record<CiUnit, number> = { g_per_kwh: 1, kg_per_kwh: 1000, lbs_per_mwh: 0.45359237, g_per_mwh: 0.001 };
/** Highest plausible grid intensity after conversion (coal ≈ 820-1000 g/kWh; Ember's maximum country ≈ 1300). */
export const MAX_PLAUSIBLE_G_PER_KWH = 2000;

export interface TraceOptions {
  column?: string | null;
  unit?: CiUnit | null;
  tz?: string | null;
  fill: FillMethod;
  gaps: "error" | "fill";
  /** --start in ms since epoch, if given. */
  startMs?: number | null;
}

export interface LoadedTrace {
  table: CiTable;
  notes: string[];
  /** The anchor used (ms since epoch), null for offset-indexed traces without --start. */
  startMs: number | null;
  /** Trace span in simulated seconds [first, end). */
  coverage: [number, number];
  column: string;
  unit: CiUnit;
  rows: number;
}

const WATTTIME_META = new Set(["frequency", "market", "region", "ba", "datatype", "signal_type", "version"]);

export function readCarbonTrace(path: string, o: TraceOptions): LoadedTrace {
  const series = readSeries(path, {
    flag: "--carbon-trace",
    column: o.column,
    columnFlag: "--carbon_trace_column",
    tz: o.tz,
    tzFlag: "--carbon_trace_tz",
    tzHint: "add --carbon_trace_tz (Vessim and WattTime exports are UTC: --carbon_trace_tz UTC)",
    gaps: o.gaps,
    gapsHint: `pass --carbon_trace_gaps fill to bridge gaps with --carbon_trace_fill ${o.fill}, or repair the trace`,
    metaColumns: WATTTIME_META,
    check: (v) => (v < 0 ? `must be >= 0 (carbon intensity), got ${v}` : undefined),
  });
  const header = series.header;
  const col = { h: series.column };
  const timeHeader = header[0].toLowerCase();
  const wattTimeApi =
    timeHeader === "point_time" ||
    /moer/i.test(col.h) ||
    (col.h.toLowerCase() === "value" && header.some((h) => h.toLowerCase() === "signal_type"));
  let unit = o.unit ?? null;
  if (unit === null) {
    if (wattTimeApi) {
      throw InputError.at(
        path,
        1,
        col.h,
        "looks like a WattTime API export (MOER, lbs CO2/MWh): state the unit with --carbon_trace_unit lbs_per_mwh (or g_per_kwh if already converted)",
      );
    }
    unit = "g_per_kwh";
  }
  const scale = TO_G_PER_KWH[unit];
  const values = Array.from(series.values, (v) => v * scale);
  const numeric = series.offsetIndexed;
  const abs = series.times;
  const step = series.step;
  const notes = series.notes.map((n) => n.replace(/^gap of (.*) bridged$/, `gap of $1 bridged by ${o.fill}`));
  // units plausibility
  const max = Math.max(...values);
  if (max > MAX_PLAUSIBLE_G_PER_KWH) {
    const at = values.indexOf(max);
    throw InputError.at(
      path,
      at + 2,
      col.h,
      `is ${max.toFixed(1)} g/kWh after reading it as ${unit}: no grid is above ${MAX_PLAUSIBLE_G_PER_KWH}; wrong --carbon_trace_unit? (allowed: ${CI_UNITS.join(", ")})`,
    );
  }
  if (max > 0 && max < 2 && unit === "g_per_kwh") {
    throw InputError.at(
      path,
      2,
      col.h,
      `all values are below 2 g/kWh (max ${max}): these look like kg/kWh or a normalised signal; set --carbon_trace_unit kg_per_kwh if so`,
    );
  }
  // anchor
  let startMs: number | null;
  let origin: number;
  if (numeric) {
    origin = 0;
    startMs = o.startMs ?? null;
    notes.push("offset-indexed trace: its t = 0 is the simulation start");
  } else if (o.startMs != null) {
    startMs = o.startMs;
    origin = o.startMs / 1000;
  } else {
    startMs = abs[0] * 1000;
    origin = abs[0];
    notes.push(`no --start: simulated t = 0 anchored at the trace's first stamp ${new Date(startMs).toISOString()}`);
  }
  const rel = Float64Array.from(abs, (x) => x - origin);
  const table = tableFromPoints(rel, Float64Array.from(values), o.fill, step);
  return { table, notes, startMs, coverage: [table.t[0], table.end], column: col.h, unit, rows: values.length };
}
