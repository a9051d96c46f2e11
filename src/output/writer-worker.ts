/** Worker-thread entry of background-writer.ts: runs one format's TableSinks, one request at a time. */
import { parentPort, workerData } from "node:worker_threads";
import { isInputError } from "../core/errors.js";
import type { WriterReply, WriterRequest } from "./background-writer.js";
import type { TableSink } from "./table-writer.js";
import { writerFor } from "./writers.js";

const writer = writerFor((workerData as { format: string }).format);
const sinks = new Map<number, TableSink>();

/** Handles one request; a write returns the chunk's buffers, which go back to the main thread for reuse. */
async function handle(req: WriterRequest): Promise<ArrayBuffer[] | void> {
  switch (req.op) {
    case "open":
      sinks.set(req.sink, await writer.open(req.path));
      return;
    case "write":
      await sinks.get(req.sink)!.write(req.chunk);
      return req.chunk.columns.flatMap((c) => (Array.isArray(c.data) ? [] : [c.data.buffer as ArrayBuffer]));
    case "close":
      await sinks.get(req.sink)!.close();
      sinks.delete(req.sink);
      return;
    case "abort":
      await sinks.get(req.sink)?.abort();
      sinks.delete(req.sink);
      return;
  }
}

// Requests are handled strictly in order (chunks of one file must not interleave), replies in the same order.
// Boot: load the encoder now (parquet-wasm compiles for ~0.1-0.2 s), while the engine is still running.
let queue: Promise<void> = (writer.load?.() ?? Promise.resolve()).catch(() => undefined);
parentPort!.on("message", (req: WriterRequest) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    let buffers: ArrayBuffer[] = [];
    try {
      buffers = (await handle(req)) ?? [];
      reply = buffers.length > 0 ? { sink: req.sink, ok: true, buffers } : { sink: req.sink, ok: true };
    } catch (e) {
      reply = { sink: req.sink, ok: false, message: e instanceof Error ? e.message : String(e), input: isInputError(e) };
    }
    parentPort!.postMessage(reply, buffers);
  });
});
