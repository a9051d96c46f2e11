/**
 * tokenwatt's own Parquet encoder for result tables: flat schemas of f64/i32/i64/bool/utf8 columns, one row
 * group per streamed chunk, one PLAIN-encoded v1 data page per column chunk, uncompressed, with column-chunk
 * statistics (min, max, null count) so readers can skip row groups.
 *
 * Why not parquet-wasm for this path: result columns are mostly unique doubles, which Snappy shrinks by only
 * ~10 %, while the round trip through Arrow IPC into parquet-wasm's memory, its encoder and its start-up cost
 * more than every other output together (bench/RESULTS.md). Numeric values here are the typed arrays' own
 * bytes: a page is its header, the null bitmap when there are nulls, and a view on the column.
 *
 * Format reference: https://parquet.apache.org/docs/file-format/ and parquet.thrift.
 */
import { endianness } from "node:os";
import type { CoalescedWrites } from "./atomic.js";
import { validateTable, type Column, type ColumnType, type ResultTable } from "../tables/table.js";
import { CompactWriter } from "./thrift-compact.js";

const MAGIC = Buffer.from("PAR1", "latin1");

/** parquet.thrift enums used here. */
const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
const Repetition = { REQUIRED: 0, OPTIONAL: 1 } as const;
const Encoding = { PLAIN: 0, RLE: 3 } as const;
const CONVERTED_UTF8 = 0;
const CODEC_UNCOMPRESSED = 0;
const PAGE_DATA = 0;

const PHYSICAL: Record<ColumnType, number> = {
  f64: PhysicalType.DOUBLE,
  i32: PhysicalType.INT32,
  i64: PhysicalType.INT64,
  bool: PhysicalType.BOOLEAN,
  utf8: PhysicalType.BYTE_ARRAY,
};

/** Typed arrays hold native-endian bytes; Parquet wants little-endian (big-endian hosts get a swapped copy). */
const LITTLE_ENDIAN = endianness() === "LE";

interface LeafSchema {
  name: string;
  type: ColumnType;
  /** f64 columns marked nullable (NaN = null) and every utf8 column (entries may be null at run time). */
  optional: boolean;
}

interface ChunkMeta {
  /** Offset of the page header in the file. */
  offset: number;
  /** Header + page bytes. */
  size: number;
  nulls: number;
  min?: Uint8Array;
  max?: Uint8Array;
}

interface RowGroupMeta {
  numRows: number;
  columns: ChunkMeta[];
}

/**
 * Writes one Parquet file through `out` (which must have received nothing before): `rowGroup(chunk)` per
 * chunk of rows, then `finish()` for the footer. The first chunk fixes the schema; a zero-row chunk only
 * does that (the file then has no row groups, which readers accept).
 *
 * @example
 * const out = new CoalescedWrites(await openAtomic("t.parquet"));
 * const enc = new ParquetEncoder(out);
 * enc.rowGroup(chunk0); enc.rowGroup(chunk1); enc.finish(); out.flush();
 */
export class ParquetEncoder {
  private schema: LeafSchema[] | undefined;
  private readonly rowGroups: RowGroupMeta[] = [];
  private readonly thrift = new CompactWriter();
  private scratch = new ArrayBuffer(1 << 16);
  private mask = new Uint8Array(0);

  constructor(private readonly out: CoalescedWrites) {
    out.write(MAGIC);
  }

  rowGroup(chunk: ResultTable): void {
    const rows = validateTable(chunk);
    const schema = (this.schema ??= chunk.columns.map((c) => ({
      name: c.name,
      type: c.type,
      optional: c.type === "utf8" || (c.type === "f64" && c.nullable === true),
    })));
    if (chunk.columns.length !== schema.length || chunk.columns.some((c, i) => c.name !== schema[i].name || c.type !== schema[i].type)) {
      throw new TypeError(`table ${chunk.name}: a chunk's columns differ from the first chunk's`);
    }
    if (rows === 0) return;
    this.rowGroups.push({ numRows: rows, columns: chunk.columns.map((c, i) => this.page(c, schema[i], rows)) });
  }

