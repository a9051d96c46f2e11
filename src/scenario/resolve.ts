/**
 * config → resolved scenario: looks up model, device and node, generates the request stream, runs the memory
 * planner and builds the op tables. Everything the engine needs, nothing it has to look up.
 *
 * @example
 * const scenario = resolveScenario(resolveOptions({}));   // Vidur's defaults: Llama-2-7B, A100, sarathi
 */
import { InputError } from "../core/errors.js";
import type { Options } from "../config/options.js";
import { replicaSchedulerByName, type ReplicaScheduler } from "../plugins/replica-schedulers/index.js";
import { buildOpTables, type PredictorOptions } from "../predictor/index.js";
import type { OpTables, RequestStream } from "../core/types.js";
import { findDevice, findModel, findNode } from "../profiles/catalog.js";
import { planMemory } from "../profiles/memory-planner.js";
import { checkSharding, paramsPerDevice } from "../profiles/param-counter.js";
import { generateRequests, maxTokensForMemoryPlanner } from "../workload/index.js";
import { checkEngineCapacity } from "../engine/limits.js";
import type { GenerateOptions, WorkloadConfig } from "../workload/config.js";
import { randomRouteTable } from "./route-table.js";
import { checkBatchCap, checkBlockSize, checkResourceNeeds, checkTimelineSpan, expectedDurationRequests } from "./validate.js";
import { resolvePowerSettings } from "../energy/settings.js";
import type { ReplicaSchedulerSettings, Scenario } from "./types.js";

/** The chosen scheduler's own option values (its descriptor's keys, unprefixed). */
function ownOptions(o: Options, scheduler: ReplicaScheduler): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(scheduler.options)) out[key] = (o as Record<string, unknown>)[`${scheduler.prefix}_${key}`];
  return out;
}

function schedulerSettings(scheduler: ReplicaScheduler, own: Readonly<Record<string, unknown>>, plannedBlocks: number): ReplicaSchedulerSettings {
  const n = (key: string, fallback: number): number => (own[key] as number | undefined) ?? fallback;
  return {
    name: scheduler.name,
    batchSizeCap: n("batch_size_cap", 128),
    blockSize: n("block_size", 16),
    watermarkBlocksFraction: n("watermark_blocks_fraction", 0.01),
    numBlocks: (own.num_blocks as number | null) ?? plannedBlocks,
    maxTokensInBatch: n("max_tokens_in_batch", 4096),
    chunkSize: n("chunk_size", 512),
    maxWaitingIters: n("max_waiting_iters", 10),
  };
}

/** Vidur's prediction grid (its defaults) and the most a grid is sized to without an explicit flag. */
const VIDUR_GRID = { maxTokens: 4096, maxBatch: 128, maxChunk: 4096 } as const;
const AUTO_GRID_MAX_TOKENS = 32768;

/**
 * The op-table grid: each --random_forrest_…_prediction_max_* flag when given, else Vidur's default widened
 * to what this scenario can reach — the decode batch to the scheduler's cap (and the memory planner's batch
 * size for orca / faster_transformer), the token and chunk grids to the scheduler's batch token budget (ceil to 8, Vidur's token key)
 * and the KV grid to the longest request — so a larger batch cap or longer requests need no extra flag.
 */
function predictionGrid(o: Options, s: ReplicaSchedulerSettings, memory: { cappedBatchSize: number }, longestRequest: number) {
  const P = "random_forrest_execution_time_predictor_config_prediction_";
  const explicit = (k: string): number | null => (o as Record<string, unknown>)[P + k] as number | null;
  const batchTokens = s.name === "sarathi" ? s.chunkSize : s.name === "vllm" || s.name === "lightllm" ? s.maxTokensInBatch : 0;
  const tokensNeeded = Math.min(AUTO_GRID_MAX_TOKENS, Math.max(Math.ceil(batchTokens / 8) * 8, longestRequest));
  return {
    maxTokens: explicit("max_tokens_per_request") ?? Math.max(VIDUR_GRID.maxTokens, tokensNeeded),
    // vllm, sarathi and lightllm batch up to their cap; orca and faster_transformer also to the planner's size
    maxBatch: explicit("max_batch_size") ?? Math.max(VIDUR_GRID.maxBatch, batchTokens > 0 ? s.batchSizeCap : memory.cappedBatchSize),
    maxChunk: explicit("max_prefill_chunk_size") ?? Math.max(VIDUR_GRID.maxChunk, Math.min(AUTO_GRID_MAX_TOKENS, batchTokens)),
  };
}

