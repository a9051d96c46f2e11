// Replica-scheduler registry: a new scheduler is one file plus one line in each switch below.
import * as abi from "../abi";
import { batchReqs } from "../batch";
import { free } from "../kv";
import { isCompleted } from "../request";
import { replicaScheduler, runningList } from "../state";
import { fasterTransformerNextBatch, fasterTransformerOnBatchEnd } from "./faster_transformer";
import { lightllmNextBatch } from "./lightllm";
import { orcaNextBatch } from "./orca";
import { sarathiNextBatch } from "./sarathi";
import { vllmNextBatch } from "./vllm";

/** Builds the next batch for replica r; returns its slot or -1. */
export function nextBatch(r: i32): i32 {
  switch (replicaScheduler) {
    case abi.SCHED_VLLM: return vllmNextBatch(r);
    case abi.SCHED_SARATHI: return sarathiNextBatch(r);
    case abi.SCHED_ORCA: return orcaNextBatch(r);
    case abi.SCHED_FASTER_TRANSFORMER: return fasterTransformerNextBatch(r);
    case abi.SCHED_LIGHTLLM: return lightllmNextBatch(r);
    default: return -1;
  }
}

/** Scheduler bookkeeping at batch end. Returns true if the batch slot is kept alive by the scheduler. */
export function onBatchEndScheduler(r: i32, slot: i32): bool {
  if (replicaScheduler == abi.SCHED_FASTER_TRANSFORMER) return fasterTransformerOnBatchEnd(r, slot);
  // vllm, sarathi, orca, lightllm: free finished requests, the rest keep running
  const reqs = batchReqs(slot);
  const running = runningList(r);
  for (let i = 0, n = reqs.size; i < n; i++) {
    const req = reqs.at(i);
    if (isCompleted(req)) free(r, req);
    else running.push(req);
  }
  return false;
}
