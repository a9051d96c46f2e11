/**
 * CSV rows of numeric tables (f64 / i32 columns) encoded by WebAssembly (build/csv.wasm, source in
 * assembly/csv/), byte-identical to `encodeCsv(table, emit, { header: false })`.
 *
 * Why: the JS number writer (ascii-number.ts) costs ~200 ns per double; the WASM encoder formats doubles
 * with exact integer arithmetic and asks the host for String(x) only in rare tie / out-of-range cases.
 * The module is compiled and instantiated once per thread (worker) and its memory is reused across calls:
 * column data is copied in one block of rows at a time, and each block's text (at most ~4 MB) is emitted
 * straight from WASM memory.
 */
import { readBuildFile } from "../core/repo-root.js";
import { validateTable, type ResultTable } from "../tables/table.js";

/** The encoder's exports (see assembly/csv/index.ts). Pointers are byte offsets into `memory`. */
interface CsvExports {
  memory: WebAssembly.Memory;
  reserve(ncols: number, rows: number, outBytes: number): number;
  typesPtr(): number;
  columnPtr(c: number): number;
  outputPtr(): number;
  encodeRows(rows: number): number;
  maxRowBytes(ncols: number): number;
}

/** Output piece size, as in csv.ts. */
const CHUNK_BYTES = 4 << 20;
/** Column type codes of assembly/csv/index.ts. */
const TYPE_F64 = 0;
const TYPE_I32 = 1;
const TYPE_F64_PYTHON = 2;

interface CsvModule {
  exports: CsvExports;
  /** Byte view on the current memory buffer; replaced when memory grows (growth detaches the old one). */
  bytes: Uint8Array;
}

let encoder: CsvModule | undefined;
/** Numbers formatted by the host's String(x) so far in this thread (see `csvWasmFallbacks`). */
let fallbacks = 0;
/** Set while encoding: an `emit` that encodes another table re-enters, and that call falls back to JS. */
let busy = false;

/** Fresh byte view whenever the memory's buffer was replaced by a grow. */
function bytesOf(m: CsvModule): Uint8Array {
  if (m.bytes.buffer !== m.exports.memory.buffer) m.bytes = new Uint8Array(m.exports.memory.buffer);
  return m.bytes;
}

/** The per-thread encoder instance (compiled and instantiated synchronously on first use). */
function csvModule(): CsvModule {
  if (encoder) return encoder;
  let m: CsvModule | undefined;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readBuildFile("csv.wasm")), {
    env: {
      // Rare fallback (ties, |x| < 1e-6, integers >= 2^53): the exact JS text, written at `ptr`.
      formatNumber(x: number, ptr: number): number {
        fallbacks++;
        const s = String(x);
        const bytes = bytesOf(m!);
        for (let i = 0; i < s.length; i++) bytes[ptr + i] = s.charCodeAt(i);
        return s.length;
      },
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`tokenwatt csv encoder aborted at assembly line ${line}:${column}`);
      },
    },
  });
  const exports = instance.exports as unknown as CsvExports;
  m = { exports, bytes: new Uint8Array(exports.memory.buffer) };
  encoder = m;
  return m;
}

/**
 * Writes the rows of `table` (no header) as CSV, exactly like `encodeCsv(table, emit, { header: false })`,
 * handing out pieces of at most ~4 MB. Returns false, writing nothing, when a column is not f64 or i32, or
 * when called from inside its own `emit` (the caller then uses `encodeCsv`). A piece is a view into WASM
 * memory, valid only during the `emit` call: copy it if you keep it.
 *
 * @example
 * const emit = (b: Uint8Array) => file.write(b);
 * if (!encodeCsvRowsWasm(table, emit)) encodeCsv(table, emit, { header: false });
 */
export function encodeCsvRowsWasm(table: ResultTable, emit: (chunk: Uint8Array) => void): boolean {
  const rows = validateTable(table);
  const cols = table.columns;
  if (!cols.every((c) => c.type === "f64" || c.type === "i32")) return false;
  if (rows === 0) return true;
  if (busy) return false;
  busy = true;
  try {
    encodeBlocks(csvModule(), table, rows, emit);
  } finally {
    busy = false;
  }
  return true;
}

/** Copies the columns in blocks of rows into WASM memory and emits each block's text. */
function encodeBlocks(m: CsvModule, table: ResultTable, rows: number, emit: (chunk: Uint8Array) => void): void {
  const cols = table.columns;
  const ncols = cols.length;
  const wasm = m.exports;
  const rowBytes = wasm.maxRowBytes(ncols);
  const outBytes = Math.max(CHUNK_BYTES, rowBytes);
  const block = Math.min(rows, Math.max(1, Math.floor(outBytes / rowBytes)));
  if (wasm.reserve(ncols, block, outBytes) !== 1) throw new RangeError(`csv encoder: no memory for ${ncols} columns`);
  const memory = wasm.memory.buffer; // stable until the next reserve()
  const bytes = bytesOf(m);
  const types = wasm.typesPtr();
  for (let c = 0; c < ncols; c++) bytes[types + c] = cols[c].type === "f64" ? (cols[c].csvFloat ? TYPE_F64_PYTHON : TYPE_F64) : TYPE_I32;
  const targets = cols.map((c, i) =>
    c.type === "f64" ? new Float64Array(memory, wasm.columnPtr(i), block) : new Int32Array(memory, wasm.columnPtr(i), block),
  );
  const out = wasm.outputPtr();

  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    for (let c = 0; c < ncols; c++) {
      const src = cols[c].data as Float64Array | Int32Array;
      (targets[c] as Float64Array | Int32Array).set(r0 === 0 && r1 === src.length ? src : src.subarray(r0, r1));
    }
    const n = wasm.encodeRows(r1 - r0);
    emit(bytesOf(m).subarray(out, out + n));
  }
}

/**
 * How many numbers this thread's encoder has handed to String(x) so far (ties, |x| < 1e-6, integers
 * >= 2^53); for tests and profiling: random doubles should almost never need it.
 *
 * @example
 * const before = csvWasmFallbacks(); encodeCsvRowsWasm(table, emit); const slow = csvWasmFallbacks() - before;
 */
export function csvWasmFallbacks(): number {
  return fallbacks;
}
