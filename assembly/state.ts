// Module state of one simulation: configuration (read from the host's f64 config block), request
// struct-of-arrays, per-replica and per-stage scheduler state, and the run status.
import * as abi from "./abi";
import * as config from "./generated/config";
import { globalScheduler, numRequests, numReplicas, numStages, batchSizeCap } from "./generated/config";
import { GLOBAL_RANDOM } from "./generated/codes";
import { I32Deque, I32List, allocF64, allocI32, ldf, newI32Deque, newI32List, stp } from "./vec";

// ---- configuration: generated from the host's setting table (src/engine/settings/), read by readConfig ----
export {
  numRequests, numInitialArrivals, closedLoop, numReplicas, numStages, globalScheduler, replicaScheduler, batchSizeCap,
  blockSize, numBlocks, maxTokensInBatch, chunkSize, maxWaitingIters, plannerMaxBatchSize, maxBlocksPerSequence, timeLimit,
  recordStages, recordTbt, recordBatches,
} from "./generated/config";
// derived from the settings by loadConfig
export let maxMicroBatchSize: i32 = 128;
export let watermarkBlocks: i32 = 0;
export let orcaMaxBatchSize: i32 = 0; // min(planner, cap): used by orca and faster_transformer

// ---- run status ----
export let status: i32 = 0;
export const errorArgs: usize = memory.data(8 * 4);
export function fail(code: i32, a: f64, b: f64, c: f64): void {
  if (status != 0) return;
  status = code;
  store<f64>(errorArgs, a);
  store<f64>(errorArgs + 8, b);
  store<f64>(errorArgs + 16, c);
}
export let now: f64 = 0;

// ---- requests (struct of arrays; index = request id) ----
export let rqF64: usize = 0; // RQ_F64_FIELDS column pointers, each numRequests f64
export let rqI32: usize = 0; // RQ_I32_FIELDS column pointers, each numRequests i32
export let reqArrived: usize = 0;
export let reqScheduledAt: usize = 0;
export let reqPrefillCompletedAt: usize = 0;
export let reqCompletedAt: usize = 0;
export let reqExecTime: usize = 0;
export let reqPreemptedTime: usize = 0;
export let reqPrefill: usize = 0; // current P (grows on restart)
export let reqDecode: usize = 0; // current D
export let reqRestarts: usize = 0;
export let reqReplica: usize = 0;
export let reqCompleted: usize = 0;
export let reqProcessed: usize = 0; // n
// internal-only state
export let reqLatestStageCompletedAt: usize = 0;
export let reqLatestIterCompletedAt: usize = 0;
export let reqFlags: usize = 0; // bit 0 prefill complete, bit 1 scheduled
export let reqAllocBlocks: usize = 0; // blocks held; -1 = not in the allocation map
// inputs kept for metrics
export let routeTable: usize = 0; // random global scheduler: replica per routing decision

export const FLAG_PREFILL_COMPLETE: i32 = 1;
export const FLAG_SCHEDULED: i32 = 2;

// ---- replicas and stages ----
export let rAllocated: usize = 0; // i32 per replica: allocated blocks
export let rMapCount: usize = 0; // i32: entries in the allocation map
export let rRunning: usize = 0; // i32: batches in flight
export let rWaitIters: usize = 0; // i32: lightllm decode iterations since the last prefill
export let rWaiting: usize = 0; // I32Deque* per replica: the request queue
export let rRunningReqs: usize = 0; // I32List* per replica: Vidur's _preempted_requests (running between iterations)
export let rPendingBatches: usize = 0; // I32Deque* per replica: faster_transformer's preempted batches
export let sBusy: usize = 0; // i32 per replica*stage
export let sQueue: usize = 0; // I32Deque* per replica*stage: batch slots waiting for the stage
export let pendingGlobal: I32List = changetype<I32List>(0); // requests waiting for the global scheduler
export let routedCount: i32 = 0;
export let rrCounter: i32 = 0;

/**
 * Reads the config block (generated readConfig) and checks what the engine relies on. Clears the previous
 * run's status first, so a bad configuration right after a failed run reports its own error. Returns false on a
 * bad value (status ERR_BAD_CONFIG with the slot; the host names the option).
 */
export function loadConfig(): bool {
  status = 0;
  now = 0;
  routedCount = 0;
  rrCounter = 0;
  config.readConfig();
  const n = config.numRequests;
  if (n < 0) return badSlot(config.SLOT_NUM_REQUESTS);
  if (config.numReplicas < 1) return badSlot(config.SLOT_NUM_REPLICAS);
  if (config.numStages < 1) return badSlot(config.SLOT_NUM_STAGES);
  if (config.blockSize < 1) return badSlot(config.SLOT_BLOCK_SIZE);
  if (config.numBlocks < 1) return badSlot(config.SLOT_NUM_BLOCKS);
  if (config.batchSizeCap < 1) return badSlot(config.SLOT_BATCH_SIZE_CAP);
  if (config.numInitialArrivals < 0 || config.numInitialArrivals > n) return badSlot(config.SLOT_NUM_INITIAL_ARRIVALS);
  maxMicroBatchSize = config.batchSizeCap / config.numStages;
  if (maxMicroBatchSize < 1) return badSlot(config.SLOT_BATCH_SIZE_CAP);
  // Vidur: int(watermark_blocks_fraction * num_total_blocks)
  watermarkBlocks = <i32>(config.watermarkFraction * <f64>config.numBlocks);
  orcaMaxBatchSize = config.plannerMaxBatchSize < config.batchSizeCap ? config.plannerMaxBatchSize : config.batchSizeCap;
  return true;
}

