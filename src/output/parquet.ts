/**
 * Parquet writer. Uncompressed files (the default) come from tokenwatt's own encoder (parquet-encoder.ts):
 * PLAIN pages written straight from the columns' typed arrays. Snappy and ZSTD go through parquet-wasm
 * (Rust arrow-rs compiled to WASM, works offline): each chunk → Arrow IPC stream → parquet-wasm record
 * batches → its streaming encoder → the file, with dictionary pages only for tables with strings. Both write
 * column-chunk statistics (lets DuckDB skip row groups) and Parquet format v1 data pages for the widest
 * reader compatibility.
 */
import { createRequire } from "node:module";
import { arrow } from "./arrow-lib.js";
import { toArrowTable } from "./arrow.js";
import { CoalescedWrites, openAtomic, type AtomicSink } from "./atomic.js";
import { ParquetEncoder } from "./parquet-encoder.js";
import type { NumericArray } from "../tables/chunked.js";
import { tableRowCount, type ResultTable } from "../tables/table.js";
import { writeWhole, type TableSink, type TableWriter, type WriteOptions } from "./table-writer.js";

type ParquetWasm = typeof import("parquet-wasm");

/** Parquet compression codecs we offer; all read by pyarrow, DuckDB and Polars. */
export type ParquetCompression = NonNullable<WriteOptions["parquetCompression"]>;

export interface ParquetOptions {
  /**
   * Default "none": result columns are mostly unique doubles, on which Snappy saves ~11 % of the bytes and
   * ZSTD ~23 % (100k-request request_metrics: 17.9 / 15.4 MB against 20.0 MB) for 0.33 / 0.38 s more per run
   * (bench/RESULTS.md).
   */
  compression?: ParquetCompression;
  /** Rows per row group; default DEFAULT_ROW_GROUP_ROWS. */
  rowGroupSize?: number;
}

/** Registry entry: `.parquet` files, uncompressed (see ParquetOptions.compression). */
export const parquetWriter: TableWriter = {
  format: "parquet",
  doc: "Parquet, one row group per chunk (own encoder; snappy / zstd through parquet-wasm)",
  extension: ".parquet",
  write: (table, path, options) => writeParquetFile(table, path, { compression: options?.parquetCompression }),
  open: (path, options) => openParquet(path, { compression: options?.parquetCompression }),
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
    options.compression ?? "none"
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
 * Rows per row group: one streamed chunk (DEFAULT_CHUNK_ROWS), so each chunk is encoded and written as soon
 * as it arrives. For parquet-wasm this measured faster than larger groups (100k requests: 1.93-2.02 s against
 * 2.13-2.30 s with 65,536) and keeps its heap small (1M requests: 390 MB peak against 445 MB). Readers scan
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
  if ((options.compression ?? "none") === "none") {
    const pieces: Uint8Array[] = [];
    const parquet = nativeWriter(
      { write: (b) => void pieces.push(Uint8Array.from(b as Uint8Array)) },
      options.rowGroupSize ?? DEFAULT_ROW_GROUP_ROWS,
    );
    parquet.write(table);
    parquet.finish();
    return Buffer.concat(pieces);
  }
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
 * Opens `path` for a Parquet file written chunk by chunk; row groups hold at most `rowGroupSize` rows, so
 * memory holds at most one row group whatever the table's length. Uncompressed files cut a row group at
 * every chunk (and inside chunks longer than `rowGroupSize`); Snappy/ZSTD chunks go through parquet-wasm's
 * streaming encoder (`transformParquetStream`), which cuts one every `rowGroupSize` rows. Writer settings
 * come from the first chunk.
 *
 * @example
 * const sink = await openParquet("out/t.parquet");
 * for (const c of chunks) await sink.write(c);
 * await sink.close();
 */
export async function openParquet(path: string, options: ParquetOptions = {}): Promise<TableSink> {
  return (options.compression ?? "none") === "none"
    ? openNative(path, options.rowGroupSize ?? DEFAULT_ROW_GROUP_ROWS)
    : openParquetWasm(path, options);
}

/** Uncompressed Parquet from tokenwatt's encoder: row groups are encoded and written as chunks arrive. */
async function openNative(path: string, rowGroupSize: number): Promise<TableSink> {
  const file = await openAtomic(path);
  const parquet = nativeWriter(file, rowGroupSize);
  return {
    async write(chunk) {
      parquet.write(chunk);
    },
    async close() {
      parquet.finish();
      await file.commit();
    },
    async abort() {
      file.abort();
    },
  };
}

/** Feeds chunks to a ParquetEncoder as row groups of at most `rowGroupSize` rows (views, no copies). */
function nativeWriter(sink: Pick<AtomicSink, "write">, rowGroupSize: number): { write(chunk: ResultTable): void; finish(): void } {
  const out = new CoalescedWrites(sink);
  const encoder = new ParquetEncoder(out);
  return {
    write(chunk) {
      const rows = tableRowCount(chunk);
      if (rows <= rowGroupSize) return encoder.rowGroup(chunk);
      for (let start = 0; start < rows; start += rowGroupSize) {
        const end = Math.min(rows, start + rowGroupSize);
        encoder.rowGroup({
          name: chunk.name,
          columns: chunk.columns.map((c) => ({
            ...c,
            data: Array.isArray(c.data) ? c.data.slice(start, end) : (c.data as NumericArray).subarray(start, end),
          })),
        });
      }
    },
    finish() {
      encoder.finish();
      out.flush();
    },
  };
}

async function openParquetWasm(path: string, options: ParquetOptions): Promise<TableSink> {
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
