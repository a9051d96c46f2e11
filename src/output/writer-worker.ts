/** Worker-thread entry of background-writer.ts: runs TableSinks (one per target file), one request at a time. */
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { isInputError } from "../core/errors.js";
import type { WriterReply, WriterRequest } from "./background-writer.js";
import type { TableSink, WriteOptions } from "./table-writer.js";
import { writerFor } from "./writers.js";
import { takeDigest, type FileDigest } from "./digests.js";

// Lowest CPU priority for this thread: it boots and encodes while the engine runs on the main thread, which
// must not lose its core to it (100k requests, all formats: event loop 0.45-0.49 s instead of 0.60-0.65 s,
// whole run 1.68-1.71 s instead of 1.75-1.83 s). On Linux, setpriority(PRIO_PROCESS, 0) affects only the
// calling thread; elsewhere it would lower the whole process, so it is left alone there.
if (process.platform === "linux") {
  try {
    setPriority(0, 19);
  } catch {
    // not permitted in this environment: run at normal priority
  }
}

const { formats, options } = workerData as { formats: string[]; options: WriteOptions };
/** A sink of the main thread = this thread's sinks for its targets, written in order. */
const sinks = new Map<number, TableSink[]>();

/** Handles one request; a write returns the chunk's buffers, which go back to the main thread for reuse. */
const targets = new Map<number, string[]>();

async function handle(req: WriterRequest): Promise<ArrayBuffer[] | [string, FileDigest][] | undefined> {
  switch (req.op) {
    case "open": {
      const opened: TableSink[] = [];
      sinks.set(req.sink, opened);
      targets.set(
        req.sink,
        req.targets.map((t) => t.path),
      ); // registered first: a failed open is cleaned up by the abort that follows
      for (const t of req.targets) opened.push(await writerFor(t.format).open(t.path, t.options));
      return;
    }
    case "write":
      for (const s of sinks.get(req.sink)!) await s.write(req.chunk);
      return req.chunk.columns.flatMap((c) => (Array.isArray(c.data) ? [] : [c.data.buffer as ArrayBuffer]));
    case "close": {
      for (const s of sinks.get(req.sink)!) await s.close();
      sinks.delete(req.sink);
      // the files' digests go back with the reply, for the run's manifest on the main thread
      const done = (targets.get(req.sink) ?? []).flatMap((path) => {
        const d = takeDigest(path);
        return d ? [[path, d] as [string, FileDigest]] : [];
      });
      targets.delete(req.sink);
      return done;
    }
    case "abort":
      await Promise.all((sinks.get(req.sink) ?? []).map((s) => s.abort().catch(() => undefined)));
      sinks.delete(req.sink);
      return;
  }
}

// Requests are handled strictly in order (chunks of one file must not interleave), replies in the same order.
// Boot: load the encoders now (apache-arrow takes ~30 ms), while the engine is still running.
let queue: Promise<void> = Promise.all(formats.map((f) => writerFor(f).load?.(options))).then(
  () => undefined,
  () => undefined, // a format that fails to load reports its error on open
);
parentPort!.on("message", (req: WriterRequest) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    let buffers: ArrayBuffer[] = [];
    try {
      const out = (await handle(req)) ?? [];
      if (req.op === "close") {
        reply = { sink: req.sink, ok: true, digests: out as [string, FileDigest][] };
      } else {
        buffers = out as ArrayBuffer[];
        reply = buffers.length > 0 ? { sink: req.sink, ok: true, buffers } : { sink: req.sink, ok: true };
      }
    } catch (e) {
      reply = { sink: req.sink, ok: false, message: e instanceof Error ? e.message : String(e), input: isInputError(e) };
    }
    parentPort!.postMessage(reply, buffers);
  });
});
