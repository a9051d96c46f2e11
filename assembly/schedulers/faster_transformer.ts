// FasterTransformer: request-level (static) batching. A batch re-runs until all its requests finish; a new
// batch forms only when none is pending. Requests that finish early keep their worst-case reservation until
// the whole batch ends (Vidur intends this through _pending_free_map but never fills it, leaking those
// blocks; we free them with the batch — see docs/vidur-deviations.md).
import { addToBatch, batchPendingFree, batchReqs, closeBatch, openBatch, releaseBatch } from "../batch";
import { free } from "../kv";
import { isCompleted } from "../request";
import { orcaMaxBatchSize, pendingBatches } from "../state";
import { admitReservingWorstCase, baseNextTokens } from "./common";

export function fasterTransformerNextBatch(r: i32): i32 {
  const parked = pendingBatches(r);
  if (parked.len > 0) {
    const old = parked.popFront();
    const slot = openBatch(r);
    const reqs = batchReqs(old);
    const carry = batchPendingFree(slot);
    for (let i = 0, n = reqs.size; i < n; i++) {
      const req = reqs.at(i);
      if (isCompleted(req)) carry.push(req);
      else addToBatch(slot, req, baseNextTokens(req));
    }
    const oldCarry = batchPendingFree(old);
    for (let i = 0, n = oldCarry.size; i < n; i++) carry.push(oldCarry.at(i));
    releaseBatch(old);
    return closeBatch(slot);
  }
  const slot = openBatch(r);
  admitReservingWorstCase(r, slot, orcaMaxBatchSize);
  return closeBatch(slot);
}

/** Returns true if the slot stays alive (parked for the next iteration of the same batch). */
export function fasterTransformerOnBatchEnd(r: i32, slot: i32): bool {
  const reqs = batchReqs(slot);
  let allDone = true;
  for (let i = 0, n = reqs.size; i < n; i++) if (!isCompleted(reqs.at(i))) { allDone = false; break; }
  if (!allDone) {
    pendingBatches(r).pushBack(slot);
    return true;
  }
  for (let i = 0, n = reqs.size; i < n; i++) free(r, reqs.at(i));
  const carry = batchPendingFree(slot);
  for (let i = 0, n = carry.size; i < n; i++) free(r, carry.at(i));
  return false;
}
