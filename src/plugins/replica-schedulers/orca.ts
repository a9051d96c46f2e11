/** Orca: iteration-level scheduling of whole prompts and decodes, up to the planner's batch size. */
import { commonSchedulerOptions, replicaScheduler } from "./common.js";

export const orca = replicaScheduler({
  name: "orca",
  code: 2,
  prefix: "orca_scheduler_config",
  doc: "Orca: iteration-level batching of whole prompts and decodes up to min(batch cap, planner batch size)",
  options: commonSchedulerOptions(16),
  engine: { file: "schedulers/orca", functions: { nextBatch: "orcaNextBatch" } },
});
