/**
 * One simulation end to end, following the one-way data flow:
 * options → resolved scenario → engine → result tables → writers.
 *
 * @example
 * const run = simulate(resolveOptions({ replica_scheduler_config_type: "vllm" }));
 * run.summary.ttft_s;                       // { p50, p90, p99, mean, ... }
 * await writeSimulationOutputs(run, "out");  // CSV, Arrow, Parquet, summary.json, config.json
 *
 * Tables are chunked (src/tables/chunked.ts): request_metrics rows are derived from the engine's
 * columns chunk by chunk while they are written, so memory stays bounded at any request count.
 */
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { Options } from "./config/options.js";
import { InputError } from "./core/errors.js";
import { engineRun, runEngine, type RequestChunk } from "./engine/engine.js";
import { vsBaseline } from "./control/compare.js";
import { inLoopControl, type InLoopControl } from "./control/in-loop.js";
import { budgetSummary } from "./control/budget.js";
import { controlWindowS, resolveControl } from "./control/resolve.js";
import { inLoopMicrogrid, type InLoopMicrogrid } from "./cosim/in-loop.js";
import { microgridRequested } from "./microgrid/options.js";
import type { EngineResult } from "./engine/result.js";
import type { EngineExports } from "./engine/wasm.js";
import { batchMetricsTable } from "./metrics/batch-metrics.js";
import { ClassStats, classColumnRows, classColumns, classSummary } from "./metrics/request-classes.js";
import { requestMetrics, requestMetricsRows } from "./metrics/request-metrics.js";
import { RequestStats } from "./metrics/request-stats.js";
import { requestsTable, requestsTableFromBlocks } from "./metrics/requests-table.js";
import { energyColumns, energyReport, requestEnergyColumns } from "./metrics/energy-accounting.js";
import { buildSummary, latencySketches } from "./metrics/summary.js";
import type { DDSketchJSON } from "./core/ddsketch.js";
import { ensureDir } from "./output/atomic.js";
import { startWriterThreads, type SinkTarget, type WriterThread } from "./output/background-writer.js";
import { writeChromeTrace, type StageRecord } from "./output/chrome-trace.js";
import { writeJson } from "./output/json.js";
import { chunked, columnRows, type ChunkedTable } from "./tables/chunked.js";
import { streamTable } from "./output/table-stream.js";
import { column, type ResultTable } from "./tables/table.js";
import { writerFor } from "./output/writers.js";
import type { TableSink, WriteOptions } from "./output/table-writer.js";
import { resolveScenario, type ScenarioInputs } from "./scenario/resolve.js";
import { requestCount, type Scenario } from "./scenario/types.js";

export interface SimulationRun {
  options: Options;
  scenario: Scenario;
  result: EngineResult;
  /** request_metrics, requests, [batch_metrics], [timeline]; derived chunk by chunk when written. */
  tables: ChunkedTable[];
  /** summary.json's content; computed on first access (writers read it while the tables stream). */
  summary: Record<string, unknown>;
  /** The sketches of the summary's sketched latency metrics (none while exact), for sweeps to merge. */
  readonly sketches: Record<string, DDSketchJSON>;
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
  /** Where the files end up when `dir` is a transaction's staging directory (config.json's output_dir). */
  finalDir?: string;
}

/** Runs one simulation; throws InputError for anything wrong with the inputs. */
export function simulate(options: Options, hooks: SimulateHooks = {}): SimulationRun {
  const t0 = performance.now();
  hooks.onPhase?.("resolving scenario (profiles, workload, op tables)");
  const scenario = resolveScenario(options, hooks.baseDir ?? process.cwd(), hooks.inputs ?? {});
  return simulateResolved(options, scenario, hooks, performance.now() - t0);
}

/**
 * `simulate` without whole request columns: the summary's request statistics are gathered from the chunks as
 * they leave the engine (RequestStats, ClassStats), so memory does not grow with the request count. The run's
 * `result.requests` columns are empty and its tables leave out request_metrics (sweeps that keep only the
 * summary, --compare-baseline's baseline).
 */
