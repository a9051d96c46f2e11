/**
 * The calibration workload for the roofline power curve, and its targets: Llama-3.1-8B on one H100 SXM serving
 * chat-like requests in a closed loop, as ML.ENERGY Leaderboard v3 measured it (validation-data.md). Shared by
 * the calibration script (src/cli/calibrate.ts), benchmark (bench/energy.mjs) and the acceptance test (test/energy/ml-energy.test.ts).
 *
 * @example
 * simulate(resolveOptions(mlEnergyWorkload(64, 1280))).summary.energy.avg_power_w_per_gpu; // ≈ 610 W
 */
import type { OptionValues } from "../config/parse.js";

/** ML.ENERGY v3, vLLM, H100 SXM, lm-arena-chat: per-GPU power and J per output token by concurrency. */
export const ML_ENERGY_TARGETS: ReadonlyArray<{ concurrency: number; watts: number; joulesPerOutputToken: number }> = [
  { concurrency: 8, watts: 486, joulesPerOutputToken: 0.455 },
  { concurrency: 64, watts: 610, joulesPerOutputToken: 0.119 },
  { concurrency: 256, watts: 690, joulesPerOutputToken: 0.077 },
];

/** ML.ENERGY v3, same runs: median inter-token latency (ms) at the average batch (≈ concurrency). */
export const ML_ENERGY_ITL_TARGETS: ReadonlyArray<{ concurrency: number; itlMs: number }> = [
  { concurrency: 8, itlMs: 7.32 },
  { concurrency: 64, itlMs: 11.5 },
  { concurrency: 256, itlMs: 26.13 },
  { concurrency: 512, itlMs: 47.41 },
];

/**
 * Simulate options: closed loop at `concurrency`, uniform 256–2048-token requests with P:D 1, Sarathi with
 * 2048-token chunks (vLLM V1 mixes chunked prefills into decode batches the same way), roofline predictor.
 */
export function mlEnergyWorkload(concurrency: number, numRequests: number): OptionValues {
  return {
    replica_config_model_name: "meta-llama/Meta-Llama-3.1-8B",
    replica_config_device: "h100",
    replica_config_network_device: "h100_dgx",
    replica_scheduler_config_type: "sarathi",
    sarathi_scheduler_config_batch_size_cap: 512,
    sarathi_scheduler_config_chunk_size: 2048,
    random_forrest_execution_time_predictor_config_prediction_max_batch_size: 512,
    request_generator_config_type: "closed_loop",
    concurrency,
    synthetic_request_generator_config_num_requests: numRequests,
    length_generator_config_type: "uniform",
    uniform_request_length_generator_config_min_tokens: 256,
    uniform_request_length_generator_config_max_tokens: 2048,
    uniform_request_length_generator_config_prefill_to_decode_ratio: 1,
  };
}
