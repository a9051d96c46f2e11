/**
 * The columns every table of runs starts with — a sweep's summary.parquet and a capacity search's
 * capacity.parquet —: run_id, run_index, status and error, and the swept parameters typed by their option
 * (int → int64, float → float64, bool → bool, others → string; null where a run has no value).
 *
 * @example
 * runColumns(rows, (r) => r.status); // run_id (utf8), run_index (int64), status (utf8), error (nullable utf8)
 * paramColumn("replica_config_tensor_parallel_size", [1, 2, 4]); // int64
 */
import { findOption } from "../config/options.js";
import { column, type Column } from "../tables/table.js";

export interface RunIdentity {
  run_id: string;
  run_index: number;
  error: string | null;
}

export function runColumns<R extends RunIdentity>(rows: readonly R[], status: (row: R) => string): Column[] {
  return [
    column(
      "run_id",
      "utf8",
      rows.map((r) => r.run_id),
    ),
    int64Column(
      "run_index",
      rows.map((r) => r.run_index),
    ),
    column("status", "utf8", rows.map(status)),
    column(
      "error",
      "utf8",
      rows.map((r) => r.error ?? (null as unknown as string)),
      true,
    ),
  ];
}

/** A column of whole numbers (int64); every value must be a safe integer. */
export function int64Column(name: string, values: readonly unknown[]): Column {
  return column(
    name,
    "i64",
    BigInt64Array.from(values, (v) => BigInt(v as number)),
  );
}

/** A column of booleans (truthy → true). */
export function boolColumn(name: string, values: readonly unknown[]): Column {
  return column(
    name,
    "bool",
    Uint8Array.from(values, (v) => (v ? 1 : 0)),
  );
}

/**
 * A swept parameter's column. Float columns are nullable unless `nullableFloats` is false (capacity.parquet,
 * whose parameters are always set, declares them required); a missing value makes any column nullable.
 */
export function paramColumn(name: string, values: readonly unknown[], { nullableFloats = true } = {}): Column {
  const def = findOption(name);
  const hasNull = values.some((v) => v === null || v === undefined);
  if (def && (def.type === "int" || def.type === "float")) {
    if (def.type === "int" && !hasNull) return int64Column(name, values);
    return column(
      name,
      "f64",
      Float64Array.from(values, (v) => (typeof v === "number" ? v : Number.NaN)),
      nullableFloats || hasNull ? true : undefined,
    );
  }
  if (def && def.type === "bool" && !hasNull) return boolColumn(name, values);
  return column(
    name,
    "utf8",
    values.map((v) => (v === null || v === undefined ? (null as unknown as string) : String(v))),
    true,
  );
}
