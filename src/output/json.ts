/**
 * JSON output: `writeJson` for summaries/configs (pretty, NaN/±Infinity → null, typed arrays → arrays,
 * bigint → number), and a records-oriented table writer (`[{"col": value, ...}, ...]`, one row a line).
 */
import { openAtomic, writeFileAtomic } from "./atomic.js";
import { encodeCsvRowsWasm } from "./csv-wasm.js";
import { validateTable, type Column, type ResultTable } from "../tables/table.js";
import { writeWhole, type TableSink, type TableWriter } from "./table-writer.js";

const FLUSH_CHARS = 1 << 20;

/** Registry entry: `.json` record arrays (`pandas.read_json(path)`, DuckDB `read_json_auto`). */
export const jsonRecordsWriter: TableWriter = {
  format: "json",
  doc: "JSON records (one object per row)",
  extension: ".json",
  write: writeJsonRecords,
  open: openJsonRecords,
};

/**
 * JSON.stringify replacer: typed arrays become plain arrays, bigint becomes a number (a string when
 * beyond 2^53, so no digits are lost). NaN and ±Infinity already become null in JSON.stringify.
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value.toString();
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>);
  }
  return value;
}

/**
 * Writes `obj` as pretty JSON (2-space indent, trailing newline) atomically.
 *
 * @example
 * await writeJson({ p99: NaN, ttft: Float64Array.of(0.1, 0.2) }, "out/summary.json");
 * // { "p99": null, "ttft": [0.1, 0.2] }
 */
export async function writeJson(obj: unknown, path: string): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(obj, jsonReplacer, 2)}\n`);
}

/**
 * Writes `table` as a JSON array of row objects atomically; NaN/±Infinity → null, bool → true/false.
 *
 * @example
 * await writeJsonRecords(table, "out/request_metrics.json"); // pandas.read_json("out/request_metrics.json")
 */
export async function writeJsonRecords(table: ResultTable, path: string): Promise<void> {
  await writeWhole(openJsonRecords, table, path);
}

/**
 * Opens `path` for a JSON record array written chunk by chunk.
 *
 * @example
 * const sink = await openJsonRecords("out/t.json");
 * await sink.write(rows); await sink.close();
 */
export async function openJsonRecords(path: string): Promise<TableSink> {
  const file = await openAtomic(path);
  let rowsWritten = 0;
  file.write("[");
  return {
    async write(chunk) {
      const rows = validateTable(chunk);
      encodeJsonRows(chunk, rowsWritten === 0, (text) => file.write(text));
      rowsWritten += rows;
    },
    async close() {
      file.write("\n]\n");
      await file.commit();
    },
    async abort() {
      file.abort();
    },
  };
}

/**
 * The rows of `chunk` as JSON objects, one per line, each line preceded by "\n" (the first row of a file) or
 * ",\n"; handed to `write` in pieces (strings or bytes, valid only during the call). All-numeric tables go
 * through the WASM number encoder unless `wasm` is false (tests compare the two: the bytes are identical).
 *
 * @example
 * let text = ""; encodeJsonRows(table, true, (t) => (text += Buffer.from(t).toString()));
 */
export function encodeJsonRows(
  chunk: ResultTable,
  firstRow: boolean,
  write: (piece: string | Uint8Array) => void,
  options: { wasm?: boolean } = {},
): void {
  const rows = validateTable(chunk);
  if (rows === 0) return;
  if (options.wasm !== false && encodeNumericRows(chunk, firstRow, write)) return;
  const keys = chunk.columns.map((c, i) => `${i === 0 ? "{" : ","}${JSON.stringify(c.name)}:`);
  const cells = chunk.columns.map(cellFormatter);
  let s = "";
  for (let r = 0; r < rows; r++) {
    s += firstRow && r === 0 ? "\n" : ",\n";
    for (let c = 0; c < keys.length; c++) s += keys[c] + cells[c](r);
    s += keys.length === 0 ? "{}" : "}";
    if (s.length > FLUSH_CHARS) {
      write(s);
      s = "";
    }
  }
  if (s) write(s);
}

/** Output buffer of the numeric fast path (one per thread, allocated on first use, reused). */
let jsonScratch: Buffer | undefined;

/**
 * Rows of an all-numeric (f64/i32) table, byte-identical to the per-cell path below but ~5x faster: the
 * WASM CSV encoder formats the numbers (exactly as String(x)), and one pass over its bytes turns each CSV
 * row into a JSON object: keys go in front of the fields, and empty fields (NaN) and inf/-inf become null.
 * Numeric CSV fields never contain commas, quotes or newlines, so the pass needs no parsing beyond them.
 * Returns false, writing nothing, when a column is not numeric (or the encoder is busy).
 */
function encodeNumericRows(chunk: ResultTable, firstRow: boolean, write: (bytes: Uint8Array) => void): boolean {
  const keys = chunk.columns.map((c, i) => Buffer.from(`${i === 0 ? "{" : ","}${JSON.stringify(c.name)}:`, "utf8"));
  if (keys.length === 0) return false;
  // a row at most: its keys, 25 bytes per number (String(x) is at most 24 characters), "},\n"
  const maxRow = keys.reduce((n, k) => n + k.length, 0) + 25 * keys.length + 3;
  if (jsonScratch === undefined || jsonScratch.length < 2 * maxRow) jsonScratch = Buffer.allocUnsafe(Math.max(FLUSH_CHARS * 4, 2 * maxRow));
  const out = jsonScratch;
  let pos = 0;
  let first = firstRow;
  const convert = (csv: Uint8Array): void => {
    let i = 0;
    while (i < csv.length) {
      if (pos + maxRow > out.length) {
        write(out.subarray(0, pos));
        pos = 0;
      }
      if (!first) out[pos++] = 0x2c; // ","
      out[pos++] = 0x0a; // "\n"
      first = false;
      for (let c = 0; c < keys.length; c++) {
        const key = keys[c];
        for (let k = 0; k < key.length; k++) out[pos++] = key[k];
        let j = i;
        while (csv[j] !== 0x2c && csv[j] !== 0x0a) j++;
        // NaN is an empty field, ±Infinity "inf" / "-inf": JSON has null for all three
        if (j === i || csv[i] === 0x69 || (csv[i] === 0x2d && csv[i + 1] === 0x69)) {
          out[pos] = 0x6e; // "null"
          out[pos + 1] = 0x75;
          out[pos + 2] = 0x6c;
          out[pos + 3] = 0x6c;
          pos += 4;
        } else {
          for (let k = i; k < j; k++) out[pos++] = csv[k];
        }
        i = j + 1;
      }
      out[pos++] = 0x7d; // "}"
    }
  };
  if (!encodeCsvRowsWasm(chunk, convert)) return false;
  if (pos > 0) write(out.subarray(0, pos));
  return true;
}

function cellFormatter(c: Column): (r: number) => string {
  switch (c.type) {
    case "f64": {
      const d = c.data as Float64Array;
      return (r) => (Number.isFinite(d[r]) ? String(d[r]) : "null");
    }
    case "i32": {
      const d = c.data as Int32Array;
      return (r) => String(d[r]);
    }
    case "i64": {
      const d = c.data as BigInt64Array;
      return (r) => String(d[r]);
    }
    case "bool": {
      const d = c.data as Uint8Array;
      return (r) => (d[r] !== 0 ? "true" : "false");
    }
    case "utf8": {
      const d = c.data as string[];
      return (r) => (d[r] === null || d[r] === undefined ? "null" : JSON.stringify(d[r]));
    }
  }
}
