/**
 * Streams a chunked table into every format's sink, chunk by chunk (docs/ARCHITECTURE.md, "Streaming outputs").
 */
import { DEFAULT_CHUNK_ROWS, type ChunkedTable } from "../tables/chunked.js";
import type { ResultTable } from "../tables/table.js";
import type { TableSink } from "./table-writer.js";

export interface StreamOptions {
  /** Rows per chunk (default DEFAULT_CHUNK_ROWS). */
  chunkRows?: number;
  /**
   * Called after chunk `index` has been handed to every sink: a place for the caller's own work while
   * writer threads encode the chunks queued so far.
   */
  afterChunk?: (index: number) => void;
}

/**
 * Writes `table` to every sink, chunk by chunk in row order, then closes them; on any failure every sink is
 * aborted (no partial files) and the first error is re-thrown. A zero-row table still sends one (empty)
 * chunk so formats with a header or schema write it.
 *
 * @example
 * await streamTable(table, [await csvWriter.open("a.csv"), await arrowWriter.open("a.arrow")]);
 */
export async function streamTable(table: ChunkedTable, sinks: TableSink[], options: StreamOptions = {}): Promise<void> {
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  try {
    let previous: ResultTable | undefined;
    for (let start = 0, index = 0; start === 0 || start < table.numRows; start += chunkRows, index++) {
      // sinks are done with a chunk once write() resolves (they copy what they keep), so its memory is reused
      const chunk = table.chunk(start, Math.min(table.numRows, start + chunkRows), previous);
      await Promise.all(sinks.map((s) => s.write(chunk)));
      previous = chunk;
      options.afterChunk?.(index);
    }
    await Promise.all(sinks.map((s) => s.close()));
  } catch (err) {
    await Promise.all(sinks.map((s) => s.abort().catch(() => undefined)));
    throw err;
  }
}
