// Pieces shared by the replica schedulers: Vidur's base token rule, the vLLM-family paged allocation with a
// watermark, preemption by recomputation of the latest-arrived running request, and stable FIFO ordering.
import * as abi from "../abi";
import { addToBatch, batchSize } from "../batch";
import { addBlock, allocate, blocksOf, canAllocate, free, inMap, mapSize } from "../kv";
import { count } from "../metrics";
import { decodeTokens, isPrefillComplete, prefillTokens, processedTokens, restart } from "../request";
import {
  admitFull, arrivedAt, blockSize, replicasCapped, maxBlocksPerSequence, numBlocks, rAllocated, waitingQueue, watermarkBlocks, admitted,
} from "../state";
import { I32List, loadI32, newI32List } from "../vec";

/** Base rule: 1 token once the prefill is complete, else the whole prompt. */
@inline export function baseNextTokens(req: i32): i32 {
  return isPrefillComplete(req) ? 1 : prefillTokens(req);
}

@inline function ceilDiv(a: i32, b: i32): i32 {
  return (a + b - 1) / b;
}

/** vLLM/Sarathi: a new request needs all its prompt blocks above the watermark; a running one needs one free block. */
@inline export function canAllocatePaged(r: i32, req: i32): bool {
  const free = numBlocks - loadI32(rAllocated, r);
  if (!inMap(req)) return free - ceilDiv(prefillTokens(req), blockSize) >= watermarkBlocks;
  return free >= 1;
}

/** vLLM/Sarathi: allocate the prompt's blocks for a new request, or one more block when the last is full. */
@inline export function allocatePaged(r: i32, req: i32): void {
  const held = blocksOf(req);
  if (held < 0) {
    allocate(r, req, ceilDiv(prefillTokens(req), blockSize));
    return;
  }
  // a running request (the hot case, inline): one more block when its last one is full
  if (processedTokens(req) - held * blockSize > 0) addBlock(r, req, held); // Vidur asserts required is 0 or 1
}

/** Preempts `req` by recomputation: restart, free its blocks, put it at the head of the waiting queue. */
export function preempt(r: i32, req: i32): void {
  restart(req);
  free(r, req);
  waitingQueue(r).pushFront(req);
  count(abi.CNT_RESTARTS);
}

/**
 * Vidur's victim loop for a running request: while it cannot get a block, restart the latest running request
 * (the back of `running`); if none is left, restart `req` itself. Returns true if `req` may be allocated.
 */
@inline export function makeRoomOrPreempt(r: i32, req: i32, running: I32List): bool {
  return canAllocatePaged(r, req) || preemptUntilRoom(r, req, running); // the check inline, the victim loop not
}

function preemptUntilRoom(r: i32, req: i32, running: I32List): bool {
  while (!canAllocatePaged(r, req)) {
    if (running.size > 0) {
      preempt(r, running.popBack());
    } else {
      preempt(r, req);
      return false;
    }
  }
  return true;
}

/** Stable sort of the list's logical range by arrival time (insertion sort: the list is nearly sorted). */
export function sortByArrival(list: I32List): void {
  const n = list.size;
  if (n < 2) return;
  let last = arrivedAt(list.at(0)); // largest key of the sorted prefix: an element not below it stays put
  for (let i = 1; i < n; i++) {
    const v = list.at(i);
    const key = arrivedAt(v);
    if (key >= last) {
      last = key;
      continue;
    }
    let j = i - 1;
    while (j >= 0 && arrivedAt(list.at(j)) > key) {
      list.setAt(j + 1, list.at(j));
      j--;
    }
    list.setAt(j + 1, v);
  }
}

/**
 * Orca and FasterTransformer admission: new requests join FIFO while the batch has room and a worst-case
 * reservation (max_tokens worth of blocks) fits.
 */
export function admitReservingWorstCase(r: i32, slot: i32, maxSize: i32): void {
  const queue = waitingQueue(r);
  while (queue.len > 0) {
    if (batchSize(slot) == maxSize) break;
    // a controller's batch cap (assembly/control/actuators.ts); never set in open loop, where Orca's batches
    // across pipeline stages may hold more than the configured cap together
    if (replicasCapped && admitFull(r, mapSize(r))) break;
    if (!canAllocate(r, maxBlocksPerSequence)) break;
    const req = admitted(queue.popFront(), r);
    allocate(r, req, maxBlocksPerSequence);
    addToBatch(slot, req, baseNextTokens(req));
  }
}

// scratch lists reused by every scheduler call (allocated per run)
export let scratchA: I32List = changetype<I32List>(0);
export let scratchB: I32List = changetype<I32List>(0);
export function allocSchedulerScratch(): void {
  scratchA = newI32List(256);
  scratchB = newI32List(256);
}

/** Remaining tokens of a request (used by LightLLM's memory estimate). */
@inline export function totalTokens(req: i32): i32 {
  return prefillTokens(req) + decodeTokens(req);
}
