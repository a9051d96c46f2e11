/** LightLLM: token-level KV memory, prefills admitted every max_waiting_iters decode iterations. */
import { int } from "../../core/descriptor.js";
import { commonSchedulerOptions, replicaScheduler } from "./common.js";

export const lightllm = replicaScheduler({
  name: "lightllm",
  code: 4,
  prefix: "lightllm_scheduler_config",
  doc: "LightLLM: token-level KV memory (block size 1); prefills every max_waiting_iters decode iterations",
  options: {
    ...commonSchedulerOptions(1, "KV-cache block size in tokens (lightllm: must be 1)"),
    max_tokens_in_batch: int({ default: 4096, min: 1, max: 1 << 24, group: "", help: "token budget of a prefill batch (summed)" }),
    max_waiting_iters: int({ default: 10, min: 1, max: 1 << 20, group: "", help: "decode iterations between prefill attempts" }),
  },
  engine: { file: "schedulers/lightllm", functions: { nextBatch: "lightllmNextBatch" } },
});
