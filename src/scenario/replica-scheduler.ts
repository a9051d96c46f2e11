/**
 * Scenario step 2: the replica scheduler — its descriptor and its own option values (validated against what
 * it supports), and, once the memory planner has run, the settings the engine reads.
 *
 * @example
 * resolveReplicaScheduler(options, 1).own.chunk_size; // 512 with sarathi's defaults
 */
import type { Options } from "../config/options.js";
import { InputError } from "../core/errors.js";
import { replicaSchedulerByName, type ReplicaScheduler } from "../plugins/replica-schedulers/index.js";
import type { ReplicaSchedulerSettings } from "./types.js";

/** The options every replica scheduler has (commonSchedulerOptions) plus any of its own, unprefixed. */
export interface SchedulerOptionValues {
  batch_size_cap: number;
  block_size: number;
  watermark_blocks_fraction: number;
  num_blocks: number | null;
  [key: string]: unknown;
}

export interface ChosenScheduler {
  scheduler: ReplicaScheduler;
  own: SchedulerOptionValues;
}

export function resolveReplicaScheduler(o: Options, pp: number): ChosenScheduler {
  const scheduler = replicaSchedulerByName(o.replica_scheduler_config_type);
  const values: Record<string, unknown> = {};
  // the option table is keyed `${prefix}_${key}` for every scheduler (src/config/options.ts)
  for (const key of Object.keys(scheduler.options)) values[key] = (o as unknown as Record<string, unknown>)[`${scheduler.prefix}_${key}`];
  const own = values as SchedulerOptionValues;
  if (scheduler.name === "lightllm") {
    if (own.block_size !== 1) throw new InputError(`--${scheduler.prefix}_block_size must be 1 for lightllm (token-level memory)`);
    if (pp !== 1) throw new InputError("lightllm does not support pipeline parallelism (--replica_config_num_pipeline_stages must be 1)");
  }
  return { scheduler, own };
}

/** What the engine reads of the scheduler; options a scheduler lacks take the engine's neutral defaults. */
export function schedulerSettings({ scheduler, own }: ChosenScheduler, plannedBlocks: number): ReplicaSchedulerSettings {
  const n = (key: string, fallback: number): number => (own[key] as number | undefined) ?? fallback;
  return {
    name: scheduler.name,
    batchSizeCap: own.batch_size_cap,
    blockSize: own.block_size,
    watermarkBlocksFraction: own.watermark_blocks_fraction,
    numBlocks: own.num_blocks ?? plannedBlocks,
    maxTokensInBatch: n("max_tokens_in_batch", 4096),
    chunkSize: n("chunk_size", 512),
    maxWaitingIters: n("max_waiting_iters", 10),
  };
}
