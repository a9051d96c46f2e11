/**
 * One simulation end to end, following the one-way data flow:
 * options → resolved scenario → engine → result tables → writers.
 *
 * @example
 * const run = simulate(resolveOptions({ replica_scheduler_config_type: "vllm" }));
 * run.summary.ttft_s;                       // { p50, p90, p99, mean, ... }
 * await writeSimulationOutputs(run, "out");  // CSV, Arrow, Parquet, summary.json, config.json
 */
import { join, resolve } from "node:path";
import type { OptionValues } from "./config/parse.js";
import { InputError } from "./core/errors.js";
import { runEngine } from "./engine/engine.js";
import type { EngineResult } from "./engine/result.js";
import type { EngineExports } from "./engine/wasm.js";
import { batchMetricsTable } from "./metrics/batch-metrics.js";
import { requestMetricsTable } from "./metrics/request-metrics.js";
import { requestsTable } from "./metrics/requests-table.js";
import { addEnergyColumns, energyReport } from "./energy/accounting.js";
import { buildSummary } from "./metrics/summary.js";
import { ensureDir } from "./output/atomic.js";
import { writeTablesInBackground } from "./output/background-writer.js";
import { writeChromeTrace, type StageRecord } from "./output/chrome-trace.js";
import { writeJson } from "./output/json.js";
import type { ResultTable } from "./output/table.js";
import { writerFor } from "./output/writers.js";
import { resolveScenario, type ScenarioInputs } from "./scenario/resolve.js";
import type { Scenario } from "./scenario/types.js";

export interface SimulationRun {
  options: OptionValues;
  scenario: Scenario;
  result: EngineResult;
  tables: ResultTable[];
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
}

/** Runs one simulation; throws InputError for anything wrong with the inputs. */
export function simulate(options: OptionValues, hooks: SimulateHooks = {}): SimulationRun {
  const t0 = performance.now();
  hooks.onPhase?.("resolving scenario (profiles, workload, op tables)");
  const scenario = resolveScenario(options, hooks.baseDir ?? process.cwd(), hooks.inputs ?? {});
  const t1 = performance.now();
  hooks.onPhase?.(`simulating ${scenario.requests.arrivedAt.length} requests`);
  const result = runEngine(scenario, hooks.engine, { copyResults: hooks.copyResults });
  const t2 = performance.now();
  const tables: ResultTable[] = [];
  if (hooks.tables !== false) {
    tables.push(requestMetricsTable(result), requestsTable(result));
    if (scenario.recordBatches) tables.push(batchMetricsTable(result));
  }
  const summary = buildSummary(scenario, result);
  // energy, carbon, cost (src/energy/accounting.ts): columns, timeline table, summary objects
  const energy = energyReport(scenario, result);
  if (energy) {
    addEnergyColumns(tables, energy);
    tables.push(energy.timeline);
    Object.assign(summary, energy.summary);
  }
  const t3 = performance.now();
  return { options, scenario, result, tables, summary, timings: { resolveMs: t1 - t0, engineMs: t2 - t1, tablesMs: t3 - t2 } };
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

const BACKGROUND_WRITE_MIN_ROWS = 50_000;

async function settle(p: Promise<void>): Promise<{ error?: unknown }> {
  try {
    await p;
    return {};
  } catch (error) {
    return { error };
  }
}

function* stageRecords(r: EngineResult): Iterable<StageRecord> {
  const s = r.stages;
  for (let i = 0; i < s.start.length; i++) {
    yield { replica: s.replica[i], stage: s.stage[i], batchId: s.batchId[i], start: s.start[i], end: s.end[i], size: s.size[i], numTokens: s.numTokens[i] };
  }
}

/** Writes every table in every requested format, summary.json, config.json and (if recorded) chrome_trace.json. */
export async function writeSimulationOutputs(run: SimulationRun, dir: string, hooks: SimulateHooks = {}): Promise<string[]> {
  const out = resolve(dir);
  await ensureDir(out);
  const formats = String(run.options.formats ?? "csv,arrow,parquet").split(",").map((f) => f.trim()).filter(Boolean);
  if (formats.length === 0) throw new InputError("--formats must name at least one of csv, arrow, parquet");
  const writers = formats.map((f) => writerFor(f));
  const written: string[] = [];
  // Large outputs: Parquet and CSV encode on worker threads while this thread writes the rest (a worker costs
  // ~50 ms to start, so small runs stay on this thread).
  const pathsFor = (ext: string) => run.tables.map((t) => join(out, `${t.name}${ext}`));
  const rows = run.tables.reduce((n, t) => n + (t.columns[0]?.data.length ?? 0), 0);
  const background = rows >= BACKGROUND_WRITE_MIN_ROWS ? writers.filter((w) => w.format === "parquet" || w.format === "csv") : [];
  // settle() keeps a failed background write from becoming an unhandled rejection while this thread works
  const pending = background.map((w) => settle(writeTablesInBackground(run.tables, pathsFor(w.extension), w.format)));
  for (const w of writers) {
    const paths = pathsFor(w.extension);
    if (!background.includes(w)) {
      for (let i = 0; i < run.tables.length; i++) {
        hooks.onPhase?.(`writing ${paths[i]}`);
        await w.write(run.tables[i], paths[i]);
      }
    }
    written.push(...paths);
  }
  hooks.onPhase?.("waiting for background writers");
  for (const outcome of await Promise.all(pending)) if (outcome.error !== undefined) throw outcome.error;
  await writeJson(run.summary, join(out, "summary.json"));
  await writeJson(resolvedConfig(run), join(out, "config.json"));
  written.push(join(out, "summary.json"), join(out, "config.json"));
  if (run.scenario.recordStages) {
    const path = join(out, "chrome_trace.json");
    await writeChromeTrace(stageRecords(run.result), path);
    written.push(path);
  }
  return written;
}