/** The workload flags with closed_loop mapped onto synthetic lengths arriving at t = 0. */
function workloadConfig(o: Options): WorkloadConfig {
  const cfg: WorkloadConfig = { ...o };
  if (o.request_generator_config_type === "closed_loop") {
    cfg.request_generator_config_type = "synthetic";
    cfg.interval_generator_config_type = "static";
    if (cfg.synthetic_request_generator_config_num_requests == null) {
      throw new InputError("closed_loop needs --synthetic_request_generator_config_num_requests (total requests)");
    }
  }
  return cfg;
}

/** Python-random doubles the synthetic generator drew from the global stream (for the random scheduler). */
function generatorDrawsOnGlobalStream(o: Options, n: number): number {
  if (o.request_generator_config_type !== "synthetic") return 0;
  let perRequest = 0;
  if (o.interval_generator_config_type === "poisson") perRequest++;
  if (o.length_generator_config_type === "uniform") perRequest++;
  return perRequest * n;
}

/**
 * Where resolveScenario gets its expensive inputs. The defaults build them afresh; sweeps pass memoizing
 * providers (src/sweep/input-cache.ts) so op tables and request streams are built once per worker, not per run.
 * Providers must return exactly what the defaults would (the engine only reads them).
 */
export interface ScenarioInputs {
  opTables?: (source: string, opts: PredictorOptions) => OpTables;
  requests?: (cfg: WorkloadConfig, opts: GenerateOptions) => RequestStream;
}

