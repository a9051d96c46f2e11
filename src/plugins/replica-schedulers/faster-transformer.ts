/** FasterTransformer: request-level batching; a batch runs until all of its requests finish. */
import { commonSchedulerOptions, replicaScheduler } from "./common.js";

export const fasterTransformer = replicaScheduler({
  name: "faster_transformer",
  code: 3,
  prefix: "faster_transformer_scheduler_config",
  doc: "FasterTransformer: request-level batching; a batch keeps its slot until every request in it finishes",
  options: commonSchedulerOptions(16),
  engine: {
    file: "schedulers/faster_transformer",
    functions: { nextBatch: "fasterTransformerNextBatch", onBatchEnd: "fasterTransformerOnBatchEnd" },
  },
});
