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
import { checkOpTableGrid, checkReplicaState } from "./engine-limits.js";

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
    throw new InputError(
      `--${prefix}_batch_size_cap ${cap} must be at least --replica_config_num_pipeline_stages ${pp} (one request per stage's micro-batch)`,
    );
  }
}

/** Replica state and op-table grid sizes against the engine's 4 GiB, before allocating either. */
export function checkResourceNeeds(
  o: OptionValues,
  prefix: string,
  pp: number,
  grid: { maxTokens: number; maxKv: number; maxBatch: number; maxChunk: number; g: number },
): void {
  checkReplicaState(num(o, "cluster_config_num_replicas"), pp, num(o, `${prefix}_batch_size_cap`), `${prefix}_batch_size_cap`);
  checkOpTableGrid(grid, PREDICTOR_PREFIX);
}

/** Power-timeline buckets per replica one run may hold (16 bytes each: 800 MB at 16,384 replicas x 3,000). */
export const MAX_TIMELINE_BUCKETS = 50_000_000;

/**
 * The energy timeline has one bucket per --power_resolution per replica up to the last arrival or the time
 * limit: refuse spans that would need more than MAX_TIMELINE_BUCKETS (e.g. a qps of 1e-300 puts arrivals at
 * 1e300 s), naming the numbers, before the engine allocates them.
 */
export function checkTimelineSpan(o: OptionValues, lastArrivalS: number): void {
  if (o.energy === false) return;
  const res = (o.power_resolution as number | undefined) ?? 1;
  const span = Math.max(lastArrivalS, num(o, "time_limit") || 0);
  const buckets = (span / res) * num(o, "cluster_config_num_replicas");
  if (buckets <= MAX_TIMELINE_BUCKETS) return;
  throw new InputError(
    `the workload spans ${span.toPrecision(4)} s of simulated time (last arrival or --time_limit), which at --power_resolution ${res} s is ` +
      `${buckets.toPrecision(3)} power-timeline buckets (replicas x span / resolution; at most ${MAX_TIMELINE_BUCKETS}); raise --power_resolution, ` +
      `raise the arrival rate, or run with --no-energy`,
  );
}

/** A duration-bounded synthetic workload's expected request count, checked before it is generated. */
export function expectedDurationRequests(o: OptionValues): number | undefined {
  const duration = o.synthetic_request_generator_config_duration as number | null | undefined;
  if (duration == null || o.request_generator_config_type !== "synthetic") return undefined;
  const kind = o.interval_generator_config_type;
  const qps =
    kind === "poisson"
      ? num(o, "poisson_request_interval_generator_config_qps")
      : kind === "gamma"
        ? num(o, "gamma_request_interval_generator_config_qps")
        : undefined;
  return qps === undefined ? undefined : Math.floor(duration * qps);
}
