/**
 * Table sinks that encode on a worker thread: `WriterThread.open([{ format, path }, …])` returns one TableSink
 * whose chunks are moved (a copy per thread, transferred) to a thread that writes them with each format's
 * registered writer. A run streams every chunk to a writer thread while this thread derives the next chunk,
 * so formats encode in parallel with the engine with bounded memory (at most
 * MAX_IN_FLIGHT chunks queued per thread; the buffers come back for reuse).
 *
 * Start threads early (before the engine runs): a thread takes ~50-150 ms to boot and load its encoders,
 * which then overlaps with the simulation.
 *
 * @example
 * const thread = new WriterThread(["csv", "arrow"]);   // boots now
 * const sink = await thread.open([{ format: "csv", path: "out/t.csv" }, { format: "arrow", path: "out/t.arrow" }]);
 * for (const c of chunks) await sink.write(c);
 * await sink.close();                                    // rejects with the thread's error (InputError stays one)
 * await thread.terminate();
 */
import { Worker } from "node:worker_threads";
import { InputError } from "../core/errors.js";
import { recordDigest, type FileDigest } from "./digests.js";
import { sliceColumn, type NumericArray } from "../tables/chunked.js";
import type { ResultTable } from "../tables/table.js";
import type { TableSink, WriteOptions } from "./table-writer.js";

/**
 * Chunks a sink may have queued on its thread before write() waits: 4 rather than 2 lets this thread run ahead
 * while the thread encodes (100k requests, quiet machine: whole run 1.12 s median either way alone, see
 * bench/RESULTS.md "Whole CLI run"); ~4 MB per request_metrics chunk.
 */
const MAX_IN_FLIGHT = 4;

/** One output file of a sink: its format and path. */
export interface SinkTarget {
  format: string;
  path: string;
  options?: WriteOptions;
}

/** Main → thread. */
export type WriterRequest =
  | { op: "open"; sink: number; targets: SinkTarget[] }
  | { op: "write"; sink: number; chunk: ResultTable }
  | { op: "close"; sink: number }
  | { op: "abort"; sink: number };

/** Thread → main: one reply per request, in order; a write's reply hands the chunk's buffers back for reuse. */
export type WriterReply =
  | { sink: number; ok: true; buffers?: ArrayBuffer[]; digests?: [string, FileDigest][] }
  | { sink: number; ok: false; message: string; input: boolean };

