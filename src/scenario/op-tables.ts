/**
 * Scenario step 5: the op tables (ms per layer per TP worker) from the chosen predictor source, on a grid
 * wide enough for the scheduler's batches.
 *
 * @example
 * resolveOpTables(options, cluster, "sarathi").maxTokens; // 4096 with the defaults
 */
import type { Options } from "../config/options.js";
import { InputError } from "../core/errors.js";
import type { OpTables } from "../core/types.js";
import { buildOpTables, type PredictorOptions } from "../predictor/index.js";
import type { Cluster } from "./cluster.js";

export type BuildOpTables = (source: string, opts: PredictorOptions) => OpTables;

/** --predictor auto: op tables if given, else profiles if given, else the roofline. */
export function predictorSource(o: Options): string {
  const source: string = o.predictor;
  if (source === "auto") return o.op_tables ? "op-tables" : o.profile_dir ? "profile" : "roofline";
  if (source === "op-tables" && !o.op_tables) throw new InputError("--predictor op-tables needs --op-tables DIR");
  if (source === "profile" && !o.profile_dir) throw new InputError("--predictor profile needs --profile-dir DIR");
  return source;
}

export function resolveOpTables(o: Options, cluster: Cluster, scheduler: string, build: BuildOpTables = buildOpTables): OpTables {
  const { model, device, node, tp, pp } = cluster;
  const maxTokens = o.random_forrest_execution_time_predictor_config_prediction_max_tokens_per_request;
  const maxBatch = o.random_forrest_execution_time_predictor_config_prediction_max_batch_size;
  const maxChunk = o.random_forrest_execution_time_predictor_config_prediction_max_prefill_chunk_size;
  const wholePrompts = scheduler === "orca" || scheduler === "faster_transformer";
  return build(predictorSource(o), {
    model, device, node, tp, pp,
    // orca and faster_transformer put many whole prompts in one batch: the token grid must cover
    // max_tokens x batch and the prefill key sqrt(sum c^2) up to sqrt(batch) x max chunk. Vidur widens the token
    // grid for orca only (faster_transformer then fails with a KeyError), and neither the chunk grid.
    maxTokens: wholePrompts ? maxTokens * maxBatch : maxTokens,
    maxKv: maxTokens,
    maxBatch,
    maxChunk: wholePrompts ? Math.ceil(Math.sqrt(maxBatch) * maxChunk) : maxChunk,
    g: o.random_forrest_execution_time_predictor_config_kv_cache_prediction_granularity,
    opTablesDir: o.op_tables ?? undefined,
    profileDir: o.profile_dir ?? undefined,
  });
}
