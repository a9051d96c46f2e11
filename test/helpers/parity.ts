/** The Vidur parity scenario (../shared/reference/vidur-parity/codellama34b-tp2) as simulate options. */
import { join } from "node:path";
import type { OptionValues } from "../../src/config/parse.js";

export const PARITY_FIXTURE = "reference/vidur-parity/codellama34b-tp2";

/** CodeLlama-34B, TP2, A100 pairwise NVLink, replaying the fixture's requests.csv. */
export function parityOptions(fixtureDir: string, scheduler: "vllm" | "sarathi", extra: OptionValues = {}): OptionValues {
  return {
    replica_config_model_name: "codellama/CodeLlama-34b-Instruct-hf",
    replica_config_device: "a100",
    replica_config_network_device: "a100_pairwise_nvlink",
    replica_config_tensor_parallel_size: 2,
    replica_scheduler_config_type: scheduler,
    request_generator_config_type: "trace_replay",
    trace_request_generator_config_trace_file: join(fixtureDir, "requests.csv"),
    ...extra,
  };
}

/** The flags Vidur generated the fixture's requests.csv with (zipf lengths, Poisson arrivals at 4 QPS, seed 42). */
export const PARITY_WORKLOAD: OptionValues = {
  request_generator_config_type: "synthetic",
  length_generator_config_type: "zipf",
  zipf_request_length_generator_config_theta: 0.6,
  zipf_request_length_generator_config_min_tokens: 1024,
  zipf_request_length_generator_config_max_tokens: 4096,
  zipf_request_length_generator_config_prefill_to_decode_ratio: 20,
  interval_generator_config_type: "poisson",
  poisson_request_interval_generator_config_qps: 4,
  synthetic_request_generator_config_seed: 42,
  synthetic_request_generator_config_num_requests: 2000,
};
