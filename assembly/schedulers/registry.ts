// Replica-scheduler dispatch: the switch itself is generated from the descriptors in src/plugins/replica-schedulers/
// (assembly/generated/replica-schedulers.ts); a new scheduler is its file here plus its descriptor there.
import { dispatchNextBatch, dispatchOnBatchEnd, hasOwnOnBatchEnd } from "../generated/replica-schedulers";
import { replicaScheduler } from "../state";

/** Builds the next batch for replica r; returns its slot or -1. */
export function nextBatch(r: i32): i32 {
  return dispatchNextBatch(replicaScheduler, r);
}

/**
 * True if the run's scheduler has its own batch-end bookkeeping; otherwise the loop does the default one
 * (free finished requests, the rest keep running) in its pass over the batch (request.endIteration).
 */
export function hasOwnBatchEnd(): bool {
  return hasOwnOnBatchEnd(replicaScheduler);
}

/** The scheduler's own batch-end bookkeeping (hasOwnBatchEnd). Returns true if it keeps the batch slot alive. */
export function onBatchEndScheduler(r: i32, slot: i32): bool {
  return dispatchOnBatchEnd(replicaScheduler, r, slot) == 1;
}
