/**
 * Small hand-made scenarios for engine unit tests: a one-layer model whose every batch takes a fixed time
 * (the `add` op costs `stepMs`, all other ops 0), so schedules are easy to reason about.
 */
import type { ModelSpec, OpTables } from "../../src/core/types.js";
import { runEngine } from "../../src/engine/engine.js";
import type { EngineResult } from "../../src/engine/result.js";
import type { ReplicaSchedulerName, Scenario } from "../../src/scenario/types.js";
import { fixedRouteDraws } from "../../src/scenario/route-table.js";

export const TINY_MODEL: ModelSpec = {
  name: "test/tiny",
  num_layers: 2,
  num_q_heads: 4,
  num_kv_heads: 4,
  embedding_dim: 256,
  mlp_hidden_dim: 512,
  max_position_embeddings: 4096,
  use_gated_mlp: true,
  use_bias: false,
  use_qkv_bias: false,
  activation: "silu",
  norm: "rms_norm",
  post_attn_norm: true,
  vocab_size: 1000,
  source: "test",
};

/** Op tables where a batch stage takes stepMs per layer whatever its shape, plus perTokenMs per (ceil8) token. */
export function flatOpTables(stepMs: number, perTokenMs = 0, maxTokens = 8192): OpTables {
  const tokenOp = () => new Float64Array(maxTokens + 1);
  const add = new Float64Array(maxTokens + 1);
  for (let t = 0; t <= maxTokens; t++) add[t] = stepMs + perTokenMs * t;
  const g = 64;
  const kvSteps = maxTokens / g + 1;
  return {
    maxTokens,
    kvGranularity: g,
    tokenOps: {
      attn_pre_proj: tokenOp(),
      attn_post_proj: tokenOp(),
      attn_rope: tokenOp(),
      input_layernorm: tokenOp(),
      mlp_up_proj: tokenOp(),
      mlp_down_proj: tokenOp(),
      mlp_act: tokenOp(),
      post_attention_layernorm: tokenOp(),
      add,
      all_reduce: tokenOp(),
      send_recv: tokenOp(),
    },
    attnKvCacheSave: tokenOp(),
    attnDecode: new Float64Array(256 * kvSteps),
    decodeMaxBatch: 256,
    decodeKvSteps: kvSteps,
    attnPrefill: new Float64Array(kvSteps * maxTokens),
    prefillMaxChunk: maxTokens,
    prefillKvSteps: kvSteps,
    sources: { all: "test" },
  };
}

export interface TinyOptions {
  requests: Array<[arrivedAt: number, prefill: number, decode: number]>;
  scheduler?: ReplicaSchedulerName;
  replicas?: number;
  stages?: number;
  global?: "round_robin" | "lor" | "random";
  numBlocks?: number;
  blockSize?: number;
  batchSizeCap?: number;
  maxTokensInBatch?: number;
  chunkSize?: number;
  plannerMaxBatchSize?: number;
  maxBlocksPerSequence?: number;
  stepMs?: number;
  perTokenMs?: number;
  routeTable?: number[];
  closedLoop?: number;
  recordStages?: boolean;
  /** TBT runs kept exactly before the engine sketches them (default 2M). */
  exactQuantileSamples?: number;
}

export function tinyScenario(o: TinyOptions): Scenario {
  const blockSize = o.blockSize ?? (o.scheduler === "lightllm" ? 1 : 16);
  const n = o.requests.length;
  return {
    model: TINY_MODEL,
    device: { name: "test-gpu", fp16_tflops: 100, total_memory_gb: 80, source: "test" },
    node: { name: "test-node", device: "test-gpu", num_devices_per_node: 8, source: "test" },
    numReplicas: o.replicas ?? 1,
    tensorParallelSize: 1,
    numPipelineStages: o.stages ?? 1,
    globalScheduler: o.global ?? "round_robin",
    replicaScheduler: {
      name: o.scheduler ?? "vllm",
      batchSizeCap: o.batchSizeCap ?? 128,
      blockSize,
      watermarkBlocksFraction: 0.01,
      numBlocks: o.numBlocks ?? 100000,
      maxTokensInBatch: o.maxTokensInBatch ?? 4096,
      chunkSize: o.chunkSize ?? 512,
      maxWaitingIters: 10,
    },
    memory: {
      kvBytesPerRequest: 1,
      paramBytesPerDevice: 1,
      availableBytes: 1,
      maxBatchSize: o.plannerMaxBatchSize ?? 64,
      cappedBatchSize: Math.min(o.plannerMaxBatchSize ?? 64, o.batchSizeCap ?? 128),
      maxRequestSlots: 64,
      numBlocks: o.numBlocks ?? 100000,
      maxBlocksPerSequence: o.maxBlocksPerSequence ?? 256,
      watermarkBlocks: 0,
    },
    predictor: {
      kvCachePredictionGranularity: 64,
      attentionDecodeBatchingOverheadFraction: 0.1,
      attentionPrefillBatchingOverheadFraction: 0.1,
      ncclCpuLaunchOverheadMs: 0.02,
      ncclCpuSkewOverheadPerDeviceMs: 0,
    },
    paramsPerDevice: 1e6,
    requests: {
      arrivedAt: Float64Array.from(o.requests.map((r) => r[0])),
      numPrefillTokens: Int32Array.from(o.requests.map((r) => r[1])),
      numDecodeTokens: Int32Array.from(o.requests.map((r) => r[2])),
    },
    closedLoopConcurrency: o.closedLoop,
    routes: o.routeTable
      ? fixedRouteDraws(Int32Array.from(o.routeTable))
      : o.global === "random"
        ? fixedRouteDraws(new Int32Array(n))
        : undefined,
    opTables: flatOpTables(o.stepMs ?? 10, o.perTokenMs ?? 0),
    timeLimit: 0,
    recordStages: o.recordStages ?? true,
    recordTbt: true,
    exactQuantileSamples: o.exactQuantileSamples ?? 2_000_000,
    recordBatches: true,
  };
}

export function runTiny(o: TinyOptions): EngineResult {
  return runEngine(tinyScenario(o));
}

/** Batches as readable rows: [size, tokens, prefill tokens]. */
export function batchRows(r: EngineResult): Array<[number, number, number]> {
  return Array.from(r.batches.size, (s, i) => [s, r.batches.numTokens[i], r.batches.numPrefillTokens[i]]);
}
