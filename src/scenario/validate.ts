/**
 * Checks between options that each look valid alone but cannot run together, made on the host before
 * anything is generated or allocated, so the user sees the flags and numbers instead of an engine status
 * ("invalid configuration value in slot 8") or an op-table range. One function per concern.
 *
 * @example
 * checkBlockSize(o, "sarathi_scheduler_config", 4096); // throws for --sarathi_scheduler_config_block_size 8192
 */
import { PREDICTOR_PREFIX } from "../config/options.js";
import type { OptionValues } from "../config/parse.js";
import { InputError } from "../core/errors.js";
import { checkOpTableGrid, checkReplicaState } from "../engine/limits.js";

const num = (o: OptionValues, k: string): number => o[k] as number;

/** A KV block larger than the longest request leaves the planner 0 blocks per sequence (and 0 blocks in all). */
export function checkBlockSize(o: OptionValues, prefix: string, maxTokens: number): void {
  const bs = num(o, `${prefix}_block_size`);
  if (bs > maxTokens) {
    throw new InputError(
      `--${prefix}_block_size ${bs} is larger than the longest request the memory planner reserves (${maxTokens} tokens, the length ` +
        `generator's max_tokens), which leaves no KV block per request; use a block size <= ${maxTokens} (Vidur's default is 16)`,
    );
  }
}

/** Each pipeline stage needs a micro-batch of at least one request. */
export function checkBatchCap(o: OptionValues, prefix: string, pp: number): void {
  const cap = num(o, `${prefix}_batch_size_cap`);
  if (cap < pp) {
    throw new InputError(`--${prefix}_batch_size_cap ${cap} must be at least --replica_config_num_pipeline_stages ${pp} (one request per stage's micro-batch)`);
  }
}

/** Fixed lengths longer than their own max_tokens overrun the planner's reservation and the op tables. */
export function checkFixedLengths(o: OptionValues): void {
  if (o.request_generator_config_type === "trace_replay" || o.length_generator_config_type !== "fixed") return;
  const p = num(o, "fixed_request_length_generator_config_prefill_tokens");
  const d = num(o, "fixed_request_length_generator_config_decode_tokens");
  const max = num(o, "fixed_request_length_generator_config_max_tokens");
  if (p + d > max) {
    throw new InputError(
      `--fixed_request_length_generator_config_prefill_tokens ${p} + --fixed_request_length_generator_config_decode_tokens ${d} = ${p + d} tokens ` +
        `exceed --fixed_request_length_generator_config_max_tokens ${max}, the longest request memory and op tables are sized for; ` +
        `shorten the requests or raise max_tokens (and --${PREDICTOR_PREFIX}_prediction_max_tokens_per_request)`,
    );
  }
}

/** Replica state and op-table grid sizes against the engine's 4 GiB, before allocating either. */
export function checkResourceNeeds(
  o: OptionValues, prefix: string, pp: number, grid: { maxTokens: number; maxKv: number; maxBatch: number; maxChunk: number; g: number },
): void {
  checkReplicaState(num(o, "cluster_config_num_replicas"), pp, num(o, `${prefix}_batch_size_cap`), `${prefix}_batch_size_cap`);
  checkOpTableGrid(grid, PREDICTOR_PREFIX);
}
