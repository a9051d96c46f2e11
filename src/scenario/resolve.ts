/**
 * config → resolved scenario: looks up model, device and node, generates the request stream, runs the memory
 * planner and builds the op tables. Everything the engine needs, nothing it has to look up.
 *
 * @example
 * const scenario = resolveScenario(resolveOptions({}));   // Vidur's defaults: Llama-2-7B, A100, sarathi
 */
import { InputError } from "../core/errors.js";
import type { OptionValues } from "../config/parse.js";
import { PREDICTOR_PREFIX, schedulerFlagPrefix, type SchedulerKey } from "../config/options.js";
import { buildOpTables, type PredictorOptions } from "../predictor/index.js";
import type { OpTables, RequestStream } from "../core/types.js";
import { findDevice, findModel, findNode } from "../profiles/catalog.js";
import { planMemory } from "../profiles/memory-planner.js";
import { checkSharding, paramsPerDevice } from "../profiles/param-counter.js";
import { generateRequests, maxTokensForMemoryPlanner } from "../workload/index.js";
import { checkEngineCapacity } from "../engine/limits.js";
import type { GenerateOptions, WorkloadConfig } from "../workload/config.js";
import { randomRouteTable } from "./route-table.js";
import { checkBatchCap, checkBlockSize, checkFixedLengths, checkResourceNeeds, checkTimelineSpan, expectedDurationRequests } from "./validate.js";
import { resolvePowerSettings } from "../energy/settings.js";
import type { GlobalSchedulerName, ReplicaSchedulerSettings, Scenario } from "./types.js";

const num = (o: OptionValues, k: string): number => o[k] as number;

function schedulerSettings(o: OptionValues, name: SchedulerKey, plannedBlocks: number): ReplicaSchedulerSettings {
  const p = schedulerFlagPrefix(name);
  const configured = o[`${p}_num_blocks`] as number | null;
  return {
    name,
    batchSizeCap: num(o, `${p}_batch_size_cap`),
    blockSize: num(o, `${p}_block_size`),
    watermarkBlocksFraction: num(o, `${p}_watermark_blocks_fraction`),
    numBlocks: configured ?? plannedBlocks,
    maxTokensInBatch: (o[`${p}_max_tokens_in_batch`] as number | undefined) ?? 4096,
    chunkSize: (o[`${p}_chunk_size`] as number | undefined) ?? 512,
    maxWaitingIters: (o[`${p}_max_waiting_iters`] as number | undefined) ?? 10,
  };
}