  /** Writes the footer. The caller then flushes `out` and commits the file. */
  finish(): void {
    const schema = this.schema;
    if (schema === undefined) throw new Error("ParquetEncoder.finish() before any chunk: the schema is unknown");
    const w = this.thrift;
    w.reset();
    w.i32(1, 1); // format version
    w.structList(2, [undefined, ...schema], (leaf) => {
      if (leaf === undefined) {
        w.string(4, "schema");
        w.i32(5, schema.length);
        return;
      }
      w.i32(1, PHYSICAL[leaf.type]);
      w.i32(3, leaf.optional ? Repetition.OPTIONAL : Repetition.REQUIRED);
      w.string(4, leaf.name);
      if (leaf.type === "utf8") {
        w.i32(6, CONVERTED_UTF8);
        w.struct(10, () => w.struct(1, () => undefined)); // LogicalType STRING
      }
    });
    w.i64(
      3,
      this.rowGroups.reduce((n, g) => n + g.numRows, 0),
    );
    w.structList(4, this.rowGroups, (group, ordinal) => {
      w.structList(1, group.columns, (c, i) => {
        w.i64(2, c.offset);
        w.struct(3, () => {
          w.i32(1, PHYSICAL[schema[i].type]);
          w.i32List(2, [Encoding.PLAIN, Encoding.RLE]);
          w.stringList(3, [schema[i].name]);
          w.i32(4, CODEC_UNCOMPRESSED);
          w.i64(5, group.numRows); // values per column chunk, nulls included
          w.i64(6, c.size);
          w.i64(7, c.size);
          w.i64(9, c.offset);
          w.struct(12, () => {
            w.i64(3, c.nulls);
            if (c.max !== undefined) w.binary(5, c.max);
            if (c.min !== undefined) w.binary(6, c.min);
          });
        });
      });
      const bytes = group.columns.reduce((n, c) => n + c.size, 0);
      w.i64(2, bytes);
      w.i64(3, group.numRows);
      w.i64(5, group.columns[0].offset);
      w.i64(6, bytes);
      if (ordinal <= 0x7fff) w.i16(7, ordinal); // an i16 in parquet.thrift; optional
    });
    w.string(6, "tokenwatt");
    // min/max above use each type's natural order (signed numbers, IEEE doubles without NaN)
    w.structList(7, schema, () => w.struct(1, () => undefined));
    w.stop();
    const footer = w.bytes();
    const length = Buffer.alloc(4);
    length.writeUInt32LE(footer.length);
    this.out.write(footer);
    this.out.write(length);
    this.out.write(MAGIC);
  }

  /** Encodes one column of a row group as a single data page and writes it. */
  private page(col: Column, leaf: LeafSchema, rows: number): ChunkMeta {
    const levels = leaf.optional ? this.definitionLevels(col, rows) : undefined;
    const nulls = levels?.nulls ?? 0;
    const { values, min, max } = this.values(col, levels?.nullMask);
    const pageSize = (levels?.bytes.length ?? 0) + values.byteLength;

    const w = this.thrift;
    w.reset();
    w.i32(1, PAGE_DATA);
    w.i32(2, pageSize);
    w.i32(3, pageSize);
    w.struct(5, () => {
      w.i32(1, rows);
      w.i32(2, Encoding.PLAIN);
      w.i32(3, Encoding.RLE);
      w.i32(4, Encoding.RLE);
    });
    w.stop();
    const offset = this.out.offset;
    this.out.write(w.bytes());
    if (levels !== undefined) this.out.write(levels.bytes);
    this.out.write(values);
    return { offset, size: w.length + pageSize, nulls, min, max };
  }

  /**
   * Definition levels (bit width 1) in the RLE/bit-packed hybrid, behind their 4-byte length: one RLE run of
   * 1s when nothing is null, else one bit-packed run (LSB first, padded to a multiple of 8 values).
   */
  private definitionLevels(col: Column, rows: number): { bytes: Uint8Array; nulls: number; nullMask?: Uint8Array } {
    let nulls = 0;
    let mask: Uint8Array | undefined; // 1 = present; only built when something is null
    if (col.type === "f64") {
      const data = col.data as Float64Array;
      if (data.includes(Number.NaN)) {
        mask = this.maskScratch(rows);
        for (let i = 0; i < rows; i++) {
          mask[i] = data[i] === data[i] ? 1 : 0; // NaN = null
          nulls += 1 - mask[i];
        }
      }
    } else {
      const data = col.data as (string | null | undefined)[];
      if (data.some((s) => s === null || s === undefined)) {
        mask = this.maskScratch(rows);
        for (let i = 0; i < rows; i++) {
          mask[i] = data[i] === null || data[i] === undefined ? 0 : 1;
          nulls += 1 - mask[i];
        }
      }
    }
    const header: number[] = [];
    if (mask === undefined) {
      varint(header, rows * 2); // RLE run header: count << 1, then the value (1) in one byte
      header.push(1);
      return { bytes: withLength(Uint8Array.from(header)), nulls: 0 };
    }
    const groups = Math.ceil(rows / 8);
    varint(header, groups * 2 + 1); // bit-packed run header: groups << 1 | 1
    const bytes = new Uint8Array(4 + header.length + groups);
    bytes.set(header, 4);
    const bits = 4 + header.length;
    for (let i = 0; i < rows; i++) if (mask[i] !== 0) bytes[bits + (i >> 3)] |= 1 << (i & 7);
    new DataView(bytes.buffer).setUint32(0, bytes.length - 4, true);
    return { bytes, nulls, nullMask: mask };
  }

