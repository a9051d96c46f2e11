/**
 * A timestamped CSV series read strictly (through the one CSV reader, src/core/csv.ts): the shared reader behind `--carbon-trace`, `--solar-trace`,
 * `--clearness-trace` and load traces. The first column is the time: all seconds (offset-indexed, Vessim main
 * `Trace`) or all date-times (Vessim/Solcast/WattTime layouts); one value column is picked by name. Refused
 * with an InputError naming file:line and the fixing flag: a missing column, empty or non-numeric values,
 * naive stamps without a zone, unsorted or duplicate stamps, gaps wider than 3× the median spacing (unless
 * gaps = "fill").
 *
 * @example
 * const s = readSeries("solar_example.csv", { flag: "--solar-trace", column: "Berlin", columnFlag: "--solar-column", ... });
 * s.times[0]; // 0 (offset-indexed)
 */
import { readCsv } from "../core/csv.js";
import { InputError } from "../core/errors.js";
import { checkZone, parseZoned } from "./time.js";

export interface SeriesOptions {
  /** The flag that names the file, for messages ("--carbon-trace"). */
  flag: string;
  column?: string | null;
  /** The flag that picks a column, for messages. */
  columnFlag: string;
  /** Zone of naive stamps, and the flag that sets it. */
  tz?: string | null;
  tzFlag: string;
  /** What fixes naive stamps, for the message (default: "add <tzFlag>"). */
  tzHint?: string;
  gaps: "error" | "fill";
  gapsHint: string;
  /** Column names that are never values (metadata). */
  metaColumns?: ReadonlySet<string>;
  /** Picks the column when there are several and none is named (default: a column named "value"). */
  defaultColumn?: (names: string[]) => string | undefined;
  /** Checks one value (throw a message; the reader adds file:line and the column). */
  check?: (v: number) => string | undefined;
}

export interface Series {
  /** Seconds: since the epoch (date-time stamps) or since the trace's own t = 0 (offset-indexed). */
  times: Float64Array;
  values: Float64Array;
  offsetIndexed: boolean;
  /** Median spacing (s). */
  step: number;
  column: string;
  header: string[];
  notes: string[];
}

export const TIME_HEADERS = ["time", "timestamp", "datetime", "date", "point_time", "oootime", "period_end", ""];

/** Runs `read`; a file-level error (unreadable, empty) is prefixed with the flag that named the file. */
function withFlag<T>(flag: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof InputError && !e.message.startsWith("--")) throw new InputError(`${flag} ${e.message}`);
    throw e;
  }
}

