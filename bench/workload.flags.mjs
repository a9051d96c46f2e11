/**
 * Vidur's benchmark workload as simulate flags (Llama-2-7B on an A100, zipf lengths, Poisson arrivals at
 * 20 QPS), shared by bench/run.mjs and bench/ab.mjs so both measure the same runs.
 *
 * @example
 * benchmarkWorkload(100_000, "vllm"); // ["--replica_config_model_name", "meta-llama/Llama-2-7b-hf", …]
 */
export const benchmarkWorkload = (n, scheduler) => [
  "--replica_config_model_name",
  "meta-llama/Llama-2-7b-hf",
  "--replica_config_device",
  "a100",
  "--replica_scheduler_config_type",
  scheduler,
  "--length_generator_config_type",
  "zipf",
  "--interval_generator_config_type",
  "poisson",
  "--poisson_request_interval_generator_config_qps",
  "20",
  "--synthetic_request_generator_config_num_requests",
  String(n),
];
