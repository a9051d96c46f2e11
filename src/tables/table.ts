/**
 * The columnar in-memory result table every writer consumes: one typed array per column, no row objects,
 * so a 250k-row table costs a few MB and writers can hand the arrays to Arrow without copying.
 */

/** Column element types; they map 1:1 to Arrow/Parquet/pandas dtypes (see docs/outputs-format.md). */
export type ColumnType = "f64" | "i32" | "i64" | "bool" | "utf8";

/** The array a column of each type holds. `bool` stores one byte per row, 0 = false, anything else = true. */
export interface ColumnData {
  f64: Float64Array;
  i32: Int32Array;
  i64: BigInt64Array;
  bool: Uint8Array;
  utf8: string[];
}

/**
 * One named column. Only `f64` columns have a missing-value marker: NaN. When `nullable` is true, writers
 * that have real nulls (Arrow, Parquet, JSON) write NaN as null; CSV always writes NaN as an empty field.
 */
export interface Column {
  /** Header / field name, written as is (may contain spaces, e.g. "Request Id"). */
  name: string;
  type: ColumnType;
  data: ColumnData[ColumnType];
  nullable?: boolean;
  /** f64 only: CSV writes integral values as Python does ("0.0", not "0"), e.g. where Vidur's CSVs do. */
  csvFloat?: boolean;
}

/** A named set of equal-length columns, e.g. `request_metrics`. */
export interface ResultTable {
  name: string;
  columns: Column[];
}

/**
 * A typed column builder that keeps `type` and `data` consistent at compile time.
 *
 * @example
 * const t: ResultTable = { name: "requests", columns: [column("Request Id", "i32", Int32Array.of(0, 1))] };
 */
export function column<T extends ColumnType>(name: string, type: T, data: ColumnData[T], nullable?: boolean): Column {
  return nullable === undefined ? { name, type, data } : { name, type, data, nullable };
}

/** Number of rows (0 for a table without columns). Does not validate; see `validateTable`. */
export function tableRowCount(table: ResultTable): number {
  return table.columns.length === 0 ? 0 : table.columns[0].data.length;
}

const ARRAY_CHECK: Record<ColumnType, (d: unknown) => boolean> = {
  f64: (d) => d instanceof Float64Array,
  i32: (d) => d instanceof Int32Array,
  i64: (d) => d instanceof BigInt64Array,
  bool: (d) => d instanceof Uint8Array,
  utf8: (d) => Array.isArray(d),
};

/**
 * Throws (a programming error, not an InputError) unless every column has a known type, the matching array
 * class, a unique name and the same length. Returns the row count.
 *
 * @example
 * validateTable({ name: "t", columns: [column("a", "f64", new Float64Array(3))] }); // 3
 */
export function validateTable(table: ResultTable): number {
  const rows = tableRowCount(table);
  const seen = new Set<string>();
  for (const col of table.columns) {
    const check = ARRAY_CHECK[col.type];
    if (check === undefined) throw new TypeError(`table ${table.name}: column "${col.name}" has unknown type "${col.type}"`);
    if (!check(col.data)) {
      throw new TypeError(`table ${table.name}: column "${col.name}" of type ${col.type} holds a ${col.data.constructor.name}`);
    }
    if (col.data.length !== rows) {
      throw new RangeError(`table ${table.name}: column "${col.name}" has ${col.data.length} rows, expected ${rows}`);
    }
    // Duplicate names are silently renamed or dropped by pandas/DuckDB readers, so refuse them here.
    if (seen.has(col.name)) throw new TypeError(`table ${table.name}: duplicate column name "${col.name}"`);
    seen.add(col.name);
  }
  return rows;
}
