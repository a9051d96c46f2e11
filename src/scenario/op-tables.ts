/**
 * Scenario step 5: the op tables (ms per layer per TP worker) from the chosen predictor source, on a grid
 * wide enough for the scheduler's batches.
 *
 * @example
 * resolveOpTables(options, cluster, "sarathi", { maxTokens: 4096, maxBatch: 128, maxChunk: 4096 }).maxTokens; // 4096
 */
import type { Options } from "../config/options.js";
import { InputError } from "../core/errors.js";
import type { OpTables } from "../core/types.js";
import { buildOpTables, type PredictorOptions } from "../predictor/index.js";
import type { Cluster } from "./cluster.js";
import type { ReplicaSchedulerSettings } from "./types.js";

export type BuildOpTables = (source: string, opts: PredictorOptions) => OpTables;

/** --predictor auto: op tables if given, else profiles if given, else the roofline. */
export function predictorSource(o: Options): string {
  const source: string = o.predictor;
  if (source === "auto") return o.op_tables ? "op-tables" : o.profile_dir ? "profile" : "roofline";
  if (source === "op-tables" && !o.op_tables) throw new InputError("--predictor op-tables needs --op-tables DIR");
  if (source === "profile" && !o.profile_dir) throw new InputError("--predictor profile needs --profile-dir DIR");
  return source;
}

/** Vidur's prediction grid (its defaults) and the most a grid is sized to without an explicit flag. */
const VIDUR_GRID = { maxTokens: 4096, maxBatch: 128, maxChunk: 4096 } as const;
const AUTO_GRID_MAX_TOKENS = 32768;

export interface PredictionGrid {
  maxTokens: number;
  maxBatch: number;
  maxChunk: number;
}

/**
 * The op-table grid: each --random_forrest_…_prediction_max_* flag when given, else Vidur's default widened
 * to what this scenario can reach — the decode batch to the scheduler's cap (and the memory planner's batch
 * size for orca / faster_transformer), the token and chunk grids to the scheduler's batch token budget (ceil to
 * 8, Vidur's token key) and the KV grid to the longest request — so a larger batch cap or longer requests need
 * no extra flag.
 */
export function predictionGrid(
  o: Options,
  s: ReplicaSchedulerSettings,
  memory: { cappedBatchSize: number },
  longestRequest: number,
): PredictionGrid {
  const batchTokens = s.name === "sarathi" ? s.chunkSize : s.name === "vllm" || s.name === "lightllm" ? s.maxTokensInBatch : 0;
  const tokensNeeded = Math.min(AUTO_GRID_MAX_TOKENS, Math.max(Math.ceil(batchTokens / 8) * 8, longestRequest));
  return {
    maxTokens:
      o.random_forrest_execution_time_predictor_config_prediction_max_tokens_per_request ?? Math.max(VIDUR_GRID.maxTokens, tokensNeeded),
    // vllm, sarathi and lightllm batch up to their cap; orca and faster_transformer also to the planner's size
    maxBatch:
      o.random_forrest_execution_time_predictor_config_prediction_max_batch_size ??
      Math.max(VIDUR_GRID.maxBatch, batchTokens > 0 ? s.batchSizeCap : memory.cappedBatchSize),
    maxChunk:
      o.random_forrest_execution_time_predictor_config_prediction_max_prefill_chunk_size ??
      Math.max(VIDUR_GRID.maxChunk, Math.min(AUTO_GRID_MAX_TOKENS, batchTokens)),
  };
}

/** The sizes the op tables are built to (what the engine will allocate for them). */
export function tableGrid(
  o: Options,
  scheduler: string,
  grid: PredictionGrid,
): { maxTokens: number; maxKv: number; maxBatch: number; maxChunk: number; g: number } {
  const { maxTokens, maxBatch, maxChunk } = grid;
  const wholePrompts = scheduler === "orca" || scheduler === "faster_transformer";
  return {
    // orca and faster_transformer put many whole prompts in one batch: the token grid must cover
    // max_tokens x batch and the prefill key sqrt(sum c^2) up to sqrt(batch) x max chunk. Vidur widens the token
    // grid for orca only (faster_transformer then fails with a KeyError), and neither the chunk grid.
    maxTokens: wholePrompts ? maxTokens * maxBatch : maxTokens,
    maxKv: maxTokens,
    maxBatch,
    maxChunk: wholePrompts ? Math.ceil(Math.sqrt(maxBatch) * maxChunk) : maxChunk,
    g: o.random_forrest_execution_time_predictor_config_kv_cache_prediction_granularity,
  };
}

export function resolveOpTables(
  o: Options,
  cluster: Cluster,
  scheduler: string,
  grid: PredictionGrid,
  build: BuildOpTables = buildOpTables,
): OpTables {
  const { model, device, node, tp, pp } = cluster;
  return build(predictorSource(o), {
    model,
    device,
    node,
    tp,
    pp,
    ...tableGrid(o, scheduler, grid),
    opTablesDir: o.op_tables ?? undefined,
    profileDir: o.profile_dir ?? undefined,
  });
}
