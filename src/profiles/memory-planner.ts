/**
 * Vidur's memory planner (vidur/scheduler/utils/memory_planner.py, spec §5.1): how many request slots and KV
 * blocks fit on a device after the weights, reserving `max_tokens` of KV per slot for *all* layers (even with PP,
 * as Vidur does — issue #18).
 *
 * @example
 * planMemory({ model: findModel("llama-2-7b"), device: findDevice("a100"), tp: 1, pp: 1, maxTokens: 4096 })
 * // { maxBatchSize: 29, maxRequestSlots: 29, numBlocks: 7424, watermarkBlocks: 74, ... }
 */
import { InputError } from "../core/errors.js";
import type { DeviceSpec, ModelSpec } from "../core/types.js";
import { paramsPerDevice } from "./param-counter.js";

export interface MemoryPlanInput {
  model: ModelSpec;
  device: DeviceSpec;
  tp: number;
  pp: number;
  /** Longest request (prefill + decode) the planner reserves per slot (Vidur's generator max_tokens). */
  maxTokens: number;
  /** Vidur default 16. */
  blockSize?: number;
  /** Vidur default 0.1. */
  memoryMarginFraction?: number;
  /** Vidur default 0.01 (vLLM / Sarathi watermark). */
  watermarkBlocksFraction?: number;
  /** Vidur default 128; only affects `cappedBatchSize`. */
  batchSizeCap?: number;
  /** An explicit --…num_blocks overrides the derived count. */
  numBlocks?: number;
}

export interface MemoryPlan {
  kvBytesPerRequest: number;
  paramBytesPerDevice: number;
  /** total_memory_gb · 2³⁰ · (1 − margin). */
  availableBytes: number;
  /** Planner's batch size per stage (uncapped). */
  maxBatchSize: number;
  /** min(maxBatchSize, batchSizeCap): what orca / FasterTransformer use. */
  cappedBatchSize: number;
  maxRequestSlots: number;
  numBlocks: number;
  maxBlocksPerSequence: number;
  watermarkBlocks: number;
}

const GB = 1024 ** 3;

export function planMemory(input: MemoryPlanInput): MemoryPlan {
  const { model, device, tp, pp, maxTokens } = input;
  const blockSize = input.blockSize ?? 16;
  const margin = input.memoryMarginFraction ?? 0.1;
  if (!Number.isInteger(maxTokens) || maxTokens < 1)
    throw new InputError(`max tokens per request must be a positive integer, got ${maxTokens}`);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new InputError(`block size must be a positive integer, got ${blockSize}`);
  if (!(margin >= 0 && margin < 1)) throw new InputError(`memory margin fraction must be in [0, 1), got ${margin}`);

  const headDim = model.embedding_dim / model.num_q_heads;
  const kvBytesPerRequest = 2 * 2 * headDim * Math.ceil(model.num_kv_heads / tp) * maxTokens * model.num_layers;
  const paramBytesPerDevice = 2 * paramsPerDevice(model, tp, pp);
  const availableBytes = device.total_memory_gb * GB * (1 - margin);
  const free = availableBytes - paramBytesPerDevice;
  if (free <= 0) {
    throw new InputError(
      `${model.name} with TP ${tp} × PP ${pp} needs ${gb(paramBytesPerDevice)} GB of weights per device, ` +
        `more than the ${gb(availableBytes)} GB available on ${device.name} (${device.total_memory_gb} GB × ${1 - margin}); use more TP/PP or a larger device`,
    );
  }
  const maxBatchSize = Math.floor(free / kvBytesPerRequest);
  if (maxBatchSize <= 0) {
    throw new InputError(
      `not enough memory for a single request: ${gb(free)} GB left for KV cache on ${device.name} after ${gb(paramBytesPerDevice)} GB of weights, ` +
        `one ${maxTokens}-token request needs ${gb(kvBytesPerRequest)} GB; lower max tokens or use more TP`,
    );
  }
  const maxRequestSlots = maxBatchSize * pp;
  const maxBlocksPerSequence = Math.floor(maxTokens / blockSize);
  const numBlocks = input.numBlocks ?? maxBlocksPerSequence * maxRequestSlots;
  return {
    kvBytesPerRequest,
    paramBytesPerDevice,
    availableBytes,
    maxBatchSize,
    cappedBatchSize: Math.min(maxBatchSize, input.batchSizeCap ?? 128),
    maxRequestSlots,
    numBlocks,
    maxBlocksPerSequence,
    watermarkBlocks: Math.floor((input.watermarkBlocksFraction ?? 0.01) * numBlocks),
  };
}

function gb(bytes: number): string {
  return (bytes / GB).toFixed(2);
}
