/** Worker-thread entry of background-writer.ts: writes each table with the format's registered writer. */
import { parentPort, workerData } from "node:worker_threads";
import { isInputError } from "../core/errors.js";
import type { WriteJob } from "./background-writer.js";
import { writerFor } from "./writers.js";

async function run(job: WriteJob): Promise<void> {
  const writer = writerFor(job.format);
  for (let i = 0; i < job.tables.length; i++) await writer.write(job.tables[i], job.paths[i]);
}

run(workerData as WriteJob).then(
  () => parentPort!.postMessage({ ok: true }),
  (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e), input: isInputError(e) }),
);
