// Replica-scheduler dispatch: the switch itself is generated from the descriptors in src/plugins/replica-schedulers/
// (assembly/generated/replica-schedulers.ts); a new scheduler is its file here plus its descriptor there.
import { batchReqs } from "../batch";
import { dispatchNextBatch, dispatchOnBatchEnd } from "../generated/replica-schedulers";
import { free } from "../kv";
import { isCompleted } from "../request";
import { replicaScheduler, runningList } from "../state";

/** Builds the next batch for replica r; returns its slot or -1. */
export function nextBatch(r: i32): i32 {
  return dispatchNextBatch(replicaScheduler, r);
}

/** Scheduler bookkeeping at batch end. Returns true if the batch slot is kept alive by the scheduler. */
export function onBatchEndScheduler(r: i32, slot: i32): bool {
  const own = dispatchOnBatchEnd(replicaScheduler, r, slot);
  if (own >= 0) return own == 1;
  // default (vllm, sarathi, orca, lightllm): free finished requests, the rest keep running
  const reqs = batchReqs(slot);
  const running = runningList(r);
  for (let i = 0, n = reqs.size; i < n; i++) {
    const req = reqs.at(i);
    if (isCompleted(req)) free(r, req);
    else running.push(req);
  }
  return false;
}
