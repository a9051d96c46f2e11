/**
 * Reads what a tokenwatt command left in an output directory — JSON files and result tables — for the report.
 * The report sees only these files (never the scenario), so every problem is named by file: a missing file, a
 * file that is not JSON / Arrow / Parquet / CSV, a table without a column the report needs. Tables are read
 * from Arrow IPC when present (only the wanted columns' buffers are read, one record batch at a time:
 * arrow-columns.ts), else Parquet (parquet-wasm), else CSV.
 *
 * @example
 * const t = await readTable(dir, "request_metrics", { need: ["prefill_e2e_time"] });
 * t.num("prefill_e2e_time");     // Float64Array, NaN where null
 * readJson(dir, "summary.json");  // parsed object, or an InputError naming the file
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { arrow } from "../output/arrow-lib.js";
import { openArrowColumns, type ArrowColumnFile } from "./arrow-columns.js";
import { loadParquetWasm } from "../output/parquet.js";
import { packageRoot } from "../core/repo-root.js";

export const TABLE_EXTENSIONS = ["arrow", "parquet", "csv"] as const;

/** One table read for the report: columns by name, converted on demand. */
export interface ReportTable {
  /** The file the table was read from (for messages). */
  path: string;
  numRows: number;
  columnNames: string[];
  has(name: string): boolean;
  /** A numeric column as doubles (integers converted, null → NaN). */
  num(name: string): Float64Array;
  /** Any column as strings (null → null). */
  str(name: string): (string | null)[];
  /**
   * Numeric columns a chunk at a time (one record batch for Arrow files): large tables are reduced while
   * they are read, never held whole. `values[j]` holds rows [0, rows) of `columns[j]`; reused between calls.
   */
  scan(columns: readonly string[], onChunk: (rows: number, values: Float64Array[]) => void): void;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Parses DIR/NAME as a JSON object; InputError naming the file when it is missing or not a JSON object. */
export function readJson(dir: string, name: string, purpose = "the report needs it"): Record<string, unknown> {
  const path = join(dir, name);
  if (!existsSync(path)) throw new InputError(`${path}: missing (${purpose})`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (!isPlainObject(value))
    throw new InputError(`${path}: expected a JSON object, found ${Array.isArray(value) ? "an array" : typeof value}`);
  return value;
}

/** The path of table NAME in DIR in the first format present (arrow, parquet, csv), or undefined. */
export function findTable(dir: string, name: string): string | undefined {
  for (const ext of TABLE_EXTENSIONS) {
    const p = join(dir, `${name}.${ext}`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export interface ReadTableOptions {
  /** Columns that must be present (InputError naming the file and the column otherwise). */
  need?: readonly string[];
  /** Why the table is needed, for the "missing" message. */
  purpose?: string;
}

/** Reads table NAME from DIR; InputError when it is missing, unreadable or lacks a needed column. */
export async function readTable(dir: string, name: string, opts: ReadTableOptions = {}): Promise<ReportTable> {
  const path = findTable(dir, name);
  if (!path) {
    throw new InputError(`${join(dir, name)}.{${TABLE_EXTENSIONS.join(",")}}: missing (${opts.purpose ?? "the report needs it"})`);
  }
  return readTableFile(path, opts);
}

export async function readTableFile(path: string, opts: ReadTableOptions = {}): Promise<ReportTable> {
  const table = path.endsWith(".csv") ? readCsv(path) : await readArrowLike(path);
  for (const c of opts.need ?? []) {
    if (!table.has(c))
      throw new InputError(`${path}: no column "${c}" (found: ${abbreviate(table.columnNames)}); not a tokenwatt table of this kind`);
  }
  return table;
}

function abbreviate(names: string[]): string {
  return names.length > 8 ? `${names.slice(0, 8).join(", ")}, … ${names.length} columns` : names.join(", ") || "none";
}

type ArrowTable = import("apache-arrow").Table;

function startsWith(path: string, magic: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(magic.length);
    return readSync(fd, head, 0, magic.length, 0) === magic.length && head.toString("latin1") === magic;
  } finally {
    closeSync(fd);
  }
}

async function readArrowFile(path: string): Promise<ReportTable> {
  let file: ArrowColumnFile;
  try {
    if (!startsWith(path, "ARROW1")) throw new Error("no ARROW1 magic bytes");
    file = await openArrowColumns(path);
  } catch (e) {
    throw new InputError(`${path}: not a readable Arrow IPC file (${(e as Error).message.split("\n")[0]})`);
  }
  const check = (name: string) => {
    if (!file.names.includes(name)) throw new InputError(`${path}: no column "${name}"`);
  };
  const wrap = <T>(name: string, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw new InputError(`${path}: column "${name}" is unreadable (${(e as Error).message})`);
    }
  };
  return {
    path,
    numRows: file.numRows,
    columnNames: file.names,
    has: (n) => file.names.includes(n),
    num(name) {
      check(name);
      const out = new Float64Array(file.numRows);
      let at = 0;
      wrap(name, () =>
        file.scan([name], (rows, [v]) => {
          out.set(v.subarray(0, rows), at);
          at += rows;
        }),
      );
      return out;
    },
    str(name) {
      check(name);
      return wrap(name, () => file.strings(name));
    },
    scan(columns, onChunk) {
      columns.forEach(check);
      wrap(columns.join(", "), () => file.scan(columns, onChunk));
    },
  };
}

async function readArrowLike(path: string): Promise<ReportTable> {
  if (!path.endsWith(".parquet")) return readArrowFile(path);
  let table: ArrowTable;
  try {
    if (!startsWith(path, "PAR1")) throw new Error("no PAR1 magic bytes");
    const pq = await loadParquetWasm();
    table = arrow.tableFromIPC(pq.readParquet(readFileSync(path)).intoIPCStream());
  } catch (e) {
    throw new InputError(`${path}: not a readable Parquet file (${(e as Error).message.split("\n")[0]})`);
  }
  const names = table.schema.fields.map((f) => f.name);
  const get = (name: string) => {
    const v = table.getChild(name);
    if (!v) throw new InputError(`${path}: no column "${name}"`);
    return v;
  };
  const self: ReportTable = {
    path,
    numRows: table.numRows,
    columnNames: names,
    has: (n) => names.includes(n),
    num(name) {
      const v = get(name);
      const raw = v.toArray() as ArrayLike<number | bigint | boolean>;
      let out: Float64Array;
      if (raw instanceof Float64Array) out = raw;
      else if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) out = Float64Array.from(raw, (x) => Number(x));
      else if (ArrayBuffer.isView(raw)) out = Float64Array.from(raw as ArrayLike<number>);
      else out = Float64Array.from({ length: v.length }, (_, i) => toNumber(v.get(i)));
      if (v.nullCount > 0) {
        if (out === raw) out = Float64Array.from(out);
        for (let i = 0; i < v.length; i++) if (!v.isValid(i)) out[i] = Number.NaN;
      }
      return out;
    },
    str(name) {
      const v = get(name);
      return Array.from({ length: v.length }, (_, i) => {
        const x = v.get(i);
        return x === null || x === undefined ? null : String(x);
      });
    },
    scan(columns, onChunk) {
      onChunk(
        self.numRows,
        columns.map((c) => self.num(c)),
      );
    },
  };
  return self;
}

function toNumber(x: unknown): number {
  if (typeof x === "number") return x;
  if (typeof x === "bigint") return Number(x);
  if (typeof x === "boolean") return x ? 1 : 0;
  if (typeof x === "string" && x.trim() !== "") return Number(x);
  return Number.NaN;
}

/** RFC 4180 CSV (tokenwatt's writer: `,`, `\n`, quotes doubled); columns parsed lazily. */
function readCsv(path: string): ReportTable {
  const text = readFileSync(path, "utf8");
  if (text.includes("\u0000")) throw new InputError(`${path}: not a CSV text file (contains NUL bytes)`);
  const rows = parseCsv(text);
  if (rows.length === 0 || rows[0].length === 0 || rows[0].every((h) => h === ""))
    throw new InputError(`${path}: empty CSV (no header line)`);
  const header = rows[0];
  const body = rows.slice(1).filter((r) => !(r.length === 1 && r[0] === ""));
  body.forEach((r, i) => {
    if (r.length !== header.length) throw InputError.at(path, i + 2, undefined, `has ${r.length} fields, the header has ${header.length}`);
  });
  const index = (name: string): number => {
    const k = header.indexOf(name);
    if (k < 0) throw new InputError(`${path}: no column "${name}"`);
    return k;
  };
  const self: ReportTable = {
    path,
    numRows: body.length,
    columnNames: header,
    has: (n) => header.includes(n),
    num(name) {
      const k = index(name);
      return Float64Array.from(body, (r, i) => {
        const f = r[k];
        if (f === "") return Number.NaN;
        const x = f === "inf" ? Infinity : f === "-inf" ? -Infinity : f === "true" ? 1 : f === "false" ? 0 : Number(f);
        if (Number.isNaN(x)) throw InputError.at(path, i + 2, name, `must be a number, got ${JSON.stringify(f.slice(0, 40))}`);
        return x;
      });
    },
    str(name) {
      const k = index(name);
      return body.map((r) => r[k]);
    },
    scan(columns, onChunk) {
      onChunk(
        self.numRows,
        columns.map((c) => self.num(c)),
      );
    },
  };
  return self;
}

/** Splits CSV text into rows of fields (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    if (i === n) {
      if (row.length > 0) rows.push(row);
      break;
    }
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      let j = i;
      while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++;
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (text[i] === ",") {
      i++;
      if (i === n) row.push("");
    } else {
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      rows.push(row);
      row = [];
      if (i === n) break;
    }
  }
  return rows;
}

/** Version of an installed package, or of tokenwatt itself (for the page footer). */
export function packageVersion(name: string): string {
  try {
    const path =
      name === "tokenwatt" ? join(packageRoot(), "package.json") : createRequire(import.meta.url).resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}