function badSlot(slot: i32): bool {
  fail(abi.ERR_BAD_CONFIG, slot, 0, 0);
  return false;
}

/**
 * Allocates request arrays; the host then writes arrivals and lengths into the input columns. Their size per
 * request is abi.REQUEST_STATE_BYTES (the host's capacity check relies on it).
 */
export function allocRequests(n: i32): void {
  rqF64 = heap.alloc(<usize>abi.RQ_F64_FIELDS * sizeof<usize>());
  rqI32 = heap.alloc(<usize>abi.RQ_I32_FIELDS * sizeof<usize>());
  reqScheduledAt = allocF64(n);
  reqPrefillCompletedAt = allocF64(n);
  reqCompletedAt = allocF64(n);
  reqExecTime = allocF64(n);
  reqPreemptedTime = allocF64(n);
  reqArrived = allocF64(n);
  stp(rqF64, abi.RQ_SCHEDULED_AT, reqScheduledAt);
  stp(rqF64, abi.RQ_PREFILL_COMPLETED_AT, reqPrefillCompletedAt);
  stp(rqF64, abi.RQ_COMPLETED_AT, reqCompletedAt);
  stp(rqF64, abi.RQ_EXECUTION_TIME, reqExecTime);
  stp(rqF64, abi.RQ_PREEMPTED_TIME, reqPreemptedTime);
  stp(rqF64, abi.RQ_ARRIVED_AT, reqArrived);
  reqPrefill = allocI32(n);
  reqDecode = allocI32(n);
  reqRestarts = allocI32(n);
  reqReplica = allocI32(n);
  reqCompleted = allocI32(n);
  reqProcessed = allocI32(n);
  stp(rqI32, abi.RQ_PREFILL_TOKENS, reqPrefill);
  stp(rqI32, abi.RQ_DECODE_TOKENS, reqDecode);
  stp(rqI32, abi.RQ_NUM_RESTARTS, reqRestarts);
  stp(rqI32, abi.RQ_REPLICA, reqReplica);
  stp(rqI32, abi.RQ_COMPLETED, reqCompleted);
  stp(rqI32, abi.RQ_PROCESSED_TOKENS, reqProcessed);
  reqLatestStageCompletedAt = allocF64(n);
  reqLatestIterCompletedAt = allocF64(n);
  reqFlags = allocI32(n);
  reqAllocBlocks = allocI32(n);
  // the host writes prompt and output lengths straight into reqPrefill / reqDecode (inputPtr)
  routeTable = globalScheduler == GLOBAL_RANDOM ? allocI32(n) : 0;
}

/** Per-replica and per-stage state; called after the host wrote the requests. */
export function allocReplicas(): void {
  const R = numReplicas;
  const RS = numReplicas * numStages;
  rAllocated = allocI32(R);
  rMapCount = allocI32(R);
  rRunning = allocI32(R);
  rWaitIters = allocI32(R);
  rWaiting = heap.alloc(<usize>R * sizeof<usize>());
  rRunningReqs = heap.alloc(<usize>R * sizeof<usize>());
  rPendingBatches = heap.alloc(<usize>R * sizeof<usize>());
  for (let r = 0; r < R; r++) {
    stp(rWaiting, r, changetype<usize>(newI32Deque(256)));
    stp(rRunningReqs, r, changetype<usize>(newI32List(batchSizeCap + 8)));
    stp(rPendingBatches, r, changetype<usize>(newI32Deque(8)));
  }
  sBusy = allocI32(RS);
  sQueue = heap.alloc(<usize>RS * sizeof<usize>());
  for (let i = 0; i < RS; i++) stp(sQueue, i, changetype<usize>(newI32Deque(8)));
  pendingGlobal = newI32List(64);
  for (let i = 0; i < numRequests; i++) {
    store<i32>(reqAllocBlocks + (<usize>i << 2), -1);
    store<i32>(reqReplica + (<usize>i << 2), -1);
  }
}

@inline export function waitingQueue(r: i32): I32Deque {
  return changetype<I32Deque>(load<usize>(rWaiting + (<usize>r << alignof<usize>())));
}
@inline export function runningList(r: i32): I32List {
  return changetype<I32List>(load<usize>(rRunningReqs + (<usize>r << alignof<usize>())));
}
@inline export function pendingBatches(r: i32): I32Deque {
  return changetype<I32Deque>(load<usize>(rPendingBatches + (<usize>r << alignof<usize>())));
}
@inline export function stageQueue(r: i32, s: i32): I32Deque {
  return changetype<I32Deque>(load<usize>(sQueue + (<usize>(r * numStages + s) << alignof<usize>())));
}
@inline export function arrivedAt(req: i32): f64 {
  return ldf(reqArrived, req);
}
