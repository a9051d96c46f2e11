/**
 * Reads chosen columns of an Arrow IPC file without reading the file: the schema comes from the footer
 * (apache-arrow's file reader on the footer bytes), then each record batch's metadata message is decoded (apache-arrow's
 * `Message`) and only the buffers of the wanted columns are read, at their offsets, into a small reused
 * buffer. A 1M-request request_metrics.arrow is 200 MB; the four latency columns are 32 MB of it, and a
 * report never holds more than one record batch of them (fresh memory is slow to touch on a busy VM, so
 * reading a whole 200 MB file costs seconds). Handles the flat tables tokenwatt writes: Float64, Int32,
 * Int64, Bool and Utf8 columns, uncompressed, with or without validity bitmaps.
 *
 * @example
 * const f = await openArrowColumns("out/timeline.arrow");
 * f.numRows;                                           // rows over all record batches
 * f.scan(["t_start_s", "power_w_gpus"], (rows, [t, p]) => { ... });   // one call per record batch
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { arrow } from "../output/arrow-lib.js";

export interface ArrowColumnFile {
  names: string[];
  numRows: number;
  /** Calls `onBatch` once per record batch with the rows of the wanted numeric columns (null → NaN). */
  scan(columns: readonly string[], onBatch: (rows: number, values: Float64Array[]) => void): void;
  /** All rows of one column as strings (null → null). */
  strings(column: string): (string | null)[];
}

interface BatchMeta {
  /** Body start in the file. */
  body: number;
  rows: number;
  /** Per field: validity (empty when the batch has no nulls in it), values (and data for strings). */
  buffers: { offset: number; length: number }[];
}

const Type = arrow.Type;

/** Buffers per field in a record batch body, by type (flat types only). */
function bufferCount(typeId: number): number {
  if (typeId === Type.Utf8 || typeId === Type.Binary) return 3;
  if (typeId === Type.Float || typeId === Type.Int || typeId === Type.Bool) return 2;
  throw new Error(`column type ${Type[typeId]} is not one tokenwatt writes`);
}

/**
 * The schema from the file's footer: the footer alone, between the two magic strings, is an Arrow file with
 * no record batches, which apache-arrow's reader opens without touching the rest of the file.
 */
function readSchema(fd: number, size: number): import("apache-arrow").Schema {
  const tail = Buffer.alloc(10);
  if (size < 22 || readSync(fd, tail, 0, 10, size - 10) < 10 || tail.subarray(4).toString("latin1") !== "ARROW1") {
    throw new Error("no ARROW1 footer (truncated or not an Arrow IPC file)");
  }
  const footerLen = tail.readInt32LE(0);
  if (footerLen <= 0 || footerLen > size - 18) throw new Error(`footer length ${footerLen} does not fit the file`);
  const bytes = Buffer.alloc(8 + footerLen + 10);
  bytes.write("ARROW1", 0, "latin1");
  readSync(fd, bytes, 8, footerLen, size - 10 - footerLen);
  bytes.writeInt32LE(footerLen, 8 + footerLen);
  bytes.write("ARROW1", 8 + footerLen + 4, "latin1");
  const reader = arrow.RecordBatchReader.from(bytes);
  reader.open();
  if (!reader.isFile()) throw new Error("not an Arrow IPC file");
  return reader.schema;
}

