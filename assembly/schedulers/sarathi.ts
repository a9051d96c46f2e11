// Sarathi-Serve: chunked prefills with decode piggybacking under a per-iteration token budget (chunk_size).
// Decodes always get their token; running prefills continue with what budget is left; new requests are
// admitted FIFO while budget, blocks (whole prompt up front) and batch limits allow.
import { addToBatch, batchSize, closeBatch, openBatch } from "../batch";
import { mapSize } from "../kv";
import { isPrefillComplete, prefillTokens, processedTokens } from "../request";
import { admitFull, chunkSize, maxMicroBatchSize, runningList, waitingQueue, admitted } from "../state";
import { allocatePaged, canAllocatePaged, makeRoomOrPreempt, scratchA, scratchB, sortByArrival } from "./common";

@inline function nextTokens(req: i32, batchTokens: i32): i32 {
  if (isPrefillComplete(req)) return 1;
  const left = prefillTokens(req) - processedTokens(req);
  const budget = chunkSize - batchTokens;
  const n = left < budget ? left : budget;
  return n > 0 ? n : 0;
}

export function sarathiNextBatch(r: i32): i32 {
  const slot = openBatch(r);
  const running = runningList(r);
  const runningPrefills = scratchA;
  const skipped = scratchB;
  runningPrefills.clear();
  skipped.clear();
  let batchTokens = 0;

  while (running.size > 0) {
    if (batchSize(slot) == maxMicroBatchSize) break;
    const req = running.popFront();
    if (!isPrefillComplete(req)) {
      runningPrefills.push(req);
      continue;
    }
    const next = nextTokens(req, batchTokens);
    if (next == 0) {
      skipped.push(req);
      continue;
    }
    if (makeRoomOrPreempt(r, req, running)) {
      allocatePaged(r, req);
      batchTokens += next;
      addToBatch(slot, req, next);
    }
  }

  for (let i = 0, n = runningPrefills.size; i < n; i++) {
    const req = runningPrefills.at(i);
    const next = nextTokens(req, batchTokens);
    if (next == 0) {
      skipped.push(req);
      continue;
    }
    batchTokens += next;
    addToBatch(slot, req, next);
  }

  // running = sorted(skipped + running, key=arrival)
  for (let i = 0, n = running.size; i < n; i++) skipped.push(running.at(i));
  running.clear();
  for (let i = 0, n = skipped.size; i < n; i++) running.push(skipped.at(i));
  sortByArrival(running);

  const queue = waitingQueue(r);
  while (queue.len > 0) {
    if (admitFull(r, mapSize(r))) break; // batch cap: the configured one or a controller's
    if (batchSize(slot) == maxMicroBatchSize) break;
    const head = admitted(queue.front(), r);
    if (!canAllocatePaged(r, head)) break;
    const next = nextTokens(head, batchTokens);
    if (next == 0) break;
    queue.popFront();
    allocatePaged(r, head);
    batchTokens += next;
    addToBatch(slot, head, next);
  }
  return closeBatch(slot);
}