  /** PLAIN values of the non-null entries, with min/max statistics in PLAIN form. */
  private values(col: Column, present?: Uint8Array): { values: Uint8Array; min?: Uint8Array; max?: Uint8Array } {
    switch (col.type) {
      case "f64": {
        let data = col.data as Float64Array;
        if (present !== undefined) {
          const kept = new Float64Array(this.scratchFor(data.length * 8), 0, data.length);
          let n = 0;
          for (let i = 0; i < data.length; i++) if (present[i] !== 0) kept[n++] = data[i];
          data = kept.subarray(0, n);
        }
        let min = Infinity;
        let max = -Infinity;
        let any = false;
        for (let i = 0; i < data.length; i++) {
          const v = data[i];
          if (v !== v) continue; // NaN in a column without nulls: not ordered, left out of the statistics
          any = true;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        // parquet.thrift: a zero min is written as -0.0 and a zero max as +0.0
        const stats = any ? { min: f64Bytes(min === 0 ? -0 : min), max: f64Bytes(max === 0 ? 0 : max) } : {};
        return { values: littleEndian(data), ...stats };
      }
      case "i32":
      case "i64": {
        // integers have no NaN: min/max are elements, so their PLAIN bytes are slices of the values
        const data = col.data as Int32Array | BigInt64Array;
        const values = littleEndian(data);
        if (data.length === 0) return { values };
        let lo = 0;
        let hi = 0;
        for (let i = 1; i < data.length; i++) {
          if (data[i] < data[lo]) lo = i;
          if (data[i] > data[hi]) hi = i;
        }
        const w = data.BYTES_PER_ELEMENT;
        return { values, min: values.slice(lo * w, (lo + 1) * w), max: values.slice(hi * w, (hi + 1) * w) };
      }
      case "bool": {
        const data = col.data as Uint8Array;
        const bits = new Uint8Array((data.length + 7) >> 3);
        let trues = 0;
        for (let i = 0; i < data.length; i++) {
          if (data[i] === 0) continue;
          bits[i >> 3] |= 1 << (i & 7);
          trues++;
        }
        if (data.length === 0) return { values: bits };
        return { values: bits, min: Uint8Array.of(trues === data.length ? 1 : 0), max: Uint8Array.of(trues > 0 ? 1 : 0) };
      }
      case "utf8": {
        // min/max compare the UTF-8 bytes unsigned (Parquet's order for strings), not JS's UTF-16 order
        const data = col.data as (string | null | undefined)[];
        let total = 0;
        for (const s of data) if (s !== null && s !== undefined) total += 4 + Buffer.byteLength(s, "utf8");
        const bytes = Buffer.allocUnsafe(total);
        let pos = 0;
        let min: Buffer | undefined;
        let max: Buffer | undefined;
        for (const s of data) {
          if (s === null || s === undefined) continue;
          const len = bytes.write(s, pos + 4, "utf8");
          bytes.writeUInt32LE(len, pos);
          const value = bytes.subarray(pos + 4, pos + 4 + len);
          if (min === undefined || Buffer.compare(value, min) < 0) min = value;
          if (max === undefined || Buffer.compare(value, max) > 0) max = value;
          pos += 4 + len;
        }
        if (min === undefined || max === undefined) return { values: bytes };
        return { values: bytes, min: Uint8Array.from(min), max: Uint8Array.from(max) };
      }
    }
  }

  private maskScratch(rows: number): Uint8Array {
    if (this.mask.length < rows) this.mask = new Uint8Array(rows);
    return this.mask.subarray(0, rows);
  }

  private scratchFor(bytes: number): ArrayBuffer {
    if (this.scratch.byteLength < bytes) this.scratch = new ArrayBuffer(bytes);
    return this.scratch;
  }
}

function varint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
}

function withLength(body: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(4 + body.length);
  new DataView(bytes.buffer).setUint32(0, body.length, true);
  bytes.set(body, 4);
  return bytes;
}

/** The array's bytes in little-endian order: a view on little-endian hosts, a swapped copy otherwise. */
function littleEndian(data: Float64Array | Int32Array | BigInt64Array): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) return view;
  const width = data.BYTES_PER_ELEMENT;
  const swapped = new Uint8Array(view.length);
  for (let i = 0; i < view.length; i += width) for (let b = 0; b < width; b++) swapped[i + b] = view[i + width - 1 - b];
  return swapped;
}

function f64Bytes(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return b;
}
