// Orca: iteration-level batching without paging. Every running request continues; new requests join while a
// worst-case (max_tokens) reservation fits. No preemption.
import { addToBatch, batchSize, closeBatch, openBatch } from "../batch";
import { allocate, canAllocate } from "../kv";
import { maxBlocksPerSequence, orcaMaxBatchSize, runningList, waitingQueue } from "../state";
import { baseNextTokens } from "./common";

export function orcaNextBatch(r: i32): i32 {
  const slot = openBatch(r);
  const running = runningList(r);
  while (running.size > 0) {
    if (batchSize(slot) == orcaMaxBatchSize) break;
    const req = running.popFront();
    addToBatch(slot, req, baseNextTokens(req));
  }
  const queue = waitingQueue(r);
  while (queue.len > 0) {
    if (batchSize(slot) == orcaMaxBatchSize) break;
    if (!canAllocate(r, maxBlocksPerSequence)) break;
    const req = queue.popFront();
    allocate(r, req, maxBlocksPerSequence);
    addToBatch(slot, req, baseNextTokens(req));
  }
  return closeBatch(slot);
}