export function simulateSummary(options: Options, hooks: SimulateHooks = {}): SimulationRun {
  const t0 = performance.now();
  hooks.onPhase?.("resolving scenario (profiles, workload, op tables)");
  const scenario = resolveScenario(options, hooks.baseDir ?? process.cwd(), hooks.inputs ?? {}, { requestBlocks: true });
  const t1 = performance.now();
  const parts = inLoopParts(options, scenario, hooks);
  const streamed = streamedStats(scenario);
  hooks.onPhase?.(`simulating ${requestCount(scenario)} requests`);
  hooks.onResolved?.(scenario);
  const t2 = performance.now();
  const running = engineRun(scenario, hooks.engine, { copyResults: hooks.copyResults, beforeRun: parts.beforeRun });
  let step = running.next();
  for (; !step.done; step = running.next()) streamed.add(step.value);
  return finishRun(options, scenario, step.value, parts, hooks, { resolveMs: t1 - t0, engineMs: performance.now() - t2 }, streamed);
}

/** What runs inside the engine besides serving: the microgrid, the grid controller, and --compare-baseline's baseline. */
interface InLoopParts {
  microgrid?: InLoopMicrogrid;
  control?: InLoopControl;
  /** The baseline's summary (run before this run: the engine's views of one run are valid until its next run). */
  baseline?: Record<string, unknown>;
  /** Writes the microgrid's and controller's inputs after the engine's own. */
  beforeRun?: (e: EngineExports) => void;
}

/** Checks and resolves the in-loop parts (before the engine runs) and runs the baseline if asked for. */
function inLoopParts(options: Options, scenario: Scenario, hooks: SimulateHooks): InLoopParts {
  // the microgrid (src/cosim/in-loop.ts) is checked before the engine runs and stepped inside run()
  // the grid controller (src/control/, assembly/control/): none resolves to nothing (open loop, exact)
  const gridOn = microgridRequested(options);
  scenario.control = resolveControl(options, gridOn);
  // a controlled run and its baseline are accounted over the same window: up to the last deadline
  const window = Math.max(hooks.energyHorizonS ?? 0, scenario.control ? controlWindowS(scenario.requests, scenario.requestBlocks) : 0);
  if (scenario.power && window > scenario.power.horizonS) scenario.power = { ...scenario.power, horizonS: window };
  const microgrid = gridOn ? inLoopMicrogrid(options, scenario) : undefined;
  const control = scenario.control ? inLoopControl(scenario, microgrid!.plan.step) : undefined;
  // --compare-baseline: the identical workload under --controller none, run first, keeping only its summary
  const baseline = options.compare_baseline ? baselineSummary(options, hooks, window) : undefined;
  const beforeRun = microgrid
    ? (e: EngineExports): void => {
        microgrid.beforeRun(e);
        control?.beforeRun(e);
      }
    : undefined;
  return { microgrid, control, baseline, beforeRun };
}

/** The request and per-class statistics of a streamed run, gathered chunk by chunk. */
interface StreamedStats {
  requests: RequestStats;
  classes: ClassStats;
  add(c: RequestChunk): void;
}

function streamedStats(scenario: Scenario): StreamedStats {
  const q = scenario.requests;
  const requests = new RequestStats(q.numPrefillTokens, q.numDecodeTokens, scenario.exactQuantileSamples);
  const hasClasses = scenario.requestBlocks ? scenario.requestBlocks.hasClasses : q.requestClass !== undefined;
  const classes = new ClassStats(q, hasClasses, scenario.exactQuantileSamples);
  return {
    requests,
    classes,
    add(c) {
      requests.add(c);
      classes.add(c);
    },
  };
}

/**
 * After the engine: the microgrid's and controller's tables and summaries, energy accounting, the tables to
 * write and the summary. `streamed`: the statistics gathered from the chunks when the request columns were
 * not kept (request_metrics is then written while the engine runs, not listed here); `requestsWritten`: the
 * requests table was written while the engine ran too (not listed either).
 */
