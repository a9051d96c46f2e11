/** Small, fast scenarios for the energy tests. */
import { resolveOptions, type Options } from "../../src/config/parse.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import type { Scenario } from "../../src/scenario/types.js";

export const SMALL: Record<string, unknown> = {
  replica_scheduler_config_type: "vllm",
  synthetic_request_generator_config_num_requests: 40,
  length_generator_config_type: "uniform",
  uniform_request_length_generator_config_min_tokens: 64,
  uniform_request_length_generator_config_max_tokens: 512,
  uniform_request_length_generator_config_prefill_to_decode_ratio: 2,
  poisson_request_interval_generator_config_qps: 4,
  random_forrest_execution_time_predictor_config_prediction_max_tokens_per_request: 1024,
  random_forrest_execution_time_predictor_config_prediction_max_prefill_chunk_size: 1024,
  metrics_config_enable_chrome_trace: true,
  metrics_config_keep_individual_batch_metrics: true,
};

export function options(extra: Record<string, unknown> = {}): Options {
  return resolveOptions({ ...SMALL, ...extra });
}

export function scenario(extra: Record<string, unknown> = {}): Scenario {
  return resolveScenario(options(extra));
}

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

export const sum = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s;
};
