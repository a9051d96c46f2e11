/**
 * One simulation end to end, following the one-way data flow:
 * options → resolved scenario → engine → result tables → writers.
 *
 * @example
 * const run = simulate(resolveOptions({ replica_scheduler_config_type: "vllm" }));
 * run.summary.ttft_s;                       // { p50, p90, p99, mean, ... }
 * await writeSimulationOutputs(run, "out");  // CSV, Arrow, Parquet, summary.json, config.json
 *
 * Tables are chunked (src/output/table-stream.ts): request_metrics rows are derived from the engine's
 * columns chunk by chunk while they are written, so memory stays bounded at any request count.
 */
import { join, resolve } from "node:path";
import type { Options } from "./config/options.js";
import { InputError } from "./core/errors.js";
import { runEngine } from "./engine/engine.js";
import { vsBaseline } from "./control/compare.js";
import { inLoopControl } from "./control/in-loop.js";
import { controlWindowS, resolveControl } from "./control/resolve.js";
import { inLoopMicrogrid } from "./microgrid/in-loop.js";
import { microgridRequested } from "./microgrid/options.js";
import type { EngineResult } from "./engine/result.js";
import type { EngineExports } from "./engine/wasm.js";
import { batchMetricsTable } from "./metrics/batch-metrics.js";
import { classColumns, classSummary } from "./metrics/request-classes.js";
import { requestMetrics } from "./metrics/request-metrics.js";
import { requestsTable } from "./metrics/requests-table.js";
import { energyColumns, energyReport } from "./energy/accounting.js";
import { buildSummary } from "./metrics/summary.js";
import { ensureDir } from "./output/atomic.js";
import { startWriterThreads, type SinkTarget, type WriterThread } from "./output/background-writer.js";
import { writeChromeTrace, type StageRecord } from "./output/chrome-trace.js";
import { writeJson } from "./output/json.js";
import { chunked, streamTable, type ChunkedTable } from "./output/table-stream.js";
import { writerFor } from "./output/writers.js";
import type { TableSink, WriteOptions } from "./output/table-writer.js";
import { resolveScenario, type ScenarioInputs } from "./scenario/resolve.js";
import type { Scenario } from "./scenario/types.js";

export interface SimulationRun {
  options: Options;
  scenario: Scenario;
  result: EngineResult;
  /** request_metrics, requests, [batch_metrics], [timeline]; derived chunk by chunk when written. */
  tables: ChunkedTable[];
  /** summary.json's content; computed on first access (writers read it while the tables stream). */
  summary: Record<string, unknown>;
  timings: { resolveMs: number; engineMs: number; tablesMs: number };
}

export interface SimulateHooks {
  /** Progress messages (phase names); the CLI prints them to a terminal. */
  onPhase?: (phase: string) => void;
  engine?: EngineExports;
  /** false: engine results are views valid until the engine's next run (see RunEngineOptions). */
  copyResults?: boolean;
  /** Memoizing providers of op tables / request streams (sweeps); default: built afresh. */
  inputs?: ScenarioInputs;
  /** Directory relative workload trace paths are resolved against (default: the working directory). */
  baseDir?: string;
  /** Build the per-request/per-batch result tables (default true; sweeps that keep only the summary skip them). */
  tables?: boolean;
  /** Integrate energy (and step the microgrid) at least up to this time: --compare-baseline's shared window. */
  energyHorizonS?: number;
  /** Called with the resolved scenario before the engine runs (the CLI starts its writer threads here). */
  onResolved?: (scenario: Scenario) => void;
}

export interface WriteHooks {
  onPhase?: (phase: string) => void;
  /**
   * Threads that encode formats in the background (see startWriterThreads); false: everything on this
   * thread. Formats without a thread here get one started (and stopped) by the call for runs of
   * BACKGROUND_WRITE_MIN_ROWS rows or more.
   */
  writerThreads?: Map<string, WriterThread> | false;
}

