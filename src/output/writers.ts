/**
 * The table formats a run can write. Adding a format = one file exporting a TableWriter + one line here.
 */
import { InputError } from "../core/errors.js";
import { csvWriter } from "./csv.js";
import { jsonRecordsWriter } from "./json.js";
import { join } from "node:path";
import type { ResultTable } from "../tables/table.js";
import type { TableWriter } from "./table-writer.js";

// Arrow and Parquet pull in large libraries: load them only when a run asks for those formats.
const arrowWriter: TableWriter = {
  format: "arrow",
  doc: "Arrow IPC file (Feather v2), one record batch per chunk",
  extension: ".arrow",
  write: async (table, path) => (await import("./arrow.js")).arrowWriter.write(table, path),
  open: async (path) => (await import("./arrow.js")).arrowWriter.open(path),
  load: async () => void (await import("./arrow.js")),
};
const parquetWriter: TableWriter = {
  format: "parquet",
  doc: "Parquet, one row group per chunk (own encoder; snappy / zstd through parquet-wasm)",
  extension: ".parquet",
  write: async (table, path, options) => (await import("./parquet.js")).parquetWriter.write(table, path, options),
  open: async (path, options) => (await import("./parquet.js")).parquetWriter.open(path, options),
  load: async (options) => {
    const parquet = await import("./parquet.js");
    if ((options?.parquetCompression ?? "none") !== "none") await parquet.loadParquetWasm();
  },
};

export type { TableWriter, WriteOptions } from "./table-writer.js";

/** Every registered table writer, keyed by format name. */
export const WRITERS: Readonly<Record<string, TableWriter>> = Object.freeze({
  [csvWriter.format]: csvWriter,
  [arrowWriter.format]: arrowWriter,
  [parquetWriter.format]: parquetWriter,
  [jsonRecordsWriter.format]: jsonRecordsWriter,
});

/**
 * The writer for a format name (case-insensitive); throws an InputError naming the allowed formats.
 *
 * @example
 * const w = writerFor("parquet");
 * await w.write(table, `out/${table.name}${w.extension}`);
 */
export function writerFor(format: string): TableWriter {
  const w = Object.hasOwn(WRITERS, format.toLowerCase()) ? WRITERS[format.toLowerCase()] : undefined;
  if (w === undefined) {
    throw new InputError(`unknown output format "${format}"; allowed: ${Object.keys(WRITERS).join(", ")}`);
  }
  return w;
}

/**
 * Writes `table` as `<dir>/<name><extension>` in each format (each file atomically); returns the paths.
 *
 * @example
 * await writeTableFormats(summary, "sweep-out", "summary", ["arrow", "parquet"]);
 */
export async function writeTableFormats(table: ResultTable, dir: string, name: string, formats: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const format of formats) {
    const w = writerFor(format);
    const path = join(dir, `${name}${w.extension}`);
    await w.write(table, path);
    paths.push(path);
  }
  return paths;
}