function finishRun(
  options: Options,
  scenario: Scenario,
  result: EngineResult,
  parts: InLoopParts,
  hooks: SimulateHooks,
  timings: { resolveMs: number; engineMs: number },
  streamed?: StreamedStats,
  requestsWritten = false,
): SimulationRun {
  const t2 = performance.now();
  const grid = parts.microgrid?.collect(result);
  const controlled = parts.control?.collect();
  // energy, carbon, cost (src/metrics/energy-accounting.ts): columns, timeline table, summary objects
  let stats = streamed?.requests;
  // whole columns: the request statistics on first use (summary or sketches)
  const requestStats = () => (stats ??= RequestStats.of(result.requests, scenario.exactQuantileSamples));
  const tokens = stats && {
    completed: stats.completed,
    outTokens: stats.decodeTokens,
    allTokens: stats.prefillTokens + stats.decodeTokens,
  };
  const energy = energyReport(scenario, result, tokens);
  const extra = energy ? energyColumns(energy) : undefined;
  const tables: ChunkedTable[] = [];
  // Vidur's --no-metrics_config_write_metrics / _store_request_metrics / _store_batch_metrics (vidur-compat.ts)
  const writeMetrics = options.metrics_config_write_metrics !== false;
  if (hooks.tables !== false && writeMetrics) {
    // request classes (only with --deferrable-fraction) add `class` and `deadline_s` after every other column
    if (!streamed && options.metrics_config_store_request_metrics !== false) {
      tables.push(requestMetrics(result, [...(extra?.request ?? []), ...classColumns(scenario.requests)]));
    }
    // streamed runs kept no request columns: open-loop arrivals are the scenario's (or regenerated from its blocks)
    if (requestsWritten) {
      // written while the engine ran (simulateAndWrite), from the same inputs
    } else if (scenario.requestBlocks) tables.push(requestsTableFromBlocks(scenario.requestBlocks));
    else tables.push(chunked(requestsTable(result, streamed ? scenario.requests.arrivedAt : result.requests.arrivedAt)));
    if (scenario.recordBatches && options.metrics_config_store_batch_metrics !== false) {
      const batches = batchMetricsTable(result);
      batches.columns.push(...(extra?.batch ?? []));
      tables.push(chunked(batches));
    }
  }
  if (energy && writeMetrics) tables.push(chunked(energy.timeline));
  if (grid && writeMetrics) tables.push(...grid.tables);
  if (controlled && writeMetrics) tables.push(controlled.table);
  const { baseline } = parts;
  let summary: Record<string, unknown> | undefined;
  return {
    options,
    scenario,
    result,
    tables,
    get summary() {
      summary ??= Object.assign(
        buildSummary(scenario, result, requestStats()),
        energy?.summary,
        streamed ? streamed.classes.summary() : classSummary(scenario.requests, result, scenario.exactQuantileSamples),
        grid ? { microgrid: grid.summary } : undefined,
        controlled ? { control: controlled.summary } : undefined,
        // --power-budget-w: how the run (and its baseline, which gets the same options) kept to the budget
        grid && Number(options.power_budget_w ?? 0) > 0
          ? {
              power_budget: budgetSummary(
                grid.columns.loadW,
                parts.microgrid!.plan.step,
                result.energy?.endS ?? result.makespan,
                Number(options.power_budget_w),
              ),
            }
          : undefined,
        baseline ? { baseline } : undefined,
      ) as Record<string, unknown>;
      // the controller's savings split into energy and timing (src/control/compare.ts)
      if (baseline && controlled) controlled.summary.vs_baseline = vsBaseline(summary, baseline);
      return summary;
    },
    get sketches() {
      return latencySketches(requestStats(), result);
    },
    timings: { ...timings, tablesMs: performance.now() - t2 },
  };
}

/** `simulate` of an already resolved scenario (resolveMs: the time resolving took), with whole request columns. */
function simulateResolved(options: Options, scenario: Scenario, hooks: SimulateHooks, resolveMs: number): SimulationRun {
  const parts = inLoopParts(options, scenario, hooks);
  const t1 = performance.now();
  hooks.onPhase?.(`simulating ${requestCount(scenario)} requests`);
  hooks.onResolved?.(scenario);
  const result = runEngine(scenario, hooks.engine, { copyResults: hooks.copyResults, beforeRun: parts.beforeRun });
  return finishRun(options, scenario, result, parts, hooks, { resolveMs, engineMs: performance.now() - t1 });
}

