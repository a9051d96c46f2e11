/**
 * Run records → the summary table (one row per run, ordered by run_index) written as summary.arrow and
 * summary.parquet. Columns: run_id, run_index, status, error, attempts, wall_time_s, then every swept
 * parameter typed by its option (int → int64, float → float64, bool → bool, others → string), then every
 * flattened summary metric (counts int64 — see isCountColumn —, other numbers float64 with null where a run has
 * none; bool; string). See docs/sweeps.md.
 */
import { findOption } from "../config/options.js";
import { column, type Column, type ResultTable } from "../output/table.js";
import { writeTableFormats } from "../output/writers.js";
import { isCountColumn } from "./flatten.js";
import type { RunRecord } from "./store.js";

/** Columns whose values depend on the machine and load, not on the configuration. */
export const TIMING_COLUMNS: readonly string[] = ["wall_time_s", "attempts", "engine_event_loop_s", "engine_batches_per_s"];

export type SummaryStatus = RunRecord["status"] | "missing";

function paramColumn(name: string, values: unknown[]): Column {
  const def = findOption(name);
  const hasNull = values.some((v) => v === null || v === undefined);
  if (def && (def.type === "int" || def.type === "float")) {
    if (def.type === "int" && !hasNull) return column(name, "i64", BigInt64Array.from(values, (v) => BigInt(v as number)));
    return column(name, "f64", Float64Array.from(values, (v) => (typeof v === "number" ? v : Number.NaN)), true);
  }
  if (def && def.type === "bool" && !hasNull) return column(name, "bool", Uint8Array.from(values, (v) => (v ? 1 : 0)));
  return column(name, "utf8", values.map((v) => (v === null || v === undefined ? (null as unknown as string) : String(v))), true);
}

function metricColumn(name: string, values: (number | boolean | string | null | undefined)[]): Column {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === "string")) {
    return column(name, "utf8", values.map((v) => (typeof v === "string" ? v : (null as unknown as string))), true);
  }
  if (present.length === values.length && present.length > 0 && present.every((v) => typeof v === "boolean")) {
    return column(name, "bool", Uint8Array.from(values, (v) => (v ? 1 : 0)));
  }
  // Counts are int64 (as in capacity.parquet); a count some run lacks (a failed run) stays a nullable float64.
  if (isCountColumn(name) && present.length === values.length && present.every((v) => Number.isSafeInteger(v))) {
    return column(name, "i64", BigInt64Array.from(values, (v) => BigInt(v as number)));
  }
  return column(name, "f64", Float64Array.from(values, (v) => (typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : Number.NaN)), true);
}

/** Builds the summary table. `rows` are records (or placeholders for missing runs), any order. */
export function summaryTable(records: readonly RunRecord[], parameters: readonly string[], extraStatus: Map<string, SummaryStatus> = new Map()): ResultTable {
  const rows = [...records].sort((a, b) => a.run_index - b.run_index);
  const metricNames: string[] = [];
  const seen = new Set<string>(["run_id", "run_index", "status", "error", "attempts", "wall_time_s", ...parameters]);
  for (const r of rows) {
    for (const k of Object.keys(r.metrics)) {
      if (!seen.has(k)) {
        seen.add(k);
        metricNames.push(k);
      }
    }
  }
  const columns: Column[] = [
    column("run_id", "utf8", rows.map((r) => r.run_id)),
    column("run_index", "i64", BigInt64Array.from(rows, (r) => BigInt(r.run_index))),
    column("status", "utf8", rows.map((r) => extraStatus.get(r.run_id) ?? r.status)),
    column("error", "utf8", rows.map((r) => r.error ?? (null as unknown as string)), true),
    column("attempts", "i64", BigInt64Array.from(rows, (r) => BigInt(r.attempts))),
    column("wall_time_s", "f64", Float64Array.from(rows, (r) => r.wall_time_s), true),
    ...parameters.map((p) => paramColumn(p, rows.map((r) => r.params[p]))),
    ...metricNames.map((m) => metricColumn(m, rows.map((r) => r.metrics[m]))),
  ];
  return { name: "summary", columns };
}

/** Writes summary.arrow and summary.parquet into `dir` (each atomically). */
export async function writeSummary(dir: string, table: ResultTable): Promise<string[]> {
  return writeTableFormats(table, dir, "summary", ["arrow", "parquet"]);
}
