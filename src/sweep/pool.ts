/**
 * The worker pool (piscina). From the built package the workers load dist/src/sweep/worker.js; when
 * tokenwatt runs from source (tsx, tests) they load worker.ts with `--import tsx`.
 *
 * @example
 * const pool = createPool(2);
 * const outcome = await pool.run(task);
 * await pool.destroy();
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import { InputError } from "../core/errors.js";

/** The worker module next to this one: .js when compiled, .ts (with tsx) when run from source. */
export function workerEntry(): { filename: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const js = join(here, "worker.js");
  if (existsSync(js)) return { filename: pathToFileURL(js).href, execArgv: [] };
  const ts = join(here, "worker.ts");
  if (existsSync(ts)) return { filename: pathToFileURL(ts).href, execArgv: ["--import", "tsx"] };
  throw new Error(`tokenwatt: sweep worker not found next to ${here}`);
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export function parseWorkers(raw: unknown): number {
  if (raw === undefined) return defaultWorkers();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new InputError(`--workers must be an integer from 1 to 1024, got ${JSON.stringify(raw)}`);
  return n;
}

export function createPool(workers: number): Piscina {
  const { filename, execArgv } = workerEntry();
  return new Piscina({
    filename,
    // workers inherit the parent's flags; from source they also need tsx (once)
    execArgv: process.execArgv.join(" ").includes("tsx") ? process.execArgv : [...process.execArgv, ...execArgv],
    minThreads: workers,
    maxThreads: workers,
    // one task at a time per worker: a dying worker takes only its own run with it
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
  });
}