/** The summary of the same options under `--controller none` (the baseline of --compare-baseline), streamed. */
function baselineSummary(options: Options, hooks: SimulateHooks, energyHorizonS: number): Record<string, unknown> {
  const run = simulateSummary({ ...options, controller: "none", compare_baseline: false } as Options, {
    engine: hooks.engine,
    copyResults: false,
    inputs: hooks.inputs,
    baseDir: hooks.baseDir,
    tables: false,
    energyHorizonS,
  });
  return { ...run.summary };
}

/**
 * `simulate` + `writeSimulationOutputs` in one pass, for the CLI: request_metrics rows are written while the
 * engine runs, chunk by chunk as they leave it (engineRun), and the summary's request and per-class statistics
 * are gathered from the same chunks, so host memory does not grow with the request count (exact percentiles up
 * to --metrics_config_exact_quantile_samples, sketched past it). The microgrid and the grid controller run
 * inside the engine as in `simulate`; their per-step and per-action tables are written after it. Closed-loop
 * runs (whose inter-arrival delays need every arrival) take the two-step path. request_metrics and requests
 * files are renamed into place only once every other output has been written, so a failed run still leaves
 * nothing behind — except in a transaction's staging directory (`finalDir`, the CLI), which appears whole or not
 * at all, where they close as soon as the engine is done.
 */