export function resolveScenario(o: Options, baseDir: string = process.cwd(), inputs: ScenarioInputs = {}): Scenario {
  const model = findModel(o.replica_config_model_name);
  const device = findDevice(o.replica_config_device);
  const node = findNode(o.replica_config_network_device);
  const tp = o.replica_config_tensor_parallel_size;
  const pp = o.replica_config_num_pipeline_stages;
  checkSharding(model, tp, pp);
  const perNode = node.num_devices_per_node;
  if (!(tp * pp < perNode || (tp * pp) % perNode === 0)) {
    throw new InputError(
      `TP ${tp} x PP ${pp} = ${tp * pp} GPUs per replica must be below, or a multiple of, ${node.name}'s ${perNode} devices per node`,
    );
  }
  const scheduler = replicaSchedulerByName(o.replica_scheduler_config_type);
  const schedulerName = scheduler.name;
  const prefix = scheduler.prefix;
  const own = ownOptions(o, scheduler);
  if (schedulerName === "lightllm") {
    if (own.block_size !== 1) throw new InputError(`--${prefix}_block_size must be 1 for lightllm (token-level memory)`);
    if (pp !== 1) throw new InputError("lightllm does not support pipeline parallelism (--replica_config_num_pipeline_stages must be 1)");
  }

  const workload = workloadConfig(o);
  const maxTokens = maxTokensForMemoryPlanner(workload);
  checkBatchCap(o, prefix, pp);
  checkBlockSize(o, prefix, maxTokens);
  const memory = planMemory({
    model, device, tp, pp, maxTokens,
    blockSize: own.block_size as number,
    memoryMarginFraction: o.replica_config_memory_margin_fraction,
    watermarkBlocksFraction: own.watermark_blocks_fraction as number,
    batchSizeCap: own.batch_size_cap as number,
    numBlocks: (own.num_blocks as number | null) ?? undefined,
  });
  const settings = schedulerSettings(scheduler, own, memory.numBlocks);
  const grid = predictionGrid(o, settings, memory, maxTokens);
  const predictorMaxTokens = grid.maxTokens;
  const maxBatch = grid.maxBatch;
  const maxChunk = grid.maxChunk;
  const wholePrompts = schedulerName === "orca" || schedulerName === "faster_transformer";
  // orca and faster_transformer put many whole prompts in one batch: the token grid must cover
  // max_tokens x batch and the prefill key sqrt(sum c^2) up to sqrt(batch) x max chunk. Vidur widens the token
  // grid for orca only (faster_transformer then fails with a KeyError), and neither the chunk grid.
  const tableGrid = {
    maxTokens: wholePrompts ? predictorMaxTokens * maxBatch : predictorMaxTokens,
    maxKv: predictorMaxTokens,
    maxBatch,
    maxChunk: wholePrompts ? Math.ceil(Math.sqrt(maxBatch) * maxChunk) : maxChunk,
    g: o.random_forrest_execution_time_predictor_config_kv_cache_prediction_granularity,
  };
  // replica state and op-table sizes against the engine's 4 GiB, before generating or allocating anything
  checkResourceNeeds(o, prefix, pp, tableGrid);
  // fail before generating a workload the engine cannot hold (synthetic counts are known up front)
  const energy = o.energy !== false;
  const planned = workload.synthetic_request_generator_config_num_requests;
  if (workload.synthetic_request_generator_config_duration == null && typeof planned === "number") {
    checkEngineCapacity(planned, energy, "--synthetic_request_generator_config_num_requests");
  }
  const expected = expectedDurationRequests(o);
  if (expected !== undefined) checkEngineCapacity(expected, energy, "--synthetic_request_generator_config_duration x qps");
  const requests = (inputs.requests ?? generateRequests)(workload, { baseDir });
  const n = requests.arrivedAt.length;
  checkEngineCapacity(n, energy, "the workload");
  checkTimelineSpan(o, n > 0 ? requests.arrivedAt[n - 1] : 0);

  const opTablesDir = o.op_tables ?? undefined;
  const profileDir = o.profile_dir ?? undefined;
  let source: string = o.predictor;
  if (source === "auto") source = opTablesDir ? "op-tables" : profileDir ? "profile" : "roofline";
  if (source === "op-tables" && !opTablesDir) throw new InputError("--predictor op-tables needs --op-tables DIR");
  if (source === "profile" && !profileDir) throw new InputError("--predictor profile needs --profile-dir DIR");
  const opTables = (inputs.opTables ?? buildOpTables)(source, {
    model, device, node, tp, pp,
    ...tableGrid,
    opTablesDir,
    profileDir,
  });

  const globalScheduler = o.global_scheduler_config_type;
  const replicas = o.cluster_config_num_replicas;
  const scenario: Scenario = {
    model, device, node,
    numReplicas: replicas,
    tensorParallelSize: tp,
    numPipelineStages: pp,
    globalScheduler,
    replicaScheduler: settings,
    memory,
    predictor: {
      kvCachePredictionGranularity: o.random_forrest_execution_time_predictor_config_kv_cache_prediction_granularity,
      attentionDecodeBatchingOverheadFraction: o.random_forrest_execution_time_predictor_config_attention_decode_batching_overhead_fraction,
      attentionPrefillBatchingOverheadFraction: o.random_forrest_execution_time_predictor_config_attention_prefill_batching_overhead_fraction,
      ncclCpuLaunchOverheadMs: o.random_forrest_execution_time_predictor_config_nccl_cpu_launch_overhead_ms,
      ncclCpuSkewOverheadPerDeviceMs: o.random_forrest_execution_time_predictor_config_nccl_cpu_skew_overhead_per_device_ms,
    },
    paramsPerDevice: paramsPerDevice(model, tp, pp),
    requests,
    opTables,
    timeLimit: o.time_limit,
    recordStages: o.metrics_config_enable_chrome_trace === true,
    recordTbt: o.metrics_config_store_token_completion_metrics !== false,
    recordBatches: o.metrics_config_keep_individual_batch_metrics === true,
  };
  if (o.request_generator_config_type === "closed_loop") scenario.closedLoopConcurrency = o.concurrency;
  const power = resolvePowerSettings(o, { model, device, node, tp, pp, timeLimit: o.time_limit });
  if (power) scenario.power = power;
  if (globalScheduler === "random") {
    // Vidur's synthetic generator re-seeds the global stream with its own seed before drawing
    const streamSeed = o.request_generator_config_type === "synthetic" ? (o.synthetic_request_generator_config_seed as number) : o.seed;
    scenario.routeTable = randomRouteTable(streamSeed, replicas, n, generatorDrawsOnGlobalStream(o, n));
  }
  return scenario;
}
