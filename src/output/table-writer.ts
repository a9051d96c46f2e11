import type { ResultTable } from "../tables/table.js";

/** Per-format settings a run can pass to every writer (each writer reads its own part). */
export interface WriteOptions {
  /** Parquet codec (default "none"). */
  parquetCompression?: "none" | "snappy" | "zstd";
}

/**
 * An open output file receiving a table chunk by chunk (rows in order). Every chunk has the same columns;
 * the first one (possibly with zero rows) fixes the schema. Nothing is visible at the target path until
 * close() resolves; abort() removes the partial file. A sink must not hold on to a chunk's arrays after its
 * write() resolves: the caller reuses their memory for the next chunk.
 */
export interface TableSink {
  write(chunk: ResultTable): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * A file format for result tables. Implementations write atomically (see atomic.ts) and validate the table.
 * Register new ones in writers.ts.
 *
 * @example
 * await csvWriter.write(table, `out/${table.name}${csvWriter.extension}`);
 * const sink = await csvWriter.open("out/big.csv");   // or stream it: the table never exists whole
 * for (const chunk of chunks) await sink.write(chunk);
 * await sink.close();
 */
export interface TableWriter {
  /** Name used on the command line, e.g. "csv". */
  readonly format: string;
  /** One line for --help and docs. */
  readonly doc: string;
  /** File extension including the dot, e.g. ".csv". */
  readonly extension: string;
  write(table: ResultTable, path: string, options?: WriteOptions): Promise<void>;
  open(path: string, options?: WriteOptions): Promise<TableSink>;
  /** Loads the encoder for these options ahead of the first write (writer threads call it while the engine runs). */
  load?(options?: WriteOptions): Promise<void>;
}

/**
 * `write` for formats that only implement `open`: one chunk, then close (abort on failure).
 *
 * @example
 * export const myWriter: TableWriter = { format: "x", doc: "my format", extension: ".x", open, write: (t, p) => writeWhole(open, t, p) };
 */
export async function writeWhole(open: (path: string) => Promise<TableSink>, table: ResultTable, path: string): Promise<void> {
  const sink = await open(path);
  try {
    await sink.write(table);
    await sink.close();
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
