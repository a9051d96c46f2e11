// Orca: iteration-level batching without paging. Every running request continues; new requests join while a
// worst-case (max_tokens) reservation fits. No preemption.
import { addToBatch, batchSize, closeBatch, openBatch } from "../batch";
import { orcaMaxBatchSize, runningList } from "../state";
import { admitReservingWorstCase, baseNextTokens } from "./common";

export function orcaNextBatch(r: i32): i32 {
  const slot = openBatch(r);
  const running = runningList(r);
  while (running.size > 0) {
    if (batchSize(slot) == orcaMaxBatchSize) break;
    const req = running.popFront();
    addToBatch(slot, req, baseNextTokens(req));
  }
  admitReservingWorstCase(r, slot, orcaMaxBatchSize);
  return closeBatch(slot);
}