export async function simulateAndWrite(
  options: Options,
  dir: string,
  hooks: SimulateHooks & WriteHooks = {},
): Promise<{ run: SimulationRun; written: string[] }> {
  const t0 = performance.now();
  hooks.onPhase?.("resolving scenario (profiles, workload, op tables)");
  // the workload in blocks where it can be (never whole on the host); the two-step path below needs it whole
  const blocks = hooks.tables !== false;
  const scenario = resolveScenario(options, hooks.baseDir ?? process.cwd(), hooks.inputs ?? {}, { requestBlocks: blocks });
  const t1 = performance.now();
  const q = scenario.requests;
  const n = requestCount(scenario);
  let sorted = true;
  for (let i = 1; i < q.arrivedAt.length && sorted; i++) sorted = q.arrivedAt[i - 1] <= q.arrivedAt[i];
  if (scenario.closedLoopConcurrency || !sorted || hooks.tables === false) {
    const run = simulateResolved(options, scenario, hooks, t1 - t0);
    return { run, written: await writeSimulationOutputs(run, dir, hooks) };
  }
  const parts = inLoopParts(options, scenario, hooks);
  const t2 = performance.now();
  hooks.onPhase?.(`simulating ${n} requests`);
  hooks.onResolved?.(scenario);
  const out = resolve(dir);
  try {
    await ensureDir(out);
  } catch (err) {
    throw new InputError(`cannot create the output directory ${out}: ${(err as Error).message}`);
  }
  const formats = outputFormats(options);
  const writeOptions = outputWriteOptions(options);
  const writers = formats.map((f) => writerFor(f));
  const threads = new Map<string, WriterThread>(hooks.writerThreads || []);
  const missing = formats.filter((f) => !threads.has(f));
  const own = hooks.writerThreads !== false && n >= BACKGROUND_WRITE_MIN_ROWS ? startWriterThreads(missing, writeOptions) : undefined;
  for (const [f, t] of own ?? []) threads.set(f, t);
  try {
    // Vidur's metric switches: no request_metrics file, but the same statistics
    const writeRows = options.metrics_config_write_metrics !== false && options.metrics_config_store_request_metrics !== false;
    const metricPaths = writeRows ? writers.map((w) => join(out, `request_metrics${w.extension}`)) : [];
    // requests (the workload as simulated) leaves the engine with the rows too: each chunk carries its inputs,
    // so the workload's blocks are not generated a third time after the run to write it
    const blocks = scenario.requestBlocks;
    const writeRequests = blocks !== undefined && options.metrics_config_write_metrics !== false;
    const requestPaths = writeRequests ? writers.map((w) => join(out, `requests${w.extension}`)) : [];
    const paths = [...metricPaths, ...requestPaths];
    const opened = await Promise.allSettled([
      writeRows ? openSinks(metricPaths, writers, threads, writeOptions) : [],
      writeRequests ? openSinks(requestPaths, writers, threads, writeOptions) : [],
    ]);
    const metricSinks = opened[0].status === "fulfilled" ? opened[0].value : [];
    const requestSinks = opened[1].status === "fulfilled" ? opened[1].value : [];
    const sinks = [...metricSinks, ...requestSinks];
    for (const o of opened) {
      if (o.status === "fulfilled") continue;
      await Promise.all(sinks.map((sink) => sink.abort().catch(() => undefined)));
      throw o.reason;
    }
    let result: EngineResult;
    const streamed = streamedStats(scenario);
    const pue = scenario.power?.pue ?? 1;
    const originals = { originalPrefillTokens: q.numPrefillTokens, originalDecodeTokens: q.numDecodeTokens };
    try {
      const engineRunning = engineRun(scenario, hooks.engine, { copyResults: hooks.copyResults, beforeRun: parts.beforeRun });
      let previousArrival = Number.NaN;
      let reuse: ResultTable | undefined;
      let step = engineRunning.next();
      let requestRows = 0;
      for (; !step.done; step = engineRunning.next()) {
        // the chunk is a view on engine memory: everything is taken from it before the engine continues
        const c = step.value;
        streamed.add(c);
        // the rows' inputs, in the engine's chunks = requestsTableFromBlocks' chunks (both 16,384 rows from id 0)
        const written = writeRequests ? Promise.all(requestSinks.map((sink) => sink.write(requestsRows(c)))) : undefined;
        void written?.catch(() => undefined); // awaited below; handled here in case the row building throws first
        requestRows += c.rows;
        if (!writeRows) {
          await written;
          continue;
        }
        const table = requestMetricsRows(c, originals, previousArrival, undefined, reuse);
        const end = c.start + c.rows;
        if (c.energyPairs) {
          const base = table.columns.length;
          requestEnergyColumns(c.energyPairs, pue, c.start).forEach((col, i) =>
            table.columns.push(columnRows(col, c.start, end, reuse?.columns[base + i])),
          );
        }
        // request classes: `class` and `deadline_s` after every other column, as in requestMetrics
        table.columns.push(...classColumnRows(c.inputs!, 0, c.rows, reuse?.columns.slice(table.columns.length)));
        previousArrival = c.arrivedAt[c.rows - 1];
        await Promise.all([written, ...metricSinks.map((sink) => sink.write(table))]);
        reuse = table;
      }
      // a run without requests still writes the table's header / schema, as streamTable does
      if (writeRequests && requestRows === 0)
        await Promise.all(requestSinks.map((sink) => sink.write(requestsTableFromBlocks(blocks).chunk(0, 0))));
      result = step.value;
    } catch (err) {
      await Promise.all(sinks.map((sink) => sink.abort().catch(() => undefined)));
      throw err;
    }
    // In a transaction's staging directory (finalDir: the CLI) the run's files appear all together or not at
    // all whatever happens to each, so these close (fsync on libuv's pool) while the other outputs are written.
    const closing = hooks.finalDir !== undefined ? Promise.all(sinks.map((sink) => sink.close())) : undefined;
    void closing?.catch(() => undefined); // awaited below
    const timings = { resolveMs: t1 - t0, engineMs: performance.now() - t2 };
    try {
      const run = finishRun(options, scenario, result, parts, hooks, timings, streamed, writeRequests);
      const written = await writeSimulationOutputs(run, dir, { ...hooks, writerThreads: threads.size > 0 ? threads : false });
      await (closing ?? Promise.all(sinks.map((sink) => sink.close())));
      return { run, written: [...paths, ...written] };
    } catch (err) {
      await closing?.catch(() => undefined);
      await Promise.all(sinks.map((sink) => sink.abort().catch(() => undefined)));
      throw err;
    }
  } finally {
    if (own) await Promise.all([...new Set(own.values())].map((t) => t.terminate()));
  }
}

