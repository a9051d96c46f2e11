/**
 * Arrow IPC file writer (`.arrow`, a.k.a. Feather v2, uncompressed): readable by `pandas.read_feather`,
 * `pyarrow.feather`, Polars and DuckDB. Columns are handed to apache-arrow as the typed arrays they
 * already are; only bool (bit packing), utf8 (UTF-8 encoding) and nullable f64 (validity bitmap) loop.
 */
import type { Data, DataType, Table } from "apache-arrow";
import { arrow } from "./arrow-lib.js";
import { CoalescedWrites, openAtomic, type AtomicFile } from "./atomic.js";
import { validateTable, type Column, type ResultTable } from "../tables/table.js";
import { writeWhole, type TableSink, type TableWriter } from "./table-writer.js";

const { AsyncByteQueue, Bool, Field, Float64, Int32, Int64, RecordBatch, RecordBatchFileWriter, Schema, Struct, Utf8, makeData } = arrow;

/** Registry entry: `.arrow` files. */
export const arrowWriter: TableWriter = {
  format: "arrow",
  doc: "Arrow IPC file (Feather v2), one record batch per chunk",
  extension: ".arrow",
  write: writeArrow,
  open: openArrow,
};

/**
 * Writes `table` as an Arrow IPC file atomically.
 *
 * @example
 * await writeArrow(table, "out/request_metrics.arrow"); // pandas.read_feather("out/request_metrics.arrow")
 */
export async function writeArrow(table: ResultTable, path: string): Promise<void> {
  await writeWhole(openArrow, table, path);
}

/**
 * apache-arrow's writers emit into an AsyncByteQueue; this one hands every piece straight to the file
 * instead of queueing it, so a streamed table costs one record batch of memory, not the whole file.
 */
class FileByteQueue extends AsyncByteQueue {
  private readonly out: CoalescedWrites;
  constructor(file: AtomicFile) {
    super();
    this.out = new CoalescedWrites(file);
  }
  override write(value: ArrayBufferView | ArrayBufferLike): void {
    this.out.write(ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value));
  }
  flush(): void {
    this.out.flush();
  }
}

/**
 * Opens `path` for an Arrow IPC file written chunk by chunk: each chunk becomes one record batch.
 *
 * @example
 * const sink = await openArrow("out/t.arrow");
 * await sink.write(rows0); await sink.write(rows1); await sink.close(); // 2 record batches
 */
export async function openArrow(path: string): Promise<TableSink> {
  const file = await openAtomic(path);
  const writer = new RecordBatchFileWriter();
  const queue = new FileByteQueue(file);
  writer.reset(queue);
  return {
    async write(chunk) {
      const batch = toArrowTable(chunk).batches[0];
      writer.write(batch);
    },
    async close() {
      writer.finish(); // footer, then closes the queue
      queue.flush();
      await file.commit();
    },
    async abort() {
      file.abort();
    },
  };
}

/**
 * Converts a ResultTable to an apache-arrow Table (one record batch, column order and names kept).
 * f64 → Float64, i32 → Int32, i64 → Int64, bool → Bool, utf8 → Utf8; NaN in a `nullable` f64 becomes null.
 *
 * @example
 * const t = toArrowTable({ name: "t", columns: [column("x", "f64", Float64Array.of(1, NaN), true)] });
 * t.getChild("x")!.get(1); // null
 */
export function toArrowTable(table: ResultTable): Table {
  const length = validateTable(table);
  const children = table.columns.map((c) => columnData(c, length));
  const fields = table.columns.map((c, i) => new Field(c.name, children[i].type, c.nullable === true));
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }));
  return new arrow.Table(schema, [batch]);
}

function columnData(col: Column, length: number): Data<DataType> {
  switch (col.type) {
    case "f64": {
      const data = col.data as Float64Array;
      const validity = col.nullable === true ? nanValidity(data) : undefined;
      return validity === undefined
        ? makeData({ type: new Float64(), length, nullCount: 0, data })
        : makeData({ type: new Float64(), length, nullCount: validity.nulls, nullBitmap: validity.bitmap, data });
    }
    case "i32":
      return makeData({ type: new Int32(), length, nullCount: 0, data: col.data as Int32Array });
    case "i64":
      return makeData({ type: new Int64(), length, nullCount: 0, data: col.data as BigInt64Array });
    case "bool":
      return makeData({ type: new Bool(), length, nullCount: 0, data: packBits(col.data as Uint8Array) });
    case "utf8": {
      const { offsets, bytes, validity } = encodeUtf8(col.data as string[]);
      return validity === undefined
        ? makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets: offsets, data: bytes })
        : makeData({
            type: new Utf8(),
            length,
            nullCount: validity.nulls,
            nullBitmap: validity.bitmap,
            valueOffsets: offsets,
            data: bytes,
          });
    }
  }
}

interface Validity {
  bitmap: Uint8Array;
  nulls: number;
}

/** LSB-first validity bitmap with NaN = null; undefined when there is no NaN (Arrow then omits it). */
function nanValidity(data: Float64Array): Validity | undefined {
  if (!data.includes(Number.NaN)) return undefined; // native SameValueZero scan: most columns have no NaN
  let nulls = 0;
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) nulls++;
  if (nulls === 0) return undefined;
  const bitmap = new Uint8Array((data.length + 7) >> 3);
  for (let i = 0; i < data.length; i++) if (data[i] === data[i]) bitmap[i >> 3] |= 1 << (i & 7);
  return { bitmap, nulls };
}

/** One byte per bool → Arrow's LSB-first bit-packed values. */
function packBits(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array((bytes.length + 7) >> 3);
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

/** Arrow Utf8 layout: int32 offsets + concatenated UTF-8 bytes; null/undefined entries become nulls. */
function encodeUtf8(strings: string[]): { offsets: Int32Array; bytes: Uint8Array; validity?: Validity } {
  const offsets = new Int32Array(strings.length + 1);
  let total = 0;
  let nulls = 0;
  for (const s of strings) {
    if (s === null || s === undefined) nulls++;
    else total += Buffer.byteLength(s, "utf8");
  }
  if (total > 0x7fffffff) throw new RangeError(`utf8 column exceeds 2 GiB (${total} bytes)`);
  const bytes = Buffer.allocUnsafe(total);
  const bitmap = nulls > 0 ? new Uint8Array((strings.length + 7) >> 3) : undefined;
  let pos = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (s !== null && s !== undefined) {
      pos += bytes.write(s, pos, "utf8");
      if (bitmap !== undefined) bitmap[i >> 3] |= 1 << (i & 7);
    }
    offsets[i + 1] = pos;
  }
  return { offsets, bytes, validity: bitmap === undefined ? undefined : { bitmap, nulls } };
}
