// Module state of one simulation: configuration (read from the host's f64 config block), request
// struct-of-arrays, per-replica and per-stage scheduler state, and the run status.
import * as abi from "./abi";
import * as config from "./generated/config";
import { globalScheduler, numRequests, numReplicas, numStages, batchSizeCap } from "./generated/config";
import { GLOBAL_RANDOM } from "./generated/codes";
import { I32Deque, I32List, allocF64, allocI32, loadF64, loadI32, loadPtr, newI32Deque, newI32List, storeF64, storeI32, storePtr } from "./vec";

// ---- configuration: generated from the host's setting table (src/engine/settings/), read by readConfig ----
export {
  numRequests, numInitialArrivals, closedLoop, numReplicas, numStages, globalScheduler, replicaScheduler, batchSizeCap,
  blockSize, numBlocks, maxTokensInBatch, chunkSize, maxWaitingIters, plannerMaxBatchSize, maxBlocksPerSequence, timeLimit,
  recordStages, recordTbt, recordBatches, tbtExactRuns,
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

// ---- request inputs: a ring indexed by (id & inMask), fed by the host in chunks (inputReserve / inputFed) ----
// It holds the ids [emitBase, inFed): a request's inputs stay until its row leaves. The loop pauses with
// STATUS_NEED_INPUT when the next arrival is not fed yet. The route table shares the ring: routing decision k
// (random global scheduler) is made for an arrived request whose row has not left, so emitBase <= k < inFed.
// Each column is reserved once for every id (inStride slots: address space, not memory, until touched) and
// the ring doubles in place inside it, so growth leaves no abandoned copies in the bump heap; only the slots
// [0, inCap) are ever written. Past inStride / 2 the ring turns direct (inMask = all ones: slot = id).
export let inCap: i32 = 0;
export let inMask: i32 = 0;
export let inStride: i32 = 0; // slots reserved per column: max(numRequests, the first capacity)
export let inFed: i32 = 0; // ids [0, inFed) have been written by the host
export let inArrived: usize = 0; // f64: arrival time (closed loop: written by the engine past the initial arrivals)
export let inPrefill: usize = 0; // i32: prompt tokens as generated
export let inDecode: usize = 0; // i32: output tokens as generated
export let routeTable: usize = 0; // i32, random global scheduler: replica per routing decision
export let inClass: usize = 0; // i32, with a controller: request class
export let inDeadline: usize = 0; // f64, with a controller: deadline after arrival
export let inControl: bool = false; // set by controlPrepare: the ring has the class and deadline columns

// ---- request state: a ring of slots, struct of arrays indexed by (request id & reqMask) ----
// Every live id lies in [emitBase, emitBase + reqCap): rows leave in id order (emitChunk) and their slots are
// reused; the ring doubles when a new id would not fit. Code indexes the columns with (req & reqMask).
export let reqCap: i32 = 0;
export let reqMask: i32 = 0;
export let emitBase: i32 = 0; // first id whose row has not left yet
export let emitNext: i32 = 0; // first id not known to be finished (ids in [emitBase, emitNext) are ready)
export let reqId: usize = 0; // i32 per slot: the id it holds (-1 = free)
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
export let reqEnergy: usize = 0; // 2 f64 per slot (energy J, CI integral), with energy accounting
export let energyColumns: bool = false;

// ---- output chunk: rows [chunkStart, chunkStart + chunkLen) in id order ----
export let outF64: usize = 0; // RQ_F64_FIELDS column pointers, each OUTPUT_CHUNK_ROWS f64
export let outI32: usize = 0; // RQ_I32_FIELDS column pointers
export let outEnergy: usize = 0; // 2 f64 per row
export let chunkStart: i32 = 0;
export let chunkLen: i32 = 0;

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
// actuators of a grid controller (assembly/control/actuators.ts); open loop: every replica active at the full cap
export let rBatchCap: usize = 0; // i32 per replica: admit a new request only while fewer than this hold KV blocks
export let rMode: usize = 0; // i32 per replica: REPLICA_* below
/** Some replica is not REPLICA_ACTIVE (routing and scheduling then look at rMode; false in open loop). */
export let replicasGated: bool = false;
export const REPLICA_ACTIVE: i32 = 0; // routed to, schedules batches
export const REPLICA_DRAINING: i32 = 1; // not routed to; finishes its running batches and its queue
export const REPLICA_IDLE: i32 = 2; // drained, on: gap power, not routed to, back at once
export const REPLICA_OFF: i32 = 3; // drained, off: --replica-off-power-w
export const REPLICA_WAKING: i32 = 4; // off → active after --replica-wake-up-s at the wake-up power
/** A controller has lowered some replica's batch cap (Orca and FasterTransformer then check it). */
export let replicasCapped: bool = false;
export function setReplicasGated(on: bool): void {
  replicasGated = on;
}
export function setReplicasCapped(on: bool): void {
  replicasCapped = on;
}
/** Replica r may be routed new requests. */
@inline export function routable(r: i32): bool {
  return !replicasGated || loadI32(rMode, r) == REPLICA_ACTIVE;
}
/** Replica r admits new requests into its running set (the dynamic batch cap). */
@inline export function admitFull(r: i32, inMap: i32): bool {
  return inMap >= loadI32(rBatchCap, r);
}
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

const RING_F64 = 7; // scheduled, prefill completed, completed, exec, preempted, latest stage, latest iteration
const RING_I32 = 9; // id, prefill, decode, restarts, replica, completed, processed, flags, blocks

/**
 * Allocates the output chunk; the input ring comes with the host's first inputReserve (after the controller,
 * if any, asked for its columns). Engine memory is sized by the requests in flight, at most
 * abi.REQUEST_STATE_BYTES per request simulated (the host's capacity check relies on it).
 */
export function allocRequests(): void {
  inCap = 0;
  inMask = 0;
  inStride = 0;
  inFed = 0;
  inControl = false;
  // the input ring holds ids from emitBase: the host feeds before run() allocates the request ring
  emitBase = 0;
  emitNext = 0;
  outF64 = heap.alloc(<usize>abi.RQ_F64_FIELDS * sizeof<usize>());
  outI32 = heap.alloc(<usize>abi.RQ_I32_FIELDS * sizeof<usize>());
  for (let f = 0; f < abi.RQ_F64_FIELDS; f++) storePtr(outF64, f, allocF64(abi.OUTPUT_CHUNK_ROWS));
  for (let f = 0; f < abi.RQ_I32_FIELDS; f++) storePtr(outI32, f, allocI32(abi.OUTPUT_CHUNK_ROWS));
  outEnergy = allocF64(2 * abi.OUTPUT_CHUNK_ROWS);
  chunkStart = 0;
  chunkLen = 0;
}

/**
 * Makes room in the input ring for the next `count` ids (from inFed), doubling it in place as needed; the host
 * then writes them at slots id & inMask and calls inputFed(count).
 */
export function inputReserve(count: i32): void {
  if (inCap == 0) {
    let cap = 1024;
    while (cap < count) cap <<= 1;
    allocInputRing(cap);
    return;
  }
  while (inFed + count - emitBase > inCap) growInputRing();
}

/** The controller's inputs join the ring (before the host's first inputReserve). */
export function setControlInputs(): void {
  inControl = true;
}

export function inputFed(count: i32): void {
  inFed += count;
}

/** Reserves every column for all ids (touched only up to the ring's capacity) and starts the ring at `cap`. */
function allocInputRing(cap: i32): void {
  const stride = numRequests > cap ? numRequests : cap;
  inStride = stride;
  inArrived = reserveSlots(stride, 8);
  inPrefill = reserveSlots(stride, 4);
  inDecode = reserveSlots(stride, 4);
  routeTable = globalScheduler == GLOBAL_RANDOM ? reserveSlots(stride, 4) : 0;
  inClass = inControl ? reserveSlots(stride, 4) : 0;
  inDeadline = inControl ? reserveSlots(stride, 8) : 0;
  setInputCapacity(cap);
}

/**
 * A column of `slots` values, not zeroed: filling it would make every page resident, and the host writes each
 * id's inputs before the loop reads them (fresh pages are zero anyway; after heap.reset they hold old runs').
 */
function reserveSlots(slots: i32, bytes: i32): usize {
  return heap.alloc(<usize>slots * <usize>bytes);
}

function setInputCapacity(cap: i32): void {
  inCap = cap;
  // a power of two within the reservation indexes by mask; past it every id has its own slot
  inMask = cap <= inStride ? cap - 1 : -1;
}

/**
 * Doubles the input ring in its reservation: id moves from slot id & oldMask to id & inMask, which is the same
 * slot or one at or past the old capacity, never written before — so the moves overwrite nothing live.
 */
function growInputRing(): void {
  const oldMask = inMask;
  setInputCapacity(inCap << 1);
  for (let id = emitBase; id < inFed; id++) {
    const from = id & oldMask, to = id & inMask;
    if (from == to) continue;
    storeF64(inArrived, to, loadF64(inArrived, from));
    storeI32(inPrefill, to, loadI32(inPrefill, from));
    storeI32(inDecode, to, loadI32(inDecode, from));
    if (routeTable != 0) storeI32(routeTable, to, loadI32(routeTable, from));
    if (inClass != 0) {
      storeI32(inClass, to, loadI32(inClass, from));
      storeF64(inDeadline, to, loadF64(inDeadline, from));
    }
  }
}

/** Prompt tokens of request `id` as generated (its inputs are in the ring until its row leaves). */
@inline export function inputPrefill(id: i32): i32 {
  return loadI32(inPrefill, id & inMask);
}
@inline export function inputDecode(id: i32): i32 {
  return loadI32(inDecode, id & inMask);
}

/** The request ring, once the run's settings are known (energy adds two columns). */
export function allocRequestRing(withEnergy: bool): void {
  energyColumns = withEnergy;
  emitBase = 0;
  emitNext = 0;
  allocRing(1024);
}

function allocRing(cap: i32): void {
  reqCap = cap;
  reqMask = cap - 1;
  reqScheduledAt = allocF64(cap);
  reqPrefillCompletedAt = allocF64(cap);
  reqCompletedAt = allocF64(cap);
  reqExecTime = allocF64(cap);
  reqPreemptedTime = allocF64(cap);
  reqLatestStageCompletedAt = allocF64(cap);
  reqLatestIterCompletedAt = allocF64(cap);
  reqId = allocI32(cap);
  reqPrefill = allocI32(cap);
  reqDecode = allocI32(cap);
  reqRestarts = allocI32(cap);
  reqReplica = allocI32(cap);
  reqCompleted = allocI32(cap);
  reqProcessed = allocI32(cap);
  reqFlags = allocI32(cap);
  reqAllocBlocks = allocI32(cap);
  reqEnergy = energyColumns ? allocF64(2 * cap) : 0;
  for (let i = 0; i < cap; i++) storeI32(reqId, i, -1);
}

/** Doubles the ring, moving every slot to its place under the new mask (old columns stay in the bump heap). */
function growRing(): void {
  const oldCap = reqCap;
  const f64s = [reqScheduledAt, reqPrefillCompletedAt, reqCompletedAt, reqExecTime, reqPreemptedTime,
    reqLatestStageCompletedAt, reqLatestIterCompletedAt];
  const i32s = [reqId, reqPrefill, reqDecode, reqRestarts, reqReplica, reqCompleted, reqProcessed, reqFlags, reqAllocBlocks];
  const oldEnergy = reqEnergy;
  allocRing(oldCap << 1);
  const nf64 = [reqScheduledAt, reqPrefillCompletedAt, reqCompletedAt, reqExecTime, reqPreemptedTime,
    reqLatestStageCompletedAt, reqLatestIterCompletedAt];
  const ni32 = [reqId, reqPrefill, reqDecode, reqRestarts, reqReplica, reqCompleted, reqProcessed, reqFlags, reqAllocBlocks];
  for (let k = 0; k < oldCap; k++) {
    const id = loadI32(i32s[0], k);
    if (id < 0) continue;
    const to = id & reqMask;
    for (let f = 0; f < RING_F64; f++) storeF64(nf64[f], to, loadF64(f64s[f], k));
    for (let f = 0; f < RING_I32; f++) storeI32(ni32[f], to, loadI32(i32s[f], k));
    if (energyColumns) {
      storeF64(reqEnergy, 2 * to, loadF64(oldEnergy, 2 * k));
      storeF64(reqEnergy, 2 * to + 1, loadF64(oldEnergy, 2 * k + 1));
    }
  }
}

/**
 * Request `id`, waiting on replica `r`, takes its ring slot (filled from the inputs) unless it has one. Called
 * where a scheduler first looks at a waiting request (the front of its replica's queue): until then a request
 * is only its inputs, so requests queued in an overloaded run cost no engine state beyond them.
 */
@inline export function admitted(id: i32, r: i32): i32 {
  if (loadI32(reqId, id & reqMask) != id) admit(id, r);
  return id;
}

function admit(id: i32, r: i32): void {
  while (id - emitBase >= reqCap) growRing();
  const s = id & reqMask;
  storeI32(reqId, s, id);
  storeF64(reqScheduledAt, s, 0);
  storeF64(reqPrefillCompletedAt, s, 0);
  storeF64(reqCompletedAt, s, 0);
  storeF64(reqExecTime, s, 0);
  storeF64(reqPreemptedTime, s, 0);
  storeF64(reqLatestStageCompletedAt, s, 0);
  storeF64(reqLatestIterCompletedAt, s, 0);
  storeI32(reqPrefill, s, inputPrefill(id));
  storeI32(reqDecode, s, inputDecode(id));
  storeI32(reqRestarts, s, 0);
  storeI32(reqReplica, s, r);
  storeI32(reqCompleted, s, 0);
  storeI32(reqProcessed, s, 0);
  storeI32(reqFlags, s, 0);
  storeI32(reqAllocBlocks, s, -1);
  if (energyColumns) {
    storeF64(reqEnergy, 2 * s, 0);
    storeF64(reqEnergy, 2 * s + 1, 0);
  }
}

/** True if `id` has entered the engine and its row has not left yet. */
@inline export function isLive(id: i32): bool {
  return id >= emitBase && loadI32(reqId, id & reqMask) == id;
}

/** Moves emitNext past the finished ids; returns how many rows are ready to leave. */
export function readyRows(): i32 {
  let i = emitNext;
  const n = numRequests;
  while (i < n) {
    const s = i & reqMask;
    if (loadI32(reqId, s) != i || loadI32(reqCompleted, s) == 0) break;
    i++;
  }
  emitNext = i;
  return i - emitBase;
}

/**
 * Copies rows [emitBase, emitBase + count) into the output chunk and frees their slots. Ids that never entered
 * (a time limit) leave as unfinished rows from their inputs.
 */
export function emitChunk(count: i32): void {
  chunkStart = emitBase;
  chunkLen = count;
  for (let j = 0; j < count; j++) {
    const id = emitBase + j;
    const s = id & reqMask;
    storeF64(loadPtr(outF64, abi.RQ_ARRIVED_AT), j, arrivedAt(id));
    if (loadI32(reqId, s) == id) {
      storeF64(loadPtr(outF64, abi.RQ_SCHEDULED_AT), j, loadF64(reqScheduledAt, s));
      storeF64(loadPtr(outF64, abi.RQ_PREFILL_COMPLETED_AT), j, loadF64(reqPrefillCompletedAt, s));
      storeF64(loadPtr(outF64, abi.RQ_COMPLETED_AT), j, loadF64(reqCompletedAt, s));
      storeF64(loadPtr(outF64, abi.RQ_EXECUTION_TIME), j, loadF64(reqExecTime, s));
      storeF64(loadPtr(outF64, abi.RQ_PREEMPTED_TIME), j, loadF64(reqPreemptedTime, s));
      storeI32(loadPtr(outI32, abi.RQ_PREFILL_TOKENS), j, loadI32(reqPrefill, s));
      storeI32(loadPtr(outI32, abi.RQ_DECODE_TOKENS), j, loadI32(reqDecode, s));
      storeI32(loadPtr(outI32, abi.RQ_NUM_RESTARTS), j, loadI32(reqRestarts, s));
      storeI32(loadPtr(outI32, abi.RQ_REPLICA), j, loadI32(reqReplica, s));
      storeI32(loadPtr(outI32, abi.RQ_COMPLETED), j, loadI32(reqCompleted, s));
      storeI32(loadPtr(outI32, abi.RQ_PROCESSED_TOKENS), j, loadI32(reqProcessed, s));
      if (energyColumns) {
        storeF64(outEnergy, 2 * j, loadF64(reqEnergy, 2 * s));
        storeF64(outEnergy, 2 * j + 1, loadF64(reqEnergy, 2 * s + 1));
      }
      storeI32(reqId, s, -1);
    } else {
      for (let f = 0; f < abi.RQ_F64_FIELDS; f++) if (f != abi.RQ_ARRIVED_AT) storeF64(loadPtr(outF64, f), j, 0);
      storeI32(loadPtr(outI32, abi.RQ_PREFILL_TOKENS), j, inputPrefill(id));
      storeI32(loadPtr(outI32, abi.RQ_DECODE_TOKENS), j, inputDecode(id));
      storeI32(loadPtr(outI32, abi.RQ_NUM_RESTARTS), j, 0);
      storeI32(loadPtr(outI32, abi.RQ_REPLICA), j, -1);
      storeI32(loadPtr(outI32, abi.RQ_COMPLETED), j, 0);
      storeI32(loadPtr(outI32, abi.RQ_PROCESSED_TOKENS), j, 0);
      if (energyColumns) {
        storeF64(outEnergy, 2 * j, 0);
        storeF64(outEnergy, 2 * j + 1, 0);
      }
    }
  }
  emitBase += count;
  if (emitNext < emitBase) emitNext = emitBase;
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
    storePtr(rWaiting, r, changetype<usize>(newI32Deque(256)));
    storePtr(rRunningReqs, r, changetype<usize>(newI32List(batchSizeCap + 8)));
    storePtr(rPendingBatches, r, changetype<usize>(newI32Deque(8)));
  }
  sBusy = allocI32(RS);
  sQueue = heap.alloc(<usize>RS * sizeof<usize>());
  for (let i = 0; i < RS; i++) storePtr(sQueue, i, changetype<usize>(newI32Deque(8)));
  pendingGlobal = newI32List(64);
  rBatchCap = allocI32(R);
  rMode = allocI32(R);
  for (let r = 0; r < R; r++) storeI32(rBatchCap, r, batchSizeCap);
  replicasGated = false;
  replicasCapped = false;
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
/** Arrival time (closed loop: written when the request is released). */
@inline export function arrivedAt(req: i32): f64 {
  return loadF64(inArrived, req & inMask);
}
