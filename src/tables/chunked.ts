/**
 * Tables produced in row chunks, so that a million-row result never exists whole on the host: a
 * ChunkedTable derives rows [start, end) on demand (request_metrics computes its columns from the engine's
 * views); src/output/table-stream.ts pushes the chunks through the open sinks of every format, in order.
 */
import { tableRowCount, type Column, type ResultTable } from "./table.js";

/** Rows per chunk: big enough to amortise per-chunk costs, small enough to bound memory (~3.6 MB at 28 f64 columns). */
export const DEFAULT_CHUNK_ROWS = 16_384;

export interface ChunkedTable {
  readonly name: string;
  readonly numRows: number;
  /**
   * Rows [start, end) as a ResultTable. With `reuse` (a chunk this table returned before and nobody holds
   * any more) its arrays' memory is overwritten instead of allocating: streaming a table then makes no
   * garbage, which matters because V8 frees large typed arrays only at its next major GC.
   */
  chunk(start: number, end: number, reuse?: ResultTable): ResultTable;
}

/**
 * A column computed chunk by chunk (for example from an interleaved engine buffer) instead of held whole.
 *
 * @example
 * const twice: DerivedColumn = { name: "x2", type: "f64", fill: (s, e, out) => { for (let i = s; i < e; i++) out[i - s] = 2 * i; } };
 */
export interface DerivedColumn {
  name: string;
  type: "f64";
  nullable?: boolean;
  /** Writes rows [start, end) into out[0, end - start). */
  fill(start: number, end: number, out: Float64Array): void;
}

/** Rows [start, end) of a stored or derived column, on `reuse`'s memory when possible. */
export function columnRows(c: Column | DerivedColumn, start: number, end: number, reuse?: Column): Column {
  if (!("fill" in c)) return sliceColumn(c, start, end, reuse);
  const data = reuseArray(Float64Array, end - start, reuse?.data);
  c.fill(start, end, data);
  return c.nullable === undefined ? { name: c.name, type: "f64", data } : { name: c.name, type: "f64", data, nullable: c.nullable };
}

/** The typed arrays of non-string columns. */
export type NumericArray = Float64Array | Int32Array | BigInt64Array | Uint8Array;
type NumericCtor<T extends NumericArray> = {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  BYTES_PER_ELEMENT: number;
};

/**
 * An array of `length` elements, on `previous`'s memory when it is large enough (contents undefined).
 * `previous` is an array of the same type, or a bare buffer (handed back by a writer thread).
 *
 * @example
 * const a = reuseArray(Float64Array, 10); const b = reuseArray(Float64Array, 4, a); // b shares a's buffer
 */
export function reuseArray<T extends NumericArray>(ctor: NumericCtor<T>, length: number, previous?: unknown): T {
  const buffer =
    previous instanceof ArrayBuffer ? previous : previous instanceof (ctor as unknown as typeof Float64Array) ? previous.buffer : undefined;
  if (buffer !== undefined && buffer.byteLength >= length * ctor.BYTES_PER_ELEMENT) return new ctor(buffer, 0, length);
  return new ctor(length);
}

/**
 * A materialised table as a ChunkedTable (chunks are copies, so posting one never drags the whole
 * underlying buffer along).
 *
 * @example
 * const t = chunked({ name: "x", columns: [column("a", "i32", Int32Array.of(1, 2, 3))] });
 * t.chunk(1, 3).columns[0].data; // Int32Array [2, 3]
 */
export function chunked(table: ResultTable): ChunkedTable {
  return {
    name: table.name,
    numRows: tableRowCount(table),
    chunk: (start, end, reuse) => ({
      name: table.name,
      columns: table.columns.map((c, i) => sliceColumn(c, start, end, reuse?.columns[i])),
    }),
  };
}

/** A copy of rows [start, end) of a column, into `reuse`'s memory (a column's or a bare buffer) when possible. */
export function sliceColumn(c: Column, start: number, end: number, reuse?: Column | ArrayBuffer): Column {
  if (Array.isArray(c.data)) return { ...c, data: c.data.slice(start, end) };
  const src = c.data as NumericArray;
  const out = reuseArray(src.constructor as NumericCtor<NumericArray>, end - start, reuse instanceof ArrayBuffer ? reuse : reuse?.data);
  (out as Float64Array).set(src.subarray(start, end) as Float64Array);
  return { ...c, data: out };
}

/**
 * The whole table at once (for small tables, tests and library users).
 *
 * @example
 * materialize(run.tables[0]).columns.map((c) => c.name);
 */
export function materialize(table: ChunkedTable): ResultTable {
  return table.chunk(0, table.numRows);
}
