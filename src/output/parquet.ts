/**
 * Parquet writer via parquet-wasm (Rust arrow-rs compiled to WASM, works offline): each chunk → Arrow IPC
 * stream → parquet-wasm record batches → its streaming encoder → the file. Snappy-compressed, dictionary
 * pages only for tables with strings, chunk statistics (lets DuckDB skip row groups), Parquet format v1
 * data pages for the widest reader compatibility.
 */
import { createRequire } from "node:module";
import { arrow } from "./arrow-lib.js";
import { toArrowTable } from "./arrow.js";
import { openAtomic } from "./atomic.js";
import type { ResultTable } from "./table.js";
import { writeWhole, type TableSink, type TableWriter } from "./table-writer.js";

type ParquetWasm = typeof import("parquet-wasm");

/** Parquet compression codecs we offer; all read by pyarrow, DuckDB and Polars. */
export type ParquetCompression = "zstd" | "snappy" | "none";

export interface ParquetOptions {
  /** Default "snappy". */
  compression?: ParquetCompression;
  /** Rows per row group; default DEFAULT_ROW_GROUP_ROWS. */
  rowGroupSize?: number;
}

/** Registry entry: `.parquet` files (Snappy: several times faster to write than ZSTD, ~10 % larger). */
export const parquetWriter: TableWriter = {
  format: "parquet",
  extension: ".parquet",
  write: (table, path) => writeParquetFile(table, path),
  open: (path) => openParquet(path),
};

let wasm: Promise<ParquetWasm> | undefined;

/**
 * parquet-wasm, loaded once on first use (its node build instantiates the WASM synchronously from disk),
 * so runs that never write Parquet do not pay for it.
 */
export function loadParquetWasm(): Promise<ParquetWasm> {
  // require(), not import(): the package's node build is CommonJS, and import() would first scan its source
  // for named exports (~20 ms per thread)
  wasm ??= Promise.resolve().then(() => createRequire(import.meta.url)("parquet-wasm") as ParquetWasm);
  return wasm;
}

function writerProperties(pq: ParquetWasm, table: ResultTable, options: ParquetOptions) {
  const codec = { zstd: pq.Compression.ZSTD, snappy: pq.Compression.SNAPPY, none: pq.Compression.UNCOMPRESSED }[
    options.compression ?? "snappy"
  ];
  return (
    new pq.WriterPropertiesBuilder()
      .setCompression(codec)
      // dictionary pages only pay off for repeated strings: on unique doubles they cost ~5x the encode time
      // and make files larger
      .setDictionaryEnabled(table.columns.some((c) => c.type === "utf8"))
      .setStatisticsEnabled(pq.EnabledStatistics.Chunk)
      .setMaxRowGroupSize(options.rowGroupSize ?? DEFAULT_ROW_GROUP_ROWS)
      .setWriterVersion(pq.WriterVersion.V1)
      .setCreatedBy("tokenwatt")
      .build()
  );
}

/**
 * Rows per row group: one streamed chunk (DEFAULT_CHUNK_ROWS). Each chunk is then encoded and written as soon
 * as it arrives, which measured faster than larger groups (100k requests: 1.93-2.02 s against 2.13-2.30 s
 * with 65,536) and keeps parquet-wasm's heap small (1M requests: 390 MB peak against 445 MB). Readers scan
 * 16k-row groups without trouble; DuckDB parallelises over them.
 */
export const DEFAULT_ROW_GROUP_ROWS = 16_384;

/**
 * Encodes `table` as Parquet bytes.
 *
 * @example
 * const bytes = await encodeParquet(table, { compression: "snappy" });
 */
export async function encodeParquet(table: ResultTable, options: ParquetOptions = {}): Promise<Uint8Array> {
  const pq = await loadParquetWasm();
  const ipc = arrow.tableToIPC(toArrowTable(table), "stream");
  // writeParquet consumes both WASM objects (their memory is released by it).
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), writerProperties(pq, table, options));
}

/**
 * Writes `table` as a Parquet file atomically.
 *
 * @example
 * await writeParquetFile(table, "out/request_metrics.parquet"); // duckdb: SELECT * FROM 'out/request_metrics.parquet'
 */
export async function writeParquetFile(table: ResultTable, path: string, options: ParquetOptions = {}): Promise<void> {
  await writeWhole((p) => openParquet(p, options), table, path);
}

/**
 * Opens `path` for a Parquet file written chunk by chunk. Chunks go through parquet-wasm's streaming
 * encoder (`transformParquetStream`), which cuts a row group every `rowGroupSize` rows, so memory holds at
 * most one row group whatever the table's length. Writer settings come from the first chunk.
 *
 * @example
 * const sink = await openParquet("out/t.parquet");
 * for (const c of chunks) await sink.write(c);
 * await sink.close();
 */
export async function openParquet(path: string, options: ParquetOptions = {}): Promise<TableSink> {
  const pq = await loadParquetWasm();
  const file = await openAtomic(path);
  let input: ReadableStreamDefaultController<unknown> | undefined;
  let encoded: Promise<void> | undefined;
  let wake: (() => void) | undefined; // resolves a write() waiting for the encoder to take more batches
  const batches = new ReadableStream<unknown>(
    {
      start: (c) => void (input = c),
      pull: () => {
        wake?.();
        wake = undefined;
      },
    },
    { highWaterMark: 1 },
  );
  return {
    async write(chunk) {
      const ipc = arrow.tableToIPC(toArrowTable(chunk), "stream");
      const table = pq.Table.fromIPCStream(ipc);
      for (const batch of table.recordBatches()) input!.enqueue(batch);
      // the batches share its (reference-counted) arrays; without free() the table's memory would stay in
      // parquet-wasm's heap until a JS finalizer ran, i.e. the whole file would accumulate there
      table.free();
      if (!encoded) {
        // the encoder reads its first batch before it hands back the output stream: enqueue first
        const output = await pq.transformParquetStream(batches, writerProperties(pq, chunk, options));
        encoded = (async () => {
          for await (const bytes of output as unknown as AsyncIterable<Uint8Array>) file.write(bytes);
        })();
        encoded.catch(() => undefined); // observed in close(); keeps an early failure from being "unhandled"
      }
      // backpressure: at most one chunk waits in front of the encoder
      if ((input!.desiredSize ?? 1) <= 0) await Promise.race([new Promise<void>((r) => (wake = r)), encoded]);
    },
    async close() {
      input!.close();
      await encoded;
      await file.commit();
    },
    async abort() {
      try {
        input?.error(new Error("aborted"));
      } catch {
        // already closed or errored
      }
      await encoded?.catch(() => undefined);
      file.abort();
    },
  };
}