/** The worker module next to this one: .ts when running from source (tsx), .js from dist. */
function workerUrl(): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./writer-worker${ext}`, import.meta.url);
}

interface Pending {
  resolve: (reply: WriterReply & { ok: true }) => void;
  reject: (e: Error) => void;
}

export class WriterThread {
  private readonly worker: Worker;
  /** Replies arrive in request order: one entry per request sent. */
  private readonly pending: Pending[] = [];
  private nextSink = 0;
  private dead: Error | undefined;

  /**
   * `formats`: encoders loaded at boot (others load on first use); `options` only choose which ones (each
   * open() brings its own).
   */
  constructor(
    readonly formats: readonly string[],
    options: WriteOptions = {},
  ) {
    const url = workerUrl();
    const workerData = { formats: [...formats], options };
    // From source (tests), the worker registers the TypeScript loader before importing the .ts entry.
    this.worker = url.pathname.endsWith(".ts")
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(url, { workerData });
    this.worker.on("message", (msg: WriterReply) => {
      const p = this.pending.shift();
      if (this.pending.length === 0) this.worker.unref();
      if (!p) return;
      if (msg.ok) p.resolve(msg);
      else p.reject(msg.input ? new InputError(msg.message) : new Error(msg.message));
    });
    const fail = (e: Error): void => {
      this.dead ??= e;
      for (const p of this.pending.splice(0)) p.reject(e);
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`${formats.join("/")} writer thread exited with code ${code}`)));
    this.worker.unref(); // an idle thread never keeps the process alive
  }

  private send(req: WriterRequest, transfer: ArrayBuffer[] = []): Promise<WriterReply & { ok: true }> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) this.worker.ref(); // awaited work keeps the process alive
      this.pending.push({ resolve, reject });
      this.worker.postMessage(req, transfer);
    });
  }

  /** Opens every target on the thread (one file per format); each file appears atomically on close(). */
  async open(targets: SinkTarget[]): Promise<TableSink> {
    const { sink, opened } = this.openSink(targets);
    await opened;
    return sink;
  }

  /**
   * `open` without waiting for the thread's reply: chunks can be queued while the thread still boots or
   * encodes earlier work (the main thread would otherwise sit idle for its reply). A failure to open surfaces
   * at the sink's next write() or close(); the caller then aborts the sink, which removes what was opened.
   */
  openQueued(targets: SinkTarget[]): TableSink {
    const { sink, opened } = this.openSink(targets);
    opened.catch(() => undefined); // reported by write() / close()
    return sink;
  }

  private openSink(targets: SinkTarget[]): { sink: TableSink; opened: Promise<void> } {
    const sink = this.nextSink++;
    const opened = this.send({ op: "open", sink, targets }).then(
      () => undefined,
      async (err: unknown) => {
        await this.send({ op: "abort", sink }).catch(() => undefined); // targets opened before the failure
        throw err;
      },
    );
    const inFlight: Promise<void>[] = [];
    let failure: unknown;
    // Buffers the thread has handed back: copies for the next chunks are made into them, so a streamed
    // table allocates MAX_IN_FLIGHT + 1 sets of buffers, not one per chunk.
    const spare: ArrayBuffer[][] = [];
    const track = (p: Promise<WriterReply & { ok: true }>): void => {
      const tracked = p.then(
        (reply) => void (reply.buffers && spare.push(reply.buffers)),
        (e: unknown) => void (failure ??= e),
      );
      inFlight.push(tracked);
      void tracked.then(() => inFlight.splice(inFlight.indexOf(tracked), 1));
    };
    track(opened.then(() => ({ sink, ok: true }) as const));
    const tableSink: TableSink = {
      write: async (chunk) => {
        if (failure !== undefined) throw failure;
        // The caller keeps its chunk (other formats encode it too): the thread gets copies, moved not cloned
        // (a structured clone of typed arrays costs several times a plain copy).
        const transfer: ArrayBuffer[] = [];
        const reuse = spare.pop() ?? [];
        const columns = chunk.columns.map((c) => {
          if (Array.isArray(c.data)) return c;
          const copy = sliceColumn(c, 0, c.data.length, reuse[transfer.length]);
          transfer.push((copy.data as NumericArray).buffer as ArrayBuffer);
          return copy;
        });
        track(this.send({ op: "write", sink, chunk: { name: chunk.name, columns } as ResultTable }, transfer));
        while (inFlight.length >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        if (failure !== undefined) throw failure;
      },
      close: async () => {
        await Promise.all(inFlight);
        if (failure !== undefined) throw failure;
        const reply = await this.send({ op: "close", sink });
        for (const [path, d] of reply.digests ?? []) recordDigest(path, d);
      },
      abort: async () => {
        await Promise.all(inFlight);
        await this.send({ op: "abort", sink }).catch(() => undefined);
      },
    };
    return { sink: tableSink, opened };
  }

  /** Stops the thread (after its queued work, if awaited after the last close()). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * Which formats get writer threads (one per group); formats in no group are encoded on the calling thread.
 * One thread for all three: each chunk is copied once for a thread whatever it encodes, so Arrow and Parquet
 * there cost the main thread nothing more than CSV alone does, and the main thread (engine, row building, the
 * summary) is the run's critical path (100k requests: its CPU 1.0 → 0.85 s, whole run 1.12 → 1.03 s; a
 * second thread would cost memory and the machine has 2 cores: bench/RESULTS.md).
 */
export const WRITER_THREAD_GROUPS: ReadonlyArray<readonly string[]> = [["csv", "arrow", "parquet"]];

/**
 * The writer threads for `formats` (one per WRITER_THREAD_GROUPS group in use), booting now; the map says
 * which thread encodes each format. Compressed Parquet (parquet-wasm, several times slower than the other
 * encoders) gets a thread of its own.
 *
 * @example
 * const threads = startWriterThreads(["csv", "arrow", "parquet"]); // all three → one thread
 */
export function startWriterThreads(formats: readonly string[], options: WriteOptions = {}): Map<string, WriterThread> {
  const threads = new Map<string, WriterThread>();
  const compressed = (options.parquetCompression ?? "none") !== "none";
  const groups = compressed ? [...WRITER_THREAD_GROUPS.map((g) => g.filter((f) => f !== "parquet")), ["parquet"]] : WRITER_THREAD_GROUPS;
  for (const group of groups) {
    const used = group.filter((f) => formats.includes(f) && !threads.has(f));
    if (used.length === 0) continue;
    const thread = new WriterThread(used, options);
    for (const f of used) threads.set(f, thread);
  }
  return threads;
}
