/**
 * The worker pool (piscina). From the CLI bundle (dist/bundle/, `npm run build:bundle`) the workers load
 * dist/bundle/sweep-worker.js, from tsc's output dist/src/worker/worker.js; when tokenwatt runs from source
 * (tsx, tests) they load src/worker/worker-tsx.mjs, which registers tsx and imports worker.ts. The worker
 * module sits in its own folder above sweep/ and capacity/ because it runs the tasks of both; the pool finds
 * it by path, so sweep/ never imports capacity/. Every worker receives the engine module compiled once here.
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
import { engineModule } from "../engine/wasm.js";

/** The worker module: the bundle's beside this file, else src/worker/'s (.js compiled, .ts with tsx from source). */
export function workerEntry(): { filename: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, "sweep-worker.js");
  if (existsSync(bundled)) return { filename: pathToFileURL(bundled).href, execArgv: [] };
  const dir = join(here, "..", "worker");
  const js = join(dir, "worker.js");
  if (existsSync(js)) return { filename: pathToFileURL(js).href, execArgv: [] };
  const boot = join(dir, "worker-tsx.mjs");
  if (existsSync(join(dir, "worker.ts")) && existsSync(boot)) return { filename: pathToFileURL(boot).href, execArgv: [] };
  throw new Error(`tokenwatt: worker not found in ${dir}`);
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export function parseWorkers(raw: unknown): number {
  if (raw === undefined) return defaultWorkers();
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024)
    throw new InputError(`--workers must be an integer from 1 to 1024, got ${JSON.stringify(raw)}`);
  return n;
}

function withoutTsx(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if ((args[i] === "--import" || args[i] === "--loader" || args[i] === "--require") && /(^|\/)tsx(\/|$)/.test(args[i + 1] ?? "")) i++;
    else if (!/^--(import|loader|require)=.*tsx/.test(args[i])) out.push(args[i]);
  }
  return out;
}

/**
 * Node refuses some of the process's own flags in a worker's execArgv — V8 options such as
 * `--max-old-space-size`, process-wide ones such as `--title` — with ERR_WORKER_INVALID_EXEC_ARGV, which names
 * them; those flags already apply to every thread of the process. Returns the names, or undefined for another error.
 */
export function refusedWorkerFlags(error: unknown): string[] | undefined {
  if ((error as { code?: unknown } | null)?.code !== "ERR_WORKER_INVALID_EXEC_ARGV") return undefined;
  const message = (error as Error).message;
  const at = message.indexOf(": ");
  if (at < 0) return undefined;
  return message.slice(at + 2).split(", ");
}

/** `execArgv` without the `refused` flags, each with its value (`--flag=value`, or `--flag value`). */
export function withoutFlags(execArgv: readonly string[], refused: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i];
    const name = arg.split("=")[0];
    if (!refused.includes(arg) && !refused.includes(name)) out.push(arg);
    else if (!arg.includes("=") && i + 1 < execArgv.length && !execArgv[i + 1].startsWith("-")) i++; // its value
  }
  return out;
}

/** A pool of `workers` threads running the worker module (`entry`: another module, e.g. a test's wrapper). */
export function createPool(workers: number, entry: { filename: string; execArgv: string[] } = workerEntry()): Piscina {
  const { filename } = entry;
  // workers inherit the parent's flags except a tsx loader: from source, worker-tsx.mjs registers its own.
  // Piscina loads the worker module with require() first; on Node >= 20.19 that is require(esm), which can
  // abort the whole process (V8 "IsGraphAsync must be used on an instantiated module") when it meets the
  // same module graph mid-import. Without require(esm) piscina falls back to import(), which is safe.
  const execArgv = [...withoutTsx(process.execArgv), ...entry.execArgv, "--no-experimental-require-module"];
  const pool = (argv: string[]): Piscina =>
    new Piscina({
      filename,
      execArgv: argv,
      minThreads: workers,
      maxThreads: workers,
      // one task at a time per worker: a dying worker takes only its own run with it
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      // compiled here once (~10 ms), not once per thread; src/worker/worker.ts adopts it and instantiates at boot
      workerData: { engineModule: engineModule() },
    });
  try {
    return pool(execArgv);
  } catch (e) {
    // e.g. `node --max-old-space-size=8192 tokenwatt sweep`: the refusal comes before any thread starts
    const refused = refusedWorkerFlags(e);
    if (!refused) throw e;
    return pool(withoutFlags(execArgv, refused));
  }
}
