/**
 * config → resolved scenario: everything the engine needs, nothing it has to look up. One step per concern,
 * in this order (each its own file): cluster (catalogue lookups, sharding) → replica scheduler (its options) →
 * memory planner (KV blocks) → workload (request stream, within the engine's capacity) → op-table grid and
 * op tables →
 * power settings → route table.
 *
 * @example
 * const scenario = resolveScenario(resolveOptions({}));   // Vidur's defaults: Llama-2-7B, A100, sarathi
 */
import type { Options } from "../config/options.js";
import type { OpTables, RequestStream } from "../core/types.js";
import type { PredictorOptions } from "../predictor/index.js";
import { planMemory, type MemoryPlan } from "../profiles/memory-planner.js";
import { paramsPerDevice } from "../profiles/param-counter.js";
import type { GenerateOptions, WorkloadConfig } from "../workload/config.js";
import { maxTokensForMemoryPlanner } from "../workload/index.js";
import { resolveCluster, type Cluster } from "./cluster.js";
import { checkEngineCapacity } from "./engine-limits.js";
import { predictionGrid, resolveOpTables, tableGrid } from "./op-tables.js";
import { resolvePowerSettings } from "./power-settings.js";
import { resolveReplicaScheduler, schedulerSettings, type ChosenScheduler } from "./replica-scheduler.js";
import { resolveRouteDraws } from "./route-table.js";
import type { Scenario } from "./types.js";
import { checkBatchCap, checkBlockSize, checkResourceNeeds, checkTimelineSpan, expectedDurationRequests } from "./validate.js";
import { EMPTY_STREAM, resolveRequestBlocks, resolveRequests, workloadConfig } from "./workload.js";

/**
 * Where resolveScenario gets its expensive inputs. The defaults build them afresh; sweeps pass memoizing
 * providers (src/sweep/input-cache.ts) so op tables and request streams are built once per worker, not per run.
 * Providers must return exactly what the defaults would (the engine only reads them).
 */
export interface ScenarioInputs {
  opTables?: (source: string, opts: PredictorOptions) => OpTables;
  requests?: (cfg: WorkloadConfig, opts: GenerateOptions) => RequestStream;
}

/** Scenario step 4: Vidur's memory planner (KV blocks per replica, batch size it allows). */
function resolveMemory(o: Options, cluster: Cluster, chosen: ChosenScheduler, workload: WorkloadConfig): MemoryPlan {
  const { model, device, tp, pp } = cluster;
  return planMemory({
    model,
    device,
    tp,
    pp,
    maxTokens: maxTokensForMemoryPlanner(workload),
    blockSize: chosen.own.block_size,
    memoryMarginFraction: o.replica_config_memory_margin_fraction,
    watermarkBlocksFraction: chosen.own.watermark_blocks_fraction,
    batchSizeCap: chosen.own.batch_size_cap,
    numBlocks: chosen.own.num_blocks ?? undefined,
  });
}

/** The predictor's per-batch overhead terms, as the options give them. */
function predictorSettings(o: Options): Scenario["predictor"] {
  return {
    kvCachePredictionGranularity: o.random_forrest_execution_time_predictor_config_kv_cache_prediction_granularity,
    attentionDecodeBatchingOverheadFraction: o.random_forrest_execution_time_predictor_config_attention_decode_batching_overhead_fraction,
    attentionPrefillBatchingOverheadFraction: o.random_forrest_execution_time_predictor_config_attention_prefill_batching_overhead_fraction,
    ncclCpuLaunchOverheadMs: o.random_forrest_execution_time_predictor_config_nccl_cpu_launch_overhead_ms,
    ncclCpuSkewOverheadPerDeviceMs: o.random_forrest_execution_time_predictor_config_nccl_cpu_skew_overhead_per_device_ms,
  };
}

/**
 * How a scenario is resolved. `requestBlocks`: take a synthetic open-loop workload block by block instead of
 * whole (runs that stream their rows; trace replay, closed loop, out-of-order arrivals and memoized streams
 * stay whole).
 */
export interface ResolveMode {
  requestBlocks?: boolean;
}

export function resolveScenario(
  o: Options,
  baseDir: string = process.cwd(),
  inputs: ScenarioInputs = {},
  mode: ResolveMode = {},
): Scenario {
  const cluster = resolveCluster(o);
  const chosen = resolveReplicaScheduler(o, cluster.pp);
  const workload = workloadConfig(o);
  // combinations that cannot run, and resource needs, are refused before anything is generated (validate.ts)
  const prefix = chosen.scheduler.prefix;
  checkBatchCap(o, prefix, cluster.pp);
  checkBlockSize(o, prefix, maxTokensForMemoryPlanner(workload));
  const memory = resolveMemory(o, cluster, chosen, workload);
  const settings = schedulerSettings(chosen, memory.numBlocks);
  const grid = predictionGrid(o, settings, memory, maxTokensForMemoryPlanner(workload));
  checkResourceNeeds(o, prefix, cluster.pp, tableGrid(o, chosen.scheduler.name, grid));
  const expected = expectedDurationRequests(o);
  if (expected !== undefined) checkEngineCapacity(expected, o.energy !== false, "--synthetic_request_generator_config_duration x qps");
  const blocks =
    mode.requestBlocks && !inputs.requests && o.request_generator_config_type !== "closed_loop"
      ? resolveRequestBlocks(workload, o.energy !== false, baseDir)
      : undefined;
  const requests = blocks ? EMPTY_STREAM : resolveRequests(workload, o.energy !== false, baseDir, inputs.requests);
  const n = blocks ? blocks.count : requests.arrivedAt.length;
  checkTimelineSpan(o, blocks ? blocks.lastArrival : n > 0 ? requests.arrivedAt[n - 1] : 0);
  const opTables = resolveOpTables(o, cluster, chosen.scheduler.name, grid, inputs.opTables);
  const { model, device, node, tp, pp, replicas } = cluster;
  const scenario: Scenario = {
    model,
    device,
    node,
    numReplicas: replicas,
    tensorParallelSize: tp,
    numPipelineStages: pp,
    globalScheduler: o.global_scheduler_config_type,
    replicaScheduler: settings,
    memory,
    predictor: predictorSettings(o),
    paramsPerDevice: paramsPerDevice(model, tp, pp),
    requests,
    ...(blocks ? { requestBlocks: blocks } : {}),
    opTables,
    timeLimit: o.time_limit,
    recordStages: o.metrics_config_enable_chrome_trace === true,
    recordTbt: o.metrics_config_store_token_completion_metrics !== false,
    exactQuantileSamples: o.metrics_config_exact_quantile_samples,
    recordBatches: o.metrics_config_keep_individual_batch_metrics === true,
  };
  if (o.request_generator_config_type === "closed_loop") scenario.closedLoopConcurrency = o.concurrency;
  const power = resolvePowerSettings(o, { model, device, node, tp, pp, timeLimit: o.time_limit });
  if (power) scenario.power = power;
  const routes = resolveRouteDraws(o, replicas, n);
  if (routes) scenario.routes = routes;
  return scenario;
}
