// Batches as a pool of slots (struct of arrays). A slot lives from the scheduler building it until its last
// stage ends (faster_transformer keeps it longer, until its requests are re-batched).
import { numReplicas, numStages } from "./state";
import { I32List, allocF64, allocI32, loadI32, newI32List, storePtr, storeI32 } from "./vec";

export let bId: usize = 0; // i32 per slot: Vidur batch id (creation order, from 0)
export let bReplica: usize = 0;
export let bTotalTokens: usize = 0;
export let bPrefillTokens: usize = 0;
export let bScheduledAt: usize = 0; // f64
export let bBlockMs: usize = 0; // f64: per-layer block time (ms) without pipeline comm, computed at stage 0
export let bMfuFlops: usize = 0; // f64: FLOPs of one stage (Vidur's MFU numerator)
export let bReqs: usize = 0; // I32List* per slot: request ids
export let bToks: usize = 0; // I32List* per slot: tokens per request this iteration
export let bPendingFree: usize = 0; // I32List* per slot: faster_transformer requests to free with this batch
let freeSlots: I32List = changetype<I32List>(0);
export let numSlots: i32 = 0;
export let nextBatchId: i32 = 0;

export function allocBatchPool(): void {
  // in flight: <= stages per replica, plus faster_transformer's parked batches and one under construction
  numSlots = numReplicas * (2 * numStages + 2) + 2;
  bId = allocI32(numSlots);
  bReplica = allocI32(numSlots);
  bTotalTokens = allocI32(numSlots);
  bPrefillTokens = allocI32(numSlots);
  bScheduledAt = allocF64(numSlots);
  bBlockMs = allocF64(numSlots);
  bMfuFlops = allocF64(numSlots);
  bReqs = heap.alloc(<usize>numSlots * sizeof<usize>());
  bToks = heap.alloc(<usize>numSlots * sizeof<usize>());
  bPendingFree = heap.alloc(<usize>numSlots * sizeof<usize>());
  freeSlots = newI32List(numSlots);
  for (let i = numSlots - 1; i >= 0; i--) {
    storePtr(bReqs, i, changetype<usize>(newI32List(64)));
    storePtr(bToks, i, changetype<usize>(newI32List(64)));
    storePtr(bPendingFree, i, changetype<usize>(newI32List(8)));
    freeSlots.push(i);
  }
  nextBatchId = 0;
}

@inline export function batchReqs(slot: i32): I32List {
  return changetype<I32List>(load<usize>(bReqs + (<usize>slot << alignof<usize>())));
}
@inline export function batchToks(slot: i32): I32List {
  return changetype<I32List>(load<usize>(bToks + (<usize>slot << alignof<usize>())));
}
@inline export function batchPendingFree(slot: i32): I32List {
  return changetype<I32List>(load<usize>(bPendingFree + (<usize>slot << alignof<usize>())));
}
@inline export function batchSize(slot: i32): i32 {
  return batchReqs(slot).size;
}

/** Takes an empty slot for a batch under construction on replica r. */
export function openBatch(r: i32): i32 {
  const slot = freeSlots.popBack();
  batchReqs(slot).clear();
  batchToks(slot).clear();
  batchPendingFree(slot).clear();
  storeI32(bReplica, slot, r);
  storeI32(bTotalTokens, slot, 0);
  storeI32(bPrefillTokens, slot, 0);
  return slot;
}

@inline export function addToBatch(slot: i32, req: i32, tokens: i32): void {
  batchReqs(slot).push(req);
  batchToks(slot).push(tokens);
  storeI32(bTotalTokens, slot, loadI32(bTotalTokens, slot) + tokens);
}

/**
 * Finishes construction: returns the slot with a fresh batch id, or -1 (and frees the slot) if empty.
 * (Its prefill token count is taken at its first stage, in the predictor's pass over the batch: request
 * state cannot change in between.)
 */
export function closeBatch(slot: i32): i32 {
  if (batchReqs(slot).size == 0) {
    releaseBatch(slot);
    return -1;
  }
  storeI32(bId, slot, nextBatchId++);
  return slot;
}

@inline export function releaseBatch(slot: i32): void {
  freeSlots.push(slot);
}
