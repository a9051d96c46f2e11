import type { ResultTable } from "./table.js";

/**
 * A file format for result tables. Implementations write atomically (see atomic.ts) and validate the table.
 * Register new ones in writers.ts.
 *
 * @example
 * await csvWriter.write(table, `out/${table.name}${csvWriter.extension}`);
 */
export interface TableWriter {
  /** Name used on the command line, e.g. "csv". */
  readonly format: string;
  /** File extension including the dot, e.g. ".csv". */
  readonly extension: string;
  write(table: ResultTable, path: string): Promise<void>;
}
