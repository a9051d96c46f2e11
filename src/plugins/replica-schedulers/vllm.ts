/** vLLM's scheduler as Vidur models it: whole prompts batched under a padded token budget, preemption by restart. */
import { int } from "../../core/descriptor.js";
import { commonSchedulerOptions, replicaScheduler } from "./common.js";

export const vllm = replicaScheduler({
  name: "vllm",
  code: 0,
  prefix: "vllm_scheduler_config",
  doc: "vLLM: whole prompts under a padded token budget (size x longest prompt); decode batches; preempts by restart",
  options: {
    ...commonSchedulerOptions(16),
    max_tokens_in_batch: int({
      default: 4096,
      min: 1,
      max: 1 << 24,
      group: "",
      help: "token budget of a prefill batch (padded: size x longest prompt)",
    }),
  },
  engine: { file: "schedulers/vllm", functions: { nextBatch: "vllmNextBatch" } },
});
