/**
 * `trace` intervals (Vidur's TraceRequestIntervalGenerator): a CSV with an `arrival_time` column of
 * timestamps (`YYYY-MM-DD HH:MM:SS[.fraction]`, as in Azure Functions traces). Rows strictly between
 * `start_time` and `end_time` are kept in file order, converted to whole seconds since the earliest kept
 * row (floored, like pandas `// Timedelta("1s")`), multiplied by `time_scale_factor`, and the successive
 * differences (row 1 − row 0, row 2 − row 1, …) are returned in order; then the generator is exhausted.
 * Unsorted files give negative gaps exactly as in Vidur (the final stream is sorted anyway).
 *
 * @example
 * // arrival_time 12:00:00.5, 12:00:03.2, 12:00:04.0 (start 11:00, end 13:00, scale 1) → gaps 3, 0
 */
import { InputError } from "../../core/errors.js";
import { numberFlag, stringFlag } from "../config.js";
import { readCsv } from "../../core/csv.js";
import type { IntervalGeneratorModule } from "../generator-types.js";

const STAMP_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/** A naive timestamp as whole seconds since 1970-01-01 plus nanoseconds, or undefined if malformed. */
export function parseTimestamp(s: string): { sec: number; ns: number } | undefined {
  const m = STAMP_RE.exec(s.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  if (new Date(ms).getUTCDate() !== d) return undefined; // e.g. 2023-02-30
  const ns = m[7] === undefined ? 0 : Number(m[7].padEnd(9, "0"));
  return { sec: ms / 1000, ns };
}

function compare(a: { sec: number; ns: number }, b: { sec: number; ns: number }): number {
  return a.sec - b.sec || a.ns - b.ns;
}

const FORMAT = "YYYY-MM-DD[ HH:MM[:SS[.fraction]]]";

export const traceIntervals: IntervalGeneratorModule = {
  type: "trace",
  doc: "inter-arrival times replayed from a trace CSV (arrival_time column)",
  defaults: {
    trace_request_interval_generator_config_seed: 42,
    trace_request_interval_generator_config_trace_file:
      "data/processed_traces/AzureFunctionsInvocationTraceForTwoWeeksJan2021Processed.csv",
    trace_request_interval_generator_config_start_time: "1970-01-04 12:00:00",
    trace_request_interval_generator_config_end_time: "1970-01-04 15:00:00",
    trace_request_interval_generator_config_time_scale_factor: 1.0,
  },
  create({ cfg, resolvePath }) {
    const bound = (key: string) => {
      const raw = stringFlag(cfg, key);
      const t = parseTimestamp(raw);
      if (!t) throw new InputError(`--${key} must be a timestamp ${FORMAT}, got ${JSON.stringify(raw)}`);
      return t;
    };
    const start = bound("trace_request_interval_generator_config_start_time");
    const end = bound("trace_request_interval_generator_config_end_time");
    const scale = numberFlag(cfg, "trace_request_interval_generator_config_time_scale_factor", { min: 0 });
    const file = resolvePath(stringFlag(cfg, "trace_request_interval_generator_config_trace_file"));
    const table = readCsv(file, [{ name: "arrival_time", kind: "string" }], "--trace_request_interval_generator_config_trace_file");
    const cells = table.strings.arrival_time;

    const kept: { sec: number; ns: number }[] = [];
    for (let i = 0; i < table.rows; i++) {
      const t = parseTimestamp(cells[i]);
      if (!t) throw InputError.at(file, table.lines[i], "arrival_time", `must be a timestamp ${FORMAT}, got '${cells[i]}'`);
      if (compare(t, start) > 0 && compare(t, end) < 0) kept.push(t);
    }
    let min = kept[0];
    for (const t of kept) if (compare(t, min) < 0) min = t;
    const scaled = kept.map((t) => (t.sec - min.sec - (t.ns < min.ns ? 1 : 0)) * scale);

    let next = 1; // Vidur starts at index 1: the first diff is row 1 − row 0
    return () => {
      if (next >= scaled.length) return undefined;
      const gap = scaled[next] - scaled[next - 1];
      next++;
      return gap;
    };
  },
};
