/** Sarathi-Serve: chunked prefills piggybacked on decodes under a per-iteration token budget. */
import { int } from "../../core/descriptor.js";
import { commonSchedulerOptions, replicaScheduler } from "./common.js";

export const sarathi = replicaScheduler({
  name: "sarathi",
  code: 1,
  prefix: "sarathi_scheduler_config",
  doc: "Sarathi-Serve: chunked prefills piggybacked on decodes under a per-iteration token budget (Vidur's default)",
  options: {
    ...commonSchedulerOptions(16),
    chunk_size: int({ default: 512, min: 1, max: 1 << 20, group: "", help: "token budget per iteration (chunked prefill)" }),
  },
  engine: { file: "schedulers/sarathi", functions: { nextBatch: "sarathiNextBatch" } },
});
