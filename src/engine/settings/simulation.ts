/** Engine settings of the serving simulation: workload size, cluster shape, schedulers, recording switches. */
import { GLOBAL_SCHEDULERS } from "../../plugins/global-schedulers.js";
import { replicaSchedulerByName } from "../../plugins/replica-schedulers/index.js";
import { requestCount, type Scenario } from "../../scenario/types.js";
import { group, setting } from "./types.js";

const globalCode = (s: Scenario): number => GLOBAL_SCHEDULERS.find((g) => g.name === s.globalScheduler)!.code;
/** The chosen replica scheduler's own flag: `*` stands for its name (engine errors substitute it). */
const rs = "*_scheduler_config_";

export const simulationSettings = group("simulation", (s: Scenario) => s, [
  setting("i32", "numRequests", "requests in the workload", (s) => requestCount(s)),
  setting(
    "i32",
    "numInitialArrivals",
    "open loop: = numRequests; closed loop: = concurrency (first arrivals)",
    (s) => (s.closedLoopConcurrency ? Math.min(s.closedLoopConcurrency, requestCount(s)) : requestCount(s)),
    "concurrency",
  ),
  setting(
    "bool",
    "closedLoop",
    "each completion releases the next request",
    (s) => Boolean(s.closedLoopConcurrency),
    "request_generator_config_type",
  ),
  setting("i32", "numReplicas", "model replicas", (s) => s.numReplicas, "cluster_config_num_replicas"),
  setting("i32", "numStages", "pipeline stages per replica", (s) => s.numPipelineStages, "replica_config_num_pipeline_stages"),
  setting("i32", "globalScheduler", "global scheduler code (src/plugins/global-schedulers.ts)", globalCode, "global_scheduler_config_type"),
  setting(
    "i32",
    "replicaScheduler",
    "replica scheduler code (src/plugins/replica-schedulers/)",
    (s) => replicaSchedulerByName(s.replicaScheduler.name).code,
    "replica_scheduler_config_type",
  ),
  setting("i32", "batchSizeCap", "requests in a replica's running set", (s) => s.replicaScheduler.batchSizeCap, `${rs}batch_size_cap`),
  setting("i32", "blockSize", "KV-cache block size in tokens", (s) => s.replicaScheduler.blockSize, `${rs}block_size`),
  setting("i32", "numBlocks", "KV-cache blocks per replica", (s) => s.replicaScheduler.numBlocks, `${rs}num_blocks`),
  setting(
    "f64",
    "watermarkFraction",
    "fraction of blocks kept free when admitting",
    (s) => s.replicaScheduler.watermarkBlocksFraction,
    `${rs}watermark_blocks_fraction`,
  ),
  setting(
    "i32",
    "maxTokensInBatch",
    "vllm / lightllm prefill token budget",
    (s) => s.replicaScheduler.maxTokensInBatch,
    `${rs}max_tokens_in_batch`,
  ),
  setting("i32", "chunkSize", "sarathi token budget per iteration", (s) => s.replicaScheduler.chunkSize, `${rs}chunk_size`),
  setting(
    "i32",
    "maxWaitingIters",
    "lightllm decode iterations between prefill attempts",
    (s) => s.replicaScheduler.maxWaitingIters,
    `${rs}max_waiting_iters`,
  ),
  setting("i32", "plannerMaxBatchSize", "the memory planner's batch size (orca, faster_transformer)", (s) => s.memory.maxBatchSize),
  setting("i32", "maxBlocksPerSequence", "blocks one request may hold", (s) => s.memory.maxBlocksPerSequence),
  setting("f64", "timeLimit", "simulated seconds to stop at, 0 = none", (s) => s.timeLimit, "time_limit"),
  setting(
    "bool",
    "recordStages",
    "keep one record per batch stage (chrome trace, timelines)",
    (s) => s.recordStages,
    "metrics_config_enable_chrome_trace",
  ),
  setting("bool", "recordTbt", "keep time-between-tokens samples", (s) => s.recordTbt, "metrics_config_store_token_completion_metrics"),
  setting(
    "i32",
    "tbtExactRuns",
    "TBT runs kept exactly; past it samples go to a DDSketch",
    (s) => s.exactQuantileSamples,
    "metrics_config_exact_quantile_samples",
  ),
  setting(
    "bool",
    "recordBatches",
    "keep one record per batch (batch_metrics)",
    (s) => s.recordBatches,
    "metrics_config_keep_individual_batch_metrics",
  ),
]);