export function readSeries(path: string, o: SeriesOptions): Series {
  let col: { h: string; i: number } | undefined;
  // the time column and the chosen value column, as text (checked below with the series' own messages)
  const csv = withFlag(o.flag, () =>
    readCsv(path, (header) => {
      const timeHeader = header[0].toLowerCase();
      if (!TIME_HEADERS.includes(timeHeader)) {
        throw InputError.at(
          path,
          1,
          undefined,
          `first column must be the time (one of ${TIME_HEADERS.filter(Boolean).join(", ")}), got "${header[0]}"`,
        );
      }
      const candidates = header.map((h, i) => ({ h, i })).filter(({ h, i }) => i > 0 && !o.metaColumns?.has(h.toLowerCase()));
      if (o.column) {
        col = candidates.find((c) => c.h === o.column);
        if (!col)
          throw InputError.at(path, 1, o.columnFlag, `"${o.column}" is not a column (columns: ${candidates.map((c) => c.h).join(", ")})`);
      } else if (candidates.length === 1) {
        col = candidates[0];
      } else {
        const pick = (o.defaultColumn ?? ((names) => names.find((h) => h.toLowerCase() === "value")))(candidates.map((c) => c.h));
        col = candidates.find((c) => c.h === pick);
        if (!col)
          throw InputError.at(
            path,
            1,
            o.columnFlag,
            `is required: the trace has several value columns (${candidates.map((c) => c.h).join(", ")})`,
          );
      }
      return [
        { name: header[0], kind: "string" },
        { name: col.h, kind: "string" },
      ];
    }),
  );
  const header = csv.header;
  if (csv.rows === 0 || !col) throw InputError.at(path, 1, undefined, "needs a header and at least one data row");
  const valueColumn = col;
  const lineOf = (i: number): number => csv.lines[i];
  const rawTimes = csv.strings[header[0]].map((s) => s.trim());
  const values = new Float64Array(csv.rows);
  csv.strings[valueColumn.h].forEach((cell, i) => {
    const vs = cell.trim();
    if (vs === "" || vs.toLowerCase() === "nan")
      throw InputError.at(path, lineOf(i), valueColumn.h, `is empty/NaN: fill it or cut the trace (no value is invented)`);
    const v = Number(vs);
    if (!Number.isFinite(v)) throw InputError.at(path, lineOf(i), valueColumn.h, `must be a number, got "${vs}"`);
    const bad = o.check?.(v);
    if (bad !== undefined) throw InputError.at(path, lineOf(i), valueColumn.h, bad);
    values[i] = v;
  });
  const notes: string[] = [];
  const numeric = rawTimes.every((t) => t !== "" && Number.isFinite(Number(t)));
  const abs = new Float64Array(rawTimes.length);
  if (numeric) {
    for (let i = 0; i < rawTimes.length; i++) abs[i] = Number(rawTimes[i]);
  } else {
    const tz = o.tz ?? undefined;
    if (tz !== undefined) {
      try {
        checkZone(tz);
      } catch (e) {
        throw new InputError(`${o.tzFlag}: ${(e as Error).message}`);
      }
    }
    let naiveSeen = false;
    for (let i = 0; i < rawTimes.length; i++) {
      let p: ReturnType<typeof parseZoned>;
      try {
        // the previous stamp picks the second occurrence of a local hour repeated when clocks go back
        p = parseZoned(rawTimes[i], tz, i > 0 ? abs[i - 1] * 1000 : undefined);
      } catch (e) {
        throw InputError.at(path, lineOf(i), header[0], (e as Error).message);
      }
      if (!p)
        throw InputError.at(
          path,
          lineOf(i),
          header[0],
          `must be a date-time (YYYY-MM-DD HH:MM[:SS][Z|±HH:MM]) or seconds, got "${rawTimes[i]}"`,
        );
      if (p.naive && tz === undefined) {
        throw InputError.at(path, lineOf(i), header[0], `"${rawTimes[i]}" has no time zone: ${o.tzHint ?? `add ${o.tzFlag}`}`);
      }
      naiveSeen ||= p.naive;
      abs[i] = p.ms / 1000;
    }
    if (naiveSeen) notes.push(`${path}: naive time stamps read in ${o.tzFlag} ${tz}`);
  }
  for (let i = 1; i < abs.length; i++) {
    if (abs[i] === abs[i - 1]) throw InputError.at(path, lineOf(i), header[0], `duplicates the previous time stamp (${rawTimes[i]})`);
    if (abs[i] < abs[i - 1])
      throw InputError.at(
        path,
        lineOf(i),
        header[0],
        `goes back in time (${rawTimes[i]} after ${rawTimes[i - 1]}): the trace must be sorted by time`,
      );
  }
  const diffs = Array.from({ length: abs.length - 1 }, (_, i) => abs[i + 1] - abs[i]).sort((a, b) => a - b);
  const step = diffs.length ? diffs[Math.floor(diffs.length / 2)] : 3600;
  for (let i = 1; i < abs.length; i++) {
    const d = abs[i] - abs[i - 1];
    if (d > 3 * step) {
      if (o.gaps === "error") {
        throw InputError.at(path, lineOf(i), header[0], `follows a gap of ${d} s (median spacing ${step} s): ${o.gapsHint}`);
      }
      notes.push(`gap of ${d} s before ${path}:${lineOf(i)} bridged`);
    }
  }
  return { times: abs, values, offsetIndexed: numeric, step, column: valueColumn.h, header, notes };
}