/** Runs one simulation; throws InputError for anything wrong with the inputs. */
export function simulate(options: Options, hooks: SimulateHooks = {}): SimulationRun {
  const t0 = performance.now();
  hooks.onPhase?.("resolving scenario (profiles, workload, op tables)");
  const scenario = resolveScenario(options, hooks.baseDir ?? process.cwd(), hooks.inputs ?? {});
  // the microgrid (src/microgrid/in-loop.ts) is checked before the engine runs and stepped inside run()
  // the grid controller (src/control/, assembly/control/): none resolves to nothing (open loop, exact)
  const gridOn = microgridRequested(options);
  scenario.control = resolveControl(options, gridOn);
  // a controlled run and its baseline are accounted over the same window: up to the last deadline
  const window = Math.max(hooks.energyHorizonS ?? 0, scenario.control ? controlWindowS(scenario.requests) : 0);
  if (scenario.power && window > scenario.power.horizonS) scenario.power = { ...scenario.power, horizonS: window };
  const microgrid = gridOn ? inLoopMicrogrid(options, scenario) : undefined;
  const control = scenario.control ? inLoopControl(scenario, microgrid!.plan.step) : undefined;
  // --compare-baseline: the identical workload under --controller none, run first (the engine's views of one
  // run are valid until its next run), keeping only its summary
  const baseline = options.compare_baseline ? baselineSummary(options, hooks, window) : undefined;
  const t1 = performance.now();
  hooks.onPhase?.(`simulating ${scenario.requests.arrivedAt.length} requests`);
  hooks.onResolved?.(scenario);
  const beforeRun = microgrid
    ? (e: EngineExports): void => {
        microgrid.beforeRun(e);
        control?.beforeRun(e);
      }
    : undefined;
  const result = runEngine(scenario, hooks.engine, { copyResults: hooks.copyResults, beforeRun });
  const t2 = performance.now();
  const grid = microgrid?.collect(result);
  const controlled = control?.collect();
  // energy, carbon, cost (src/energy/accounting.ts): columns, timeline table, summary objects
  const energy = energyReport(scenario, result);
  const extra = energy ? energyColumns(energy) : undefined;
  const tables: ChunkedTable[] = [];
  // Vidur's --no-metrics_config_write_metrics / _store_request_metrics / _store_batch_metrics (vidur-compat.ts)
  const writeMetrics = options.metrics_config_write_metrics !== false;
  if (hooks.tables !== false && writeMetrics) {
    // request classes (only with --deferrable-fraction) add `class` and `deadline_s` after every other column
    if (options.metrics_config_store_request_metrics !== false) {
      tables.push(requestMetrics(result, [...(extra?.request ?? []), ...classColumns(scenario.requests)]));
    }
    tables.push(chunked(requestsTable(result)));
    if (scenario.recordBatches && options.metrics_config_store_batch_metrics !== false) {
      const batches = batchMetricsTable(result);
      batches.columns.push(...(extra?.batch ?? []));
      tables.push(chunked(batches));
    }
  }
  if (energy && writeMetrics) tables.push(chunked(energy.timeline));
  if (grid && writeMetrics) tables.push(...grid.tables);
  if (controlled && writeMetrics) tables.push(controlled.table);
  let summary: Record<string, unknown> | undefined;
  const t3 = performance.now();
  return {
    options,
    scenario,
    result,
    tables,
    get summary() {
      summary ??= Object.assign(
        buildSummary(scenario, result),
        energy?.summary,
        classSummary(scenario.requests, result),
        grid ? { microgrid: grid.summary } : undefined,
        controlled ? { control: controlled.summary } : undefined,
        baseline ? { baseline } : undefined,
      ) as Record<string, unknown>;
      // the controller's savings split into energy and timing (src/control/compare.ts)
      if (baseline && controlled) controlled.summary.vs_baseline = vsBaseline(summary, baseline);
      return summary;
    },
    timings: { resolveMs: t1 - t0, engineMs: t2 - t1, tablesMs: t3 - t2 },
  };
}

/** The summary of the same options under `--controller none` (the baseline of --compare-baseline). */
function baselineSummary(options: Options, hooks: SimulateHooks, energyHorizonS: number): Record<string, unknown> {
  const run = simulate({ ...options, controller: "none", compare_baseline: false } as Options, {
    engine: hooks.engine,
    copyResults: false,
    inputs: hooks.inputs,
    baseDir: hooks.baseDir,
    tables: false,
    energyHorizonS,
  });
  return { ...run.summary };
}

/** The resolved configuration as written to config.json: every option plus what was derived from it. */
export function resolvedConfig(run: SimulationRun): Record<string, unknown> {
  const s = run.scenario;
  return {
    options: run.options,
    derived: {
      model: s.model,
      device: s.device,
      node: s.node,
      memory_plan: s.memory,
      replica_scheduler: s.replicaScheduler,
      params_per_device: s.paramsPerDevice,
      op_table_sources: s.opTables.sources,
      op_table_grid: {
        max_tokens: s.opTables.maxTokens,
        kv_granularity: s.opTables.kvGranularity,
        decode_max_batch: s.opTables.decodeMaxBatch,
        prefill_max_chunk: s.opTables.prefillMaxChunk,
      },
      num_requests: s.requests.arrivedAt.length,
      closed_loop_concurrency: s.closedLoopConcurrency ?? null,
    },
  };
}

/** Runs with at least this many table rows encode their files on writer threads (a thread costs ~50 ms to start). */
export const BACKGROUND_WRITE_MIN_ROWS = 50_000;

/** Writer threads hold this many chunks (MAX_IN_FLIGHT) when the summary is computed between chunks. */
const SUMMARY_AFTER_CHUNK = 1;

