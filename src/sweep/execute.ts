/**
 * What a worker does for one sweep run: simulate with the worker's engine instance and input cache,
 * flatten the summary, optionally write the run's tables under runs/<id>/, and report success or the
 * error message (an input problem such as a model that does not fit is a failed run, not a crash).
 *
 * @example
 * const r = executeRun({ index: 0, id: "ab12…", options, baseDir: "." }, workerState());
 * r.ok ? r.names.length : r.error;
 */
import { defaultEngine } from "../engine/engine.js";
import type { EngineExports } from "../engine/wasm.js";
import type { Options } from "../config/options.js";
import type { DDSketchJSON } from "../core/ddsketch.js";
import { outputFailure } from "../output/fs-errors.js";
import { writeOutputTransaction } from "../output/transaction.js";
import { configHash, simulate, simulateSummary, writeSimulationOutputs, type SimulationRun } from "../simulate.js";
import { flattenSummary } from "./flatten.js";
import { InputCache } from "./input-cache.js";
import { withDefaults } from "./task-options.js";

export interface RunTask {
  kind: "run";
  index: number;
  id: string;
  /** Resolved options with absolute paths, as far as they differ from the defaults (task-options.ts). */
  options: Partial<Options>;
  baseDir: string;
  /** When set, the run's tables, summary.json and config.json are written to this directory. */
  keepDir?: string | null;
  /** The sweep's output directory (a test worker keeps its crash markers there). */
  outputDir?: string;
}

export interface RunOutcome {
  index: number;
  id: string;
  ok: boolean;
  error: string | null;
  /** Time spent in this run inside the worker (simulation, summary, optional table writing). */
  wallMs: number;
  /** Of which simulate() itself. */
  simMs: number;
  /** Flattened numeric metrics: names[i] ↔ values[i] (values travel as a transferred buffer). */
  names: string[];
  values: Float64Array;
  booleans: Record<string, boolean>;
  strings: Record<string, string>;
  /** Sketches of the run's sketched latency metrics (summary.json names), for pooled replicate quantiles. */
  sketches?: Record<string, DDSketchJSON>;
  /** Set when the run could not be persisted (disk full, unwritable): the sweep stops with this message. */
  fatal?: string;
}

export interface WorkerState {
  engine: EngineExports;
  cache: InputCache;
}

let state: WorkerState | undefined;

/** The per-thread engine instance (compiled module and instance created once) and input cache. */
export function workerState(): WorkerState {
  state ??= { engine: defaultEngine(), cache: new InputCache() };
  return state;
}

/** Simulates with the shared engine and input cache; tables are built only when asked for. */
export function simulateShared(options: Options, baseDir: string, tables = false): SimulationRun {
  const s = workerState();
  // the run is summarised (and its tables written) before this worker's engine runs again: no need to copy
  return simulate(options, { engine: s.engine, inputs: s.cache.inputs, baseDir, tables, copyResults: false });
}

/** simulateSummary with the shared engine and input cache: the summary only, request rows dropped as they leave. */
export function summarizeShared(options: Options, baseDir: string): SimulationRun {
  const s = workerState();
  return simulateSummary(options, { engine: s.engine, inputs: s.cache.inputs, baseDir, tables: false, copyResults: false });
}

export async function executeRun(task: RunTask): Promise<RunOutcome> {
  const t0 = performance.now();
  let simMs = 0;
  const options = withDefaults(task.options);
  try {
    // a run whose tables are not kept needs only its summary: no whole request column (bounded memory)
    const run = task.keepDir ? simulateShared(options, task.baseDir, true) : summarizeShared(options, task.baseDir);
    const summary = run.summary; // computed on first access: part of the simulation's cost
    simMs = performance.now() - t0;
    if (task.keepDir) {
      // one transaction per kept run: a run redone after a crash replaces its half-written directory whole
      try {
        await writeOutputTransaction(task.keepDir, { command: "sweep run", configHash: configHash(options) }, (tx) =>
          writeSimulationOutputs(run, tx.dir, { writerThreads: false, finalDir: task.keepDir! }).then(() => undefined),
        );
      } catch (e) {
        // a full or unwritable disk is not a property of the configuration: the sweep stops, the run stays undone
        const err = outputFailure(e, task.keepDir, { state: "finished runs are kept; --resume continues" });
        const fatal = (err instanceof Error ? err.message : String(err)).replace(
          "nothing was written",
          "finished runs are kept; --resume continues",
        );
        return {
          index: task.index,
          id: task.id,
          ok: false,
          error: fatal,
          fatal,
          wallMs: performance.now() - t0,
          simMs,
          names: [],
          values: new Float64Array(0),
          booleans: {},
          strings: {},
        };
      }
    }
    const flat = flattenSummary(summary);
    const names = Object.keys(flat.numbers);
    const values = Float64Array.from(names, (n) => flat.numbers[n]);
    const sketches = run.sketches;
    return {
      ...(Object.keys(sketches).length > 0 ? { sketches } : {}),
      index: task.index,
      id: task.id,
      ok: true,
      error: null,
      wallMs: performance.now() - t0,
      simMs,
      names,
      values,
      booleans: flat.booleans,
      strings: flat.strings,
    };
  } catch (e) {
    const error = e instanceof Error ? `${e.name === "InputError" ? "" : `${e.name}: `}${e.message}` : String(e);
    return {
      index: task.index,
      id: task.id,
      ok: false,
      error,
      wallMs: performance.now() - t0,
      simMs: simMs || performance.now() - t0,
      names: [],
      values: new Float64Array(0),
      booleans: {},
      strings: {},
    };
  }
}
