/**
 * Writes tables in one format on a worker thread, so a run's formats are encoded in parallel (the main thread
 * writes CSV while a worker encodes Parquet). Columns are copied to the worker (structured clone), never shared.
 *
 * @example
 * const parquet = writeTablesInBackground(tables, "out", "parquet");
 * await writeCsvOnMainThread();
 * await parquet; // rejects with the worker's error (InputError stays an InputError)
 */
import { Worker } from "node:worker_threads";
import { InputError } from "../core/errors.js";
import type { ResultTable } from "./table.js";

/** The worker module next to this one: .ts when running from source (tsx), .js from dist. */
function workerUrl(): URL {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return new URL(`./writer-worker${ext}`, import.meta.url);
}

export interface WriteJob {
  format: string;
  tables: ResultTable[];
  paths: string[];
}

export function writeTablesInBackground(tables: ResultTable[], paths: string[], format: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const url = workerUrl();
    const workerData = { format, tables, paths } satisfies WriteJob;
    // From source (tests), the worker registers the TypeScript loader before importing the .ts entry.
    const worker = url.pathname.endsWith(".ts")
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`,
          { eval: true, workerData },
        )
      : new Worker(url, { workerData });
    let settled = false;
    worker.once("message", (msg: { ok: true } | { ok: false; message: string; input: boolean }) => {
      settled = true;
      if (msg.ok) resolve();
      else reject(msg.input ? new InputError(msg.message) : new Error(msg.message));
    });
    worker.once("error", (e) => {
      settled = true;
      reject(e);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`${format} writer thread exited with code ${code}`));
    });
  });
}