/** Writer settings from the run's options (already validated by resolveOptions). */
export function outputWriteOptions(options: Options): WriteOptions {
  return { parquetCompression: (options.parquet_compression ?? "none") as WriteOptions["parquetCompression"] };
}

/** The formats of an --formats value, validated (InputError names the allowed ones). */
export function outputFormats(options: Options): string[] {
  const formats = String(options.formats ?? "csv,arrow,parquet").split(",").map((f) => f.trim()).filter(Boolean);
  if (formats.length === 0) throw new InputError("--formats must name at least one of csv, arrow, parquet");
  for (const f of formats) writerFor(f);
  return formats;
}

function* stageRecords(r: EngineResult): Iterable<StageRecord> {
  const s = r.stages;
  for (let i = 0; i < s.start.length; i++) {
    yield { replica: s.replica[i], stage: s.stage[i], batchId: s.batchId[i], start: s.start[i], end: s.end[i], size: s.size[i], numTokens: s.numTokens[i] };
  }
}

/**
 * Writes every table in every requested format, summary.json, config.json and (if recorded) chrome_trace.json.
 * Each table streams chunk by chunk into one sink per format; formats with a writer thread encode there, in
 * parallel with this thread, which derives the chunks and encodes the rest.
 */
export async function writeSimulationOutputs(run: SimulationRun, dir: string, hooks: WriteHooks = {}): Promise<string[]> {
  const out = resolve(dir);
  try {
    await ensureDir(out);
  } catch (err) {
    throw new InputError(`cannot create the output directory ${out}: ${(err as Error).message}`);
  }
  const formats = outputFormats(run.options);
  const writeOptions = outputWriteOptions(run.options);
  const writers = formats.map((f) => writerFor(f));
  const rows = run.tables.reduce((n, t) => n + t.numRows, 0);
  // threads passed in (booted early) are used as they are; formats they do not cover get threads started
  // here, which this call owns and stops
  const threads = new Map<string, WriterThread>(hooks.writerThreads || []);
  const missing = formats.filter((f) => !threads.has(f));
  const own = hooks.writerThreads !== false && rows >= BACKGROUND_WRITE_MIN_ROWS ? startWriterThreads(missing, writeOptions) : undefined;
  for (const [f, t] of own ?? []) threads.set(f, t);
  const written: string[] = [];
  const largest = run.tables.reduce<ChunkedTable | undefined>((a, t) => (a && a.numRows >= t.numRows ? a : t), undefined);
  try {
    // all tables stream at once: while a thread encodes a big table this one feeds it and the small ones
    const streams = run.tables.map(async (t) => {
      const paths = writers.map((w) => join(out, `${t.name}${w.extension}`));
      written.push(...paths);
      hooks.onPhase?.(`writing ${t.name} (${formats.join(", ")})`);
      // one sink per writer thread (it writes all of its formats) plus one per format kept on this thread
      const onThread = new Map<WriterThread, SinkTarget[]>();
      const local: Promise<TableSink>[] = [];
      writers.forEach((w, i) => {
        const thread = threads.get(w.format);
        if (thread) onThread.set(thread, [...(onThread.get(thread) ?? []), { format: w.format, path: paths[i], options: writeOptions }]);
        else local.push(w.open(paths[i], writeOptions));
      });
      const opened = await Promise.allSettled([...[...onThread].map(([thread, targets]) => thread.open(targets)), ...local]);
      const failed = opened.find((o) => o.status === "rejected");
      const sinks = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
      if (failed) {
        await Promise.all(sinks.map((s) => s.abort().catch(() => undefined)));
        throw failed.reason;
      }
      // The summary (sorting every latency) is computed here, while the writer threads encode the first
      // chunks of the largest table, instead of after all the writing.
      const afterChunk = t === largest ? (i: number) => void (i === SUMMARY_AFTER_CHUNK && run.summary) : undefined;
      await streamTable(t, sinks, { afterChunk });
      hooks.onPhase?.(`wrote ${t.name}`);
    });
    const outcomes = await Promise.allSettled(streams);
    for (const o of outcomes) if (o.status === "rejected") throw o.reason;
  } finally {
    if (own) await Promise.all([...new Set(own.values())].map((t) => t.terminate()));
  }
  hooks.onPhase?.("summary");
  await writeJson(run.summary, join(out, "summary.json"));
  // output_dir: where these files are (a sweep's kept run is written to runs/<id>/, not its options' directory)
  await writeJson({ ...resolvedConfig(run), output_dir: resolve(out) }, join(out, "config.json"));
  written.push(join(out, "summary.json"), join(out, "config.json"));
  if (run.scenario.recordStages) {
    const path = join(out, "chrome_trace.json");
    await writeChromeTrace(stageRecords(run.result), path);
    written.push(path);
  }
  return written;
}
