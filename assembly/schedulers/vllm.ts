// vLLM: prefill-first. New requests are admitted FIFO (padded-token budget, watermark, batch cap); only when
// none can be admitted do running requests decode, preempting the latest-arrived ones when blocks run out.
import { addToBatch, batchSize, closeBatch, openBatch } from "../batch";
import { mapSize } from "../kv";
import { admitFull, maxMicroBatchSize, maxTokensInBatch, runningList, waitingQueue, admitted } from "../state";
import { allocatePaged, baseNextTokens, canAllocatePaged, makeRoomOrPreempt, sortByArrival } from "./common";

export function vllmNextBatch(r: i32): i32 {
  const slot = openBatch(r);
  const queue = waitingQueue(r);
  let maxTokens = 0;
  while (queue.len > 0) {
    const req = admitted(queue.front(), r);
    const next = baseNextTokens(req);
    if (!canAllocatePaged(r, req)) break;
    const padded = next > maxTokens ? next : maxTokens;
    if ((batchSize(slot) + 1) * padded > maxTokensInBatch) break;
    if (admitFull(r, mapSize(r))) break; // batch cap: the configured one or a controller's
    if (batchSize(slot) == maxMicroBatchSize) break;
    queue.popFront();
    allocatePaged(r, req);
    addToBatch(slot, req, next);
    maxTokens = padded;
  }
  if (batchSize(slot) > 0) return closeBatch(slot);

  const running = runningList(r);
  sortByArrival(running);
  while (running.size > 0) {
    if (batchSize(slot) == maxMicroBatchSize) break;
    const req = running.popFront();
    if (makeRoomOrPreempt(r, req, running)) {
      allocatePaged(r, req);
      addToBatch(slot, req, baseNextTokens(req));
    }
  }
  return closeBatch(slot);
}