/** The workload flags with closed_loop mapped onto synthetic lengths arriving at t = 0. */
function workloadConfig(o: OptionValues): WorkloadConfig {
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
function generatorDrawsOnGlobalStream(o: OptionValues, n: number): number {
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

export function resolveScenario(o: OptionValues, baseDir: string = process.cwd(), inputs: ScenarioInputs = {}): Scenario {
  const model = findModel(o.replica_config_model_name as string);
  const device = findDevice(o.replica_config_device as string);
  const node = findNode(o.replica_config_network_device as string);
  const tp = num(o, "replica_config_tensor_parallel_size");
  const pp = num(o, "replica_config_num_pipeline_stages");
  checkSharding(model, tp, pp);
  const perNode = node.num_devices_per_node;
  if (!(tp * pp < perNode || (tp * pp) % perNode === 0)) {
    throw new InputError(
      `TP ${tp} x PP ${pp} = ${tp * pp} GPUs per replica must be below, or a multiple of, ${node.name}'s ${perNode} devices per node`,
    );
  }
  const schedulerName = o.replica_scheduler_config_type as SchedulerKey;
  const prefix = schedulerFlagPrefix(schedulerName);
  if (schedulerName === "lightllm") {
    if (num(o, `${prefix}_block_size`) !== 1) throw new InputError(`--${prefix}_block_size must be 1 for lightllm (token-level memory)`);
    if (pp !== 1) throw new InputError("lightllm does not support pipeline parallelism (--replica_config_num_pipeline_stages must be 1)");
  }

  const workload = workloadConfig(o);
  const maxTokens = maxTokensForMemoryPlanner(workload);
  checkBatchCap(o, prefix, pp);
  checkBlockSize(o, prefix, maxTokens);
  checkFixedLengths(o);
  const memory = planMemory({
    model, device, tp, pp, maxTokens,
    blockSize: num(o, `${prefix}_block_size`),
    memoryMarginFraction: num(o, "replica_config_memory_margin_fraction"),
    watermarkBlocksFraction: num(o, `${prefix}_watermark_blocks_fraction`),
    batchSizeCap: num(o, `${prefix}_batch_size_cap`),
    numBlocks: (o[`${prefix}_num_blocks`] as number | null) ?? undefined,
  });
  const predictorMaxTokens = num(o, `${PREDICTOR_PREFIX}_prediction_max_tokens_per_request`);
  const maxBatch = num(o, `${PREDICTOR_PREFIX}_prediction_max_batch_size`);
  const maxChunk = num(o, `${PREDICTOR_PREFIX}_prediction_max_prefill_chunk_size`);
  const wholePrompts = schedulerName === "orca" || schedulerName === "faster_transformer";
  // orca and faster_transformer put many whole prompts in one batch: the token grid must cover
  // max_tokens x batch and the prefill key sqrt(sum c^2) up to sqrt(batch) x max chunk. Vidur widens the token
  // grid for orca only (faster_transformer then fails with a KeyError), and neither the chunk grid.
  const grid = {
    maxTokens: wholePrompts ? predictorMaxTokens * maxBatch : predictorMaxTokens,
    maxKv: predictorMaxTokens,
    maxBatch,
    maxChunk: wholePrompts ? Math.ceil(Math.sqrt(maxBatch) * maxChunk) : maxChunk,
    g: num(o, `${PREDICTOR_PREFIX}_kv_cache_prediction_granularity`),
  };
  checkResourceNeeds(o, prefix, pp, grid);
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

  const opTablesDir = (o.op_tables as string | null) ?? undefined;
  const profileDir = (o.profile_dir as string | null) ?? undefined;
  let source = o.predictor as string;
  if (source === "auto") source = opTablesDir ? "op-tables" : profileDir ? "profile" : "roofline";
  if (source === "op-tables" && !opTablesDir) throw new InputError("--predictor op-tables needs --op-tables DIR");
  if (source === "profile" && !profileDir) throw new InputError("--predictor profile needs --profile-dir DIR");
  const opTables = (inputs.opTables ?? buildOpTables)(source, {
    model, device, node, tp, pp,
    ...grid,
    opTablesDir,
    profileDir,
  });

  const globalScheduler = o.global_scheduler_config_type as GlobalSchedulerName;
  const replicas = num(o, "cluster_config_num_replicas");
  const scenario: Scenario = {
    model, device, node,
    numReplicas: replicas,
    tensorParallelSize: tp,
    numPipelineStages: pp,
    globalScheduler,
    replicaScheduler: schedulerSettings(o, schedulerName, memory.numBlocks),
    memory,
    predictor: {
      kvCachePredictionGranularity: num(o, `${PREDICTOR_PREFIX}_kv_cache_prediction_granularity`),
      attentionDecodeBatchingOverheadFraction: num(o, `${PREDICTOR_PREFIX}_attention_decode_batching_overhead_fraction`),
      attentionPrefillBatchingOverheadFraction: num(o, `${PREDICTOR_PREFIX}_attention_prefill_batching_overhead_fraction`),
      ncclCpuLaunchOverheadMs: num(o, `${PREDICTOR_PREFIX}_nccl_cpu_launch_overhead_ms`),
      ncclCpuSkewOverheadPerDeviceMs: num(o, `${PREDICTOR_PREFIX}_nccl_cpu_skew_overhead_per_device_ms`),
    },
    paramsPerDevice: paramsPerDevice(model, tp, pp),
    requests,
    opTables,
    timeLimit: num(o, "time_limit"),
    recordStages: o.metrics_config_enable_chrome_trace === true,
    recordTbt: o.metrics_config_store_token_completion_metrics !== false,
    recordBatches: o.metrics_config_keep_individual_batch_metrics === true,
  };
  if (o.request_generator_config_type === "closed_loop") scenario.closedLoopConcurrency = num(o, "concurrency");
  const power = resolvePowerSettings(o, { model, device, node, tp, pp, timeLimit: num(o, "time_limit") });
  if (power) scenario.power = power;
  if (globalScheduler === "random") {
    // Vidur's synthetic generator re-seeds the global stream with its own seed before drawing
    const streamSeed = o.request_generator_config_type === "synthetic" ? num(o, "synthetic_request_generator_config_seed") : num(o, "seed");
    scenario.routeTable = randomRouteTable(streamSeed, replicas, n, generatorDrawsOnGlobalStream(o, n));
  }
  return scenario;
}
