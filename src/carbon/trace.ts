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
import { readCsv } from "../core/csv.js";
import { InputError } from "../core/errors.js";
import { tableFromPoints, type CiTable, type FillMethod } from "./intensity.js";
import { checkZone, parseZoned } from "./time.js";

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

const TIME_HEADERS = ["time", "timestamp", "datetime", "date", "point_time", "oootime", ""];
const WATTTIME_META = new Set(["frequency", "market", "region", "ba", "datatype", "signal_type", "version"]);

export function readCarbonTrace(path: string, o: TraceOptions): LoadedTrace {
  let col: { h: string; i: number } | undefined;
  let wattTimeApi = false;
  // the time column and the chosen value column, both as text (the checks below give trace-specific messages)
  const csv = readCsv(path, (header) => {
    const timeHeader = header[0].toLowerCase();
    if (!TIME_HEADERS.includes(timeHeader)) {
      throw InputError.at(path, 1, undefined, `first column must be the time (one of ${TIME_HEADERS.filter(Boolean).join(", ")}), got "${header[0]}"`);
    }
    const candidates = header.map((h, i) => ({ h, i })).filter(({ h, i }) => i > 0 && !WATTTIME_META.has(h.toLowerCase()));
    if (o.column) {
      col = candidates.find((c) => c.h === o.column);
      if (!col) throw InputError.at(path, 1, "--carbon_trace_column", `"${o.column}" is not a column (columns: ${candidates.map((c) => c.h).join(", ")})`);
    } else if (candidates.length === 1) {
      col = candidates[0];
    } else {
      col = candidates.find((c) => c.h.toLowerCase() === "value");
      if (!col) throw InputError.at(path, 1, "--carbon_trace_column", `is required: the trace has several value columns (${candidates.map((c) => c.h).join(", ")})`);
    }
    wattTimeApi = timeHeader === "point_time" || /moer/i.test(col.h) || (col.h.toLowerCase() === "value" && header.some((h) => h.toLowerCase() === "signal_type"));
    return [
      { name: header[0], kind: "string" },
      { name: col.h, kind: "string" },
    ];
  });
  const header = csv.header;
  if (csv.rows === 0 || !col) throw InputError.at(path, 1, undefined, "needs a header and at least one data row");
  const valueColumn = col;
  let unit = o.unit ?? null;
  if (unit === null) {
    if (wattTimeApi) {
      throw InputError.at(path, 1, valueColumn.h, "looks like a WattTime API export (MOER, lbs CO2/MWh): state the unit with --carbon_trace_unit lbs_per_mwh (or g_per_kwh if already converted)");
    }
    unit = "g_per_kwh";
  }
  const scale = TO_G_PER_KWH[unit];

  // times: all numeric (offset seconds) or all date-times
  const rawTimes = csv.strings[header[0]].map((s) => s.trim());
  const values: number[] = [];
  const lineOf = (i: number): number => csv.lines[i];
  csv.strings[valueColumn.h].forEach((cell, i) => {
    const vs = cell.trim();
    if (vs === "" || vs.toLowerCase() === "nan") throw InputError.at(path, lineOf(i), valueColumn.h, `is empty/NaN: fill it or cut the trace (no value is invented)`);
    const v = Number(vs);
    if (!Number.isFinite(v)) throw InputError.at(path, lineOf(i), valueColumn.h, `must be a number, got "${vs}"`);
    if (v < 0) throw InputError.at(path, lineOf(i), valueColumn.h, `must be >= 0 (carbon intensity), got ${v}`);
    values.push(v * scale);
  });
  const notes: string[] = [];
  const numeric = rawTimes.every((t) => t !== "" && Number.isFinite(Number(t)));
  const abs = new Float64Array(rawTimes.length); // seconds (epoch or offset)
  let naiveSeen = false;
  if (numeric) {
    for (let i = 0; i < rawTimes.length; i++) abs[i] = Number(rawTimes[i]);
  } else {
    const tz = o.tz ?? undefined;
    if (tz !== undefined) {
      try {
        checkZone(tz);
      } catch (e) {
        throw new InputError(`--carbon_trace_tz: ${(e as Error).message}`);
      }
    }
    for (let i = 0; i < rawTimes.length; i++) {
      let p;
      try {
        // the previous stamp picks the second occurrence of a local hour repeated when clocks go back
        p = parseZoned(rawTimes[i], tz, i > 0 ? abs[i - 1] * 1000 : undefined);
      } catch (e) {
        throw InputError.at(path, lineOf(i), header[0], (e as Error).message);
      }
      if (!p) throw InputError.at(path, lineOf(i), header[0], `must be a date-time (YYYY-MM-DD HH:MM[:SS][Z|±HH:MM]) or seconds, got "${rawTimes[i]}"`);
      if (p.naive && tz === undefined) {
        throw InputError.at(path, lineOf(i), header[0], `"${rawTimes[i]}" has no time zone: add --carbon_trace_tz (Vessim and WattTime exports are UTC: --carbon_trace_tz UTC)`);
      }
      naiveSeen ||= p.naive;
      abs[i] = p.ms / 1000;
    }
    if (naiveSeen) notes.push(`naive time stamps read in --carbon_trace_tz ${tz}`);
  }
  // sorted, unique
  for (let i = 1; i < abs.length; i++) {
    if (abs[i] === abs[i - 1]) throw InputError.at(path, lineOf(i), header[0], `duplicates the previous time stamp (${rawTimes[i]})`);
    if (abs[i] < abs[i - 1]) throw InputError.at(path, lineOf(i), header[0], `goes back in time (${rawTimes[i]} after ${rawTimes[i - 1]}): the trace must be sorted by time`);
  }
  // units plausibility
  const max = Math.max(...values);
  if (max > MAX_PLAUSIBLE_G_PER_KWH) {
    const at = values.indexOf(max);
    throw InputError.at(path, lineOf(at), valueColumn.h, `is ${max.toFixed(1)} g/kWh after reading it as ${unit}: no grid is above ${MAX_PLAUSIBLE_G_PER_KWH}; wrong --carbon_trace_unit? (allowed: ${CI_UNITS.join(", ")})`);
  }
  if (max > 0 && max < 2 && unit === "g_per_kwh") {
    throw InputError.at(path, lineOf(0), valueColumn.h, `all values are below 2 g/kWh (max ${max}): these look like kg/kWh or a normalised signal; set --carbon_trace_unit kg_per_kwh if so`);
  }
  // spacing and gaps
  const diffs = Array.from({ length: abs.length - 1 }, (_, i) => abs[i + 1] - abs[i]).sort((a, b) => a - b);
  const step = diffs.length ? diffs[Math.floor(diffs.length / 2)] : 3600;
  for (let i = 1; i < abs.length; i++) {
    const d = abs[i] - abs[i - 1];
    if (d > 3 * step) {
      if (o.gaps === "error") {
        throw InputError.at(path, lineOf(i), header[0], `follows a gap of ${d} s (median spacing ${step} s): pass --carbon_trace_gaps fill to bridge gaps with --carbon_trace_fill ${o.fill}, or repair the trace`);
      }
      notes.push(`gap of ${d} s before ${path}:${lineOf(i)} bridged by ${o.fill}`);
    }
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
  return { table, notes, startMs, coverage: [table.t[0], table.end], column: valueColumn.h, unit, rows: values.length };
}
