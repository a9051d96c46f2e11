// LightLLM: token-level KV memory (block_size 1). Admission uses LightLLM's future-memory estimate over the
// running requests plus the candidate; decodes run every running request; every max_waiting_iters decode
// iterations a prefill batch is tried first. Running out of memory while decoding is an error, as in Vidur.
import * as abi from "../abi";
import { addToBatch, batchSize, closeBatch, openBatch } from "../batch";
import { allocate, canAllocate, inMap, mapSize } from "../kv";
import { decodeTokens, isScheduled, prefillTokens, processedTokens } from "../request";
import {
  admitFull, fail, maxMicroBatchSize, maxTokensInBatch, maxWaitingIters, numBlocks, rAllocated, rWaitIters,
  runningList, waitingQueue, admitted } from "../state";
import { loadI32, storeI32 } from "../vec";
import { baseNextTokens, scratchA, scratchB } from "./common";

// candidate list sorted by remaining tokens, descending (stable): used tokens in scratchA, remaining in scratchB
function insertCandidate(req: i32): void {
  let used: i32, remaining: i32;
  if (isScheduled(req)) {
    const n = processedTokens(req);
    const decoded = n - prefillTokens(req);
    used = n;
    remaining = decodeTokens(req) - (decoded > 0 ? decoded : 0) - 1;
  } else {
    used = prefillTokens(req) + 1;
    remaining = decodeTokens(req) - 1 - 1;
  }
  if (remaining < 0) remaining = 0;
  const usedL = scratchA;
  const remL = scratchB;
  let pos = remL.size;
  while (pos > 0 && remL.at(pos - 1) < remaining) pos--;
  usedL.push(0);
  remL.push(0);
  for (let i = remL.size - 1; i > pos; i--) {
    usedL.setAt(i, usedL.at(i - 1));
    remL.setAt(i, remL.at(i - 1));
  }
  usedL.setAt(pos, used);
  remL.setAt(pos, remaining);
}

function estimatedPeakTokens(): i64 {
  let cum: i64 = 0;
  let peak: i64 = 0;
  for (let i = 0, n = scratchB.size; i < n; i++) {
    cum += <i64>scratchA.at(i);
    const need = <i64>scratchB.at(i) * <i64>(i + 1) + cum;
    if (need > peak) peak = need;
  }
  return peak;
}

@inline function allocateTokens(r: i32, req: i32): void {
  if (!inMap(req)) allocate(r, req, prefillTokens(req));
  else allocate(r, req, 1);
}

function prefillBatch(r: i32): i32 {
  scratchA.clear();
  scratchB.clear();
  const running = runningList(r);
  for (let i = 0, n = running.size; i < n; i++) insertCandidate(running.at(i));
  const slot = openBatch(r);
  const queue = waitingQueue(r);
  let batchTokens = 0;
  while (queue.len > 0) {
    const req = admitted(queue.front(), r);
    const next = baseNextTokens(req);
    if (batchTokens + next > maxTokensInBatch) break;
    if (admitFull(r, mapSize(r))) break; // batch cap: the configured one or a controller's
    if (batchSize(slot) == maxMicroBatchSize) break;
    insertCandidate(req);
    if (estimatedPeakTokens() >= <i64>numBlocks) break;
    queue.popFront();
    allocateTokens(r, req);
    addToBatch(slot, req, next);
    batchTokens += next;
  }
  return closeBatch(slot);
}

function decodeBatch(r: i32): i32 {
  const slot = openBatch(r);
  const running = runningList(r);
  while (running.size > 0) {
    const req = running.popFront();
    allocateTokens(r, req);
    addToBatch(slot, req, baseNextTokens(req));
  }
  return closeBatch(slot);
}

export function lightllmNextBatch(r: i32): i32 {
  const running = runningList(r);
  if (running.size == 0) {
    const b = prefillBatch(r);
    if (b >= 0) storeI32(rWaitIters, r, 0);
    return b;
  }
  if (loadI32(rWaitIters, r) >= maxWaitingIters) {
    storeI32(rWaitIters, r, 0);
    const b = prefillBatch(r);
    if (b >= 0) return b;
  }
  if (canAllocate(r, running.size)) {
    storeI32(rWaitIters, r, loadI32(rWaitIters, r) + 1);
    return decodeBatch(r);
  }
  fail(abi.ERR_LIGHTLLM_OOM, r, running.size, numBlocks - loadI32(rAllocated, r));
  return -1;
}
