/**
 * CSV writer (RFC 4180 quoting, "\n" line ends, UTF-8, no BOM). Numbers are written exactly as String(n)
 * (shortest round-trip); NaN is an empty field, ±Infinity is "inf"/"-inf", booleans are "true"/"false";
 * an empty string is written `""` so that it stays distinguishable from a missing value.
 *
 * Why it looks low level: rows are encoded straight into a reused 4 MB byte buffer, flushed with one fs call
 * per buffer, so 2.5M cells take a fraction of a second instead of allocating millions of strings. Numeric
 * tables are encoded by WebAssembly (csv-wasm.ts); this file's loop handles the other column types.
 */
import { openAtomic } from "./atomic.js";
import { MAX_NUMBER_BYTES, writeAscii, writeF64, writeSafeInt } from "./ascii-number.js";
import { encodeCsvRowsWasm } from "./csv-wasm.js";
import { validateTable, type ResultTable } from "../tables/table.js";
import { writeWhole, type TableSink, type TableWriter } from "./table-writer.js";

const CHUNK_BYTES = 4 << 20;
const COMMA = 44;
const NEWLINE = 10;
const QUOTE = 34;
const TYPE_CODE = { f64: 0, i32: 1, i64: 2, bool: 3, utf8: 4 } as const;
/** f64 with csvFloat: integral values written "x.0" like Python's float repr. */
const F64_PYTHON = 5;

/** Registry entry: `.csv` files. */
export const csvWriter: TableWriter = {
  format: "csv",
  doc: "CSV, Vidur's layout; numbers as the shortest round-trip text",
  extension: ".csv",
  write: writeCsv,
  open: openCsv,
};

/**
 * Writes `table` as CSV to `path` atomically.
 *
 * @example
 * await writeCsv({ name: "t", columns: [column("Request Id", "i32", Int32Array.of(0, 1))] }, "out/t.csv");
 */
export async function writeCsv(table: ResultTable, path: string): Promise<void> {
  await writeWhole(openCsv, table, path);
}

/**
 * Opens `path` for a CSV written chunk by chunk: the header comes from the first chunk, rows are appended.
 *
 * @example
 * const sink = await openCsv("out/t.csv");
 * await sink.write(firstRows); await sink.write(moreRows); await sink.close();
 */
export async function openCsv(path: string): Promise<TableSink> {
  const file = await openAtomic(path);
  const scratch = Buffer.allocUnsafe(CHUNK_BYTES); // one encode buffer for the whole file
  let first = true;
  return {
    async write(chunk) {
      encodeCsv(chunk, (bytes) => file.write(bytes), { header: first, scratch });
      first = false;
    },
    async close() {
      await file.commit();
    },
    async abort() {
      file.abort();
    },
  };
}

/**
 * Encodes `table` as CSV, handing out chunks of at most ~4 MB. A chunk is only valid during the call
 * (its buffer is reused): copy it if you keep it.
 *
 * @example
 * const parts: Buffer[] = [];
 * encodeCsv(table, (b) => parts.push(Buffer.from(b)));
 * const text = Buffer.concat(parts).toString("utf8");
 */
export function encodeCsv(
  table: ResultTable,
  emit: (chunk: Uint8Array) => void,
  options: { header?: boolean; scratch?: Buffer /** false: never use the WASM encoder (tests compare the two) */; wasm?: boolean } = {},
): void {
  const rows = validateTable(table);
  const cols = table.columns;
  const ncols = cols.length;
  const buf = options.scratch && options.scratch.length >= CHUNK_BYTES ? options.scratch : Buffer.allocUnsafe(CHUNK_BYTES);
  const codes = cols.map((c) => (c.type === "f64" && c.csvFloat ? F64_PYTHON : TYPE_CODE[c.type]));
  const data = cols.map((c) => c.data);
  // Bytes one row can need, strings excepted (they reserve their own room).
  const rowFixed = ncols * (MAX_NUMBER_BYTES + 1) + 1;
  let pos = 0;

  const flush = (): void => {
    if (pos > 0) emit(buf.subarray(0, pos));
    pos = 0;
  };
  const writeText = (s: string | null | undefined): void => {
    if (s === null || s === undefined) return;
    const room = s.length * 6 + 2; // worst case: every UTF-16 unit is a doubled quote or 3 UTF-8 bytes
    if (pos + room > CHUNK_BYTES) {
      flush();
      if (room > CHUNK_BYTES) {
        emit(Buffer.from(csvQuote(s), "utf8"));
        return;
      }
    }
    pos = writeCsvText(buf, pos, s);
  };

  if (options.header !== false) {
    for (let c = 0; c < ncols; c++) {
      if (c > 0) buf[pos++] = COMMA;
      writeText(cols[c].name);
    }
    buf[pos++] = NEWLINE;
  }
  // Numeric tables (f64/i32 only, i.e. every table a run writes) go through the WASM encoder, 3-4x faster
  // and byte-identical; it declines anything else and the JS loop below takes over.
  if (rows > 0 && options.wasm !== false && codes.every((t) => t <= 1 || t === F64_PYTHON)) {
    flush();
    if (encodeCsvRowsWasm(table, emit)) return;
  }

  for (let r = 0; r < rows; r++) {
    if (pos + rowFixed > CHUNK_BYTES) flush();
    for (let c = 0; c < ncols; c++) {
      if (c > 0) buf[pos++] = COMMA;
      switch (codes[c]) {
        case 0:
        case F64_PYTHON: {
          const x = (data[c] as Float64Array)[r];
          if (x === x) {
            if (x === Infinity) pos = writeAscii(buf, pos, "inf");
            else if (x === -Infinity) pos = writeAscii(buf, pos, "-inf");
            else {
              pos = writeF64(buf, pos, x);
              if (codes[c] === F64_PYTHON && Number.isInteger(x) && Math.abs(x) < 1e16) pos = writeAscii(buf, pos, ".0");
            }
          }
          break;
        }
        case 1:
          pos = writeSafeInt(buf, pos, (data[c] as Int32Array)[r]);
          break;
        case 2: {
          const v = (data[c] as BigInt64Array)[r];
          pos = v >= -9007199254740991n && v <= 9007199254740991n ? writeSafeInt(buf, pos, Number(v)) : writeAscii(buf, pos, String(v));
          break;
        }
        case 3:
          pos = writeAscii(buf, pos, (data[c] as Uint8Array)[r] !== 0 ? "true" : "false");
          break;
        default:
          writeText((data[c] as string[])[r]);
      }
    }
    buf[pos++] = NEWLINE;
  }
  flush();
}

/** Quotes a field when RFC 4180 needs it (comma, quote, CR/LF) and always for "" (empty ≠ missing). */
export function csvQuote(s: string): string {
  return s === "" || /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Writes one text field into `buf` (room already ensured), ASCII fast path without a temp string. */
function writeCsvText(buf: Buffer, pos: number, s: string): number {
  const n = s.length;
  let plain = n > 0;
  for (let i = 0; i < n && plain; i++) {
    const ch = s.charCodeAt(i);
    plain = ch < 128 && ch !== COMMA && ch !== QUOTE && ch !== NEWLINE && ch !== 13;
  }
  if (plain) return writeAscii(buf, pos, s);
  return pos + buf.write(csvQuote(s), pos, "utf8");
}