/** The requests table's rows of a chunk that carries its inputs (views: valid while the chunk is). */
function requestsRows(c: RequestChunk): ResultTable {
  const q = c.inputs!;
  return {
    name: "requests",
    columns: [
      column("arrived_at", "f64", q.arrivedAt.subarray(0, c.rows)),
      column("num_prefill_tokens", "i32", q.numPrefillTokens.subarray(0, c.rows)),
      column("num_decode_tokens", "i32", q.numDecodeTokens.subarray(0, c.rows)),
    ],
  };
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
      num_requests: requestCount(s),
      closed_loop_concurrency: s.closedLoopConcurrency ?? null,
    },
  };
}

/** Files a simulate run writes (an output directory holding only these, without a manifest, is an older run). */
export const SIMULATE_OUTPUTS =
  /^(?:(?:request_metrics|batch_metrics|requests|timeline|microgrid|microgrid_agg)\.(?:csv|arrow|parquet|json)|(?:summary|config|chrome_trace)\.json|report\.html|\..*\.tmp-.*)$/;

/** SHA-256 of the resolved options (sorted keys, output location left out): the manifest's config_hash. */
export function configHash(options: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(options)
    .filter((k) => k !== "metrics_config_output_dir")
    .sort();
  return createHash("sha256")
    .update(JSON.stringify(keys.map((k) => [k, options[k] ?? null])))
    .digest("hex");
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
  const formats = String(options.formats ?? "csv,arrow,parquet")
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (formats.length === 0) throw new InputError("--formats must name at least one of csv, arrow, parquet");
  for (const f of formats) writerFor(f);
  return formats;
}

function* stageRecords(r: EngineResult): Iterable<StageRecord> {
  const s = r.stages;
  for (let i = 0; i < s.start.length; i++) {
    yield {
      replica: s.replica[i],
      stage: s.stage[i],
      batchId: s.batchId[i],
      start: s.start[i],
      end: s.end[i],
      size: s.size[i],
      numTokens: s.numTokens[i],
    };
  }
}

/**
 * One sink per writer thread (it writes all of its formats) plus one per format kept on this thread; if one kept
 * here fails to open, the others are aborted and the error is thrown (a thread's failure to open surfaces at
 * its sink's first write or close).
 */
async function openSinks(
  paths: string[],
  writers: ReturnType<typeof writerFor>[],
  threads: Map<string, WriterThread>,
  writeOptions: WriteOptions,
): Promise<TableSink[]> {
  const onThread = new Map<WriterThread, SinkTarget[]>();
  const local: Promise<TableSink>[] = [];
  writers.forEach((w, i) => {
    const thread = threads.get(w.format);
    if (thread) onThread.set(thread, [...(onThread.get(thread) ?? []), { format: w.format, path: paths[i], options: writeOptions }]);
    else local.push(w.open(paths[i], writeOptions));
  });
  // a thread's sink is used at once (its failure to open surfaces at the first write, which aborts every sink):
  // waiting for a booting or busy thread's reply would leave this thread idle
  const queued = [...onThread].map(([thread, targets]) => thread.openQueued(targets));
  const opened = await Promise.allSettled([...queued.map((q) => Promise.resolve(q)), ...local]);
  const failed = opened.find((o) => o.status === "rejected");
  const sinks = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
  if (failed) {
    await Promise.all(sinks.map((s) => s.abort().catch(() => undefined)));
    throw failed.reason;
  }
  return sinks;
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
      const sinks = await openSinks(paths, writers, threads, writeOptions);
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
  // output_dir: where these files are (a sweep's kept run is written to runs/<id>/, not its options' directory)
  const config = { ...resolvedConfig(run), output_dir: resolve(hooks.finalDir ?? out) };
  // both at once: each waits for its fsync on libuv's pool
  await Promise.all([writeJson(run.summary, join(out, "summary.json")), writeJson(config, join(out, "config.json"))]);
  written.push(join(out, "summary.json"), join(out, "config.json"));
  if (run.scenario.recordStages) {
    const path = join(out, "chrome_trace.json");
    await writeChromeTrace(stageRecords(run.result), path);
    written.push(path);
  }
  return written;
}
