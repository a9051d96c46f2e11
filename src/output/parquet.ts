/**
 * Parquet writer via parquet-wasm (Rust arrow-rs compiled to WASM, works offline): ResultTable → Arrow
 * IPC stream → parquet-wasm Table → writeParquet. ZSTD-compressed, dictionary encoding on (helps repeated
 * strings and small-integer columns), chunk statistics (lets DuckDB skip row groups), Parquet format v1
 * data pages for the widest reader compatibility.
 */
import { tableToIPC } from "apache-arrow";
import { toArrowTable } from "./arrow.js";
import { writeFileAtomic } from "./atomic.js";
import type { ResultTable } from "./table.js";
import type { TableWriter } from "./table-writer.js";

type ParquetWasm = typeof import("parquet-wasm");

/** Parquet compression codecs we offer; all read by pyarrow, DuckDB and Polars. */
export type ParquetCompression = "zstd" | "snappy" | "none";

export interface ParquetOptions {
  /** Default "zstd". */
  compression?: ParquetCompression;
  /** Rows per row group; default 1,048,576 (DuckDB's and pyarrow's sweet spot). */
  rowGroupSize?: number;
}

/** Registry entry: `.parquet` files (Snappy: several times faster to write than ZSTD, ~10 % larger). */
export const parquetWriter: TableWriter = {
  format: "parquet",
  extension: ".parquet",
  write: (table, path) => writeParquetFile(table, path),
};

let wasm: Promise<ParquetWasm> | undefined;

/**
 * parquet-wasm, loaded once on first use (its node build instantiates the WASM synchronously from disk),
 * so runs that never write Parquet do not pay for it.
 */
export function loadParquetWasm(): Promise<ParquetWasm> {
  wasm ??= import("parquet-wasm");
  return wasm;
}

/**
 * Encodes `table` as Parquet bytes.
 *
 * @example
 * const bytes = await encodeParquet(table, { compression: "snappy" });
 */
export async function encodeParquet(table: ResultTable, options: ParquetOptions = {}): Promise<Uint8Array> {
  const pq = await loadParquetWasm();
  const ipc = tableToIPC(toArrowTable(table), "stream");
  const codec = { zstd: pq.Compression.ZSTD, snappy: pq.Compression.SNAPPY, none: pq.Compression.UNCOMPRESSED }[
    options.compression ?? "snappy"
  ];
  const props = new pq.WriterPropertiesBuilder()
    .setCompression(codec)
    // dictionary pages only pay off for repeated strings: on unique doubles they cost ~5x the encode time
    // and make files larger
    .setDictionaryEnabled(table.columns.some((c) => c.type === "utf8"))
    .setStatisticsEnabled(pq.EnabledStatistics.Chunk)
    .setMaxRowGroupSize(options.rowGroupSize ?? 1 << 20)
    .setWriterVersion(pq.WriterVersion.V1)
    .setCreatedBy("tokenwatt")
    .build();
  // writeParquet consumes both WASM objects (their memory is released by it).
  return pq.writeParquet(pq.Table.fromIPCStream(ipc), props);
}

/**
 * Writes `table` as a Parquet file atomically.
 *
 * @example
 * await writeParquetFile(table, "out/request_metrics.parquet"); // duckdb: SELECT * FROM 'out/request_metrics.parquet'
 */
export async function writeParquetFile(table: ResultTable, path: string, options: ParquetOptions = {}): Promise<void> {
  await writeFileAtomic(path, await encodeParquet(table, options));
}