export async function openArrowColumns(path: string): Promise<ArrowColumnFile> {
  const fd0 = openSync(path, "r");
  let schema: import("apache-arrow").Schema;
  try {
    schema = readSchema(fd0, fstatSync(fd0).size);
  } finally {
    closeSync(fd0);
  }
  const fields = schema.fields;
  const firstBuffer: number[] = [];
  let nb = 0;
  for (const f of fields) {
    firstBuffer.push(nb);
    nb += bufferCount(f.typeId);
  }
  const fd = openSync(path, "r");
  const batches: BatchMeta[] = [];
  try {
    const head = Buffer.alloc(8);
    let pos = 8; // after "ARROW1\0\0"
    for (;;) {
      if (readSync(fd, head, 0, 8, pos) < 8) break;
      let metaLen = head.readInt32LE(0);
      let metaStart = pos + 4;
      if (metaLen === -1) {
        metaLen = head.readInt32LE(4);
        metaStart = pos + 8;
      }
      if (metaLen <= 0) break; // end-of-stream marker; the footer follows
      const meta = Buffer.alloc(metaLen);
      readSync(fd, meta, 0, metaLen, metaStart);
      const msg = arrow.Message.decode(meta);
      const body = metaStart + metaLen;
      if (msg.headerType === arrow.MessageHeader.RecordBatch) {
        // (the single-file bundle keeps the public getters length, buffers and compression, not `nodes`)
        const rb = msg.header() as unknown as {
          length: number | bigint;
          buffers: { offset: number | bigint; length: number | bigint }[];
          compression?: unknown;
        };
        if (rb.compression) throw new Error("compressed record batches are not supported");
        if (rb.buffers.length !== nb) throw new Error(`a record batch has ${rb.buffers.length} buffers, the schema ${nb}`);
        batches.push({
          body,
          rows: Number(rb.length),
          buffers: rb.buffers.map((b) => ({ offset: Number(b.offset), length: Number(b.length) })),
        });
      } else if (msg.headerType === arrow.MessageHeader.DictionaryBatch) {
        throw new Error("dictionary-encoded columns are not supported");
      }
      pos = body + Number(msg.bodyLength);
    }
  } finally {
    closeSync(fd);
  }
  const names = fields.map((f) => f.name);
  const numRows = batches.reduce((s, b) => s + b.rows, 0);
  const indexOf = (name: string): number => {
    const k = names.indexOf(name);
    if (k < 0) throw new Error(`no column "${name}"`);
    return k;
  };

  let scratch = new Uint8Array(1 << 16);
  const read = (fd: number, offset: number, length: number): Uint8Array => {
    if (scratch.length < length) scratch = new Uint8Array(Math.max(length, 2 * scratch.length));
    readSync(fd, scratch, 0, length, offset);
    return scratch;
  };

  const self: ArrowColumnFile = {
    names,
    numRows,
    scan(columns, onBatch) {
      const ks = columns.map(indexOf);
      const maxRows = batches.reduce((m, b) => Math.max(m, b.rows), 0);
      const out = ks.map(() => new Float64Array(maxRows));
      const fd2 = openSync(path, "r");
      try {
        for (const b of batches) {
          ks.forEach((k, j) => {
            const f = fields[k];
            const values = b.buffers[firstBuffer[k] + 1];
            const dst = out[j];
            if (f.typeId === Type.Float && (f.type as { precision: number }).precision === arrow.Precision.DOUBLE) {
              // doubles go straight from the file into the output (no copy)
              readSync(fd2, dst, 0, Math.min(values.length, 8 * b.rows), b.body + values.offset);
            } else if (f.typeId === Type.Int) {
              const view = read(fd2, b.body + values.offset, values.length).buffer;
              const bits = (f.type as { bitWidth: number }).bitWidth;
              if (bits === 32) {
                const src = new Int32Array(view, 0, b.rows);
                for (let i = 0; i < b.rows; i++) dst[i] = src[i];
              } else if (bits === 64) {
                const src = new BigInt64Array(view, 0, b.rows);
                for (let i = 0; i < b.rows; i++) dst[i] = Number(src[i]);
              } else {
                throw new Error(`column "${f.name}": ${bits}-bit integers are not one tokenwatt writes`);
              }
            } else if (f.typeId === Type.Bool) {
              const raw = read(fd2, b.body + values.offset, values.length);
              for (let i = 0; i < b.rows; i++) dst[i] = (raw[i >> 3] >> (i & 7)) & 1;
            } else {
              throw new Error(`column "${f.name}" is ${String(f.type)}; numeric columns are read as Float64, Int32, Int64 or Bool`);
            }
            const validity = b.buffers[firstBuffer[k]];
            if (validity.length > 0) {
              const bits = read(fd2, b.body + validity.offset, validity.length);
              for (let i = 0; i < b.rows; i++) if (!((bits[i >> 3] >> (i & 7)) & 1)) dst[i] = Number.NaN;
            }
          });
          onBatch(b.rows, out);
        }
      } finally {
        closeSync(fd2);
      }
    },
    strings(column) {
      const k = indexOf(column);
      const f = fields[k];
      const out: (string | null)[] = [];
      if (f.typeId !== Type.Utf8) {
        self.scan([column], (rows, [v]) => {
          for (let i = 0; i < rows; i++) out.push(Number.isFinite(v[i]) ? String(v[i]) : null);
        });
        return out;
      }
      const fd2 = openSync(path, "r");
      const dec = new TextDecoder();
      try {
        for (const b of batches) {
          const vb = b.buffers[firstBuffer[k]];
          const validity = vb.length > 0 ? Uint8Array.from(read(fd2, b.body + vb.offset, vb.length)) : null;
          const offsets = new Int32Array(
            Uint8Array.from(read(fd2, b.body + b.buffers[firstBuffer[k] + 1].offset, 4 * (b.rows + 1))).buffer,
          );
          const dataBuf = b.buffers[firstBuffer[k] + 2];
          const data = read(fd2, b.body + dataBuf.offset, dataBuf.length);
          for (let i = 0; i < b.rows; i++) {
            const valid = !validity || ((validity[i >> 3] >> (i & 7)) & 1) === 1;
            out.push(valid ? dec.decode(data.subarray(offsets[i], offsets[i + 1])) : null);
          }
        }
      } finally {
        closeSync(fd2);
      }
      return out;
    },
  };
  return self;
}
