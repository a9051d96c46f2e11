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
