// The discrete-event loop and Vidur's seven event handlers. One call runs a whole simulation.
import * as grid from "./grid";
import * as control from "./control/control";
import * as abi from "./abi";
import { bBlockMs, bMfuFlops, bScheduledAt, bId, bPrefillTokens, bTotalTokens, batchReqs, batchToks, releaseBatch, numSlots } from "./batch";
import * as ev from "./events";
import { memoryUsagePercent } from "./kv";
import { count, meterPut, recordBatch, recordStage, recordTbt } from "./metrics";
import { blockTimeMs, mfuPercent, stageTimeS } from "./predictor";
import { batchScheduled, endIteration, stageEnded, stageScheduled } from "./request";
import { beginRound, route } from "./schedulers/global";
import { sortByArrival } from "./schedulers/common";
import { hasOwnBatchEnd, nextBatch, onBatchEndScheduler } from "./schedulers/registry";
import {
  arrivedAt, closedLoop, fail, numInitialArrivals, numReplicas, numRequests, numStages, pendingGlobal, rRunning,
  recordBatches, recordStages, recordTbt as keepTbt, reqMask, runningList, sBusy, stageQueue, status, timeLimit, waitingQueue,
} from "./state";
import { I32List, allocF64, allocI32, loadF64, loadI32, newI32List, storeF64, storeI32 } from "./vec";
import * as state from "./state";
import { energyBatchRecorded, energyCredit, energyFinalize, energyOn, energyStageEnd, energyStageStart } from "./energy";

let touched: usize = 0; // i32 per replica: got requests in this global scheduling round
let newBatches: I32List = changetype<I32List>(0);
let slotStageExec: usize = 0; // f64 per batch slot: execution time of its current stage
let nextClosedLoopRequest: i32 = 0;
let nextArrival: i32 = 0; // next open-loop (initial) arrival, merged from the input column
let finishing: bool = false; // the loop has ended: remaining rows leave chunk by chunk
let endStatus: i32 = 0;
let ownBatchEnd: bool = false; // the replica scheduler does its own batch-end bookkeeping
export let makespan: f64 = 0;

export function allocLoop(): void {
  touched = allocI32(numReplicas);
  newBatches = newI32List(numStages + 1);
  slotStageExec = allocF64(numSlots);
  nextClosedLoopRequest = numInitialArrivals;
  nextArrival = 0;
  ownBatchEnd = hasOwnBatchEnd();
  finishing = false;
  endStatus = 0;
  makespan = 0;
  // Vidur creates every arrival event first (ids 1..N), so later events have larger creation numbers.
  ev.allocEvents(64 + 8 * numReplicas * numStages, <f64>numInitialArrivals + 1);
}

function onRequestArrival(t: f64, req: i32): void {
  if (control.controlOn && control.holdArrival(req)) return; // held for a greener step (assembly/control/)
  pendingGlobal.push(req);
  ev.push(t, abi.EV_GLOBAL_SCHEDULE, 0, 0, 0);
}

function onGlobalSchedule(t: f64): void {
  const pending = pendingGlobal;
  if (pending.size == 0) return;
  sortByArrival(pending);
  beginRound();
  for (let i = 0, n = pending.size; i < n; i++) {
    const req = pending.at(i);
    const r = route(req);
    waitingQueue(r).pushBack(req);
    storeI32(touched, r, 1);
  }
  pending.clear();
  for (let r = 0; r < numReplicas; r++) {
    if (loadI32(touched, r) != 0) {
      storeI32(touched, r, 0);
      ev.push(t, abi.EV_REPLICA_SCHEDULE, r, 0, 0);
    }
  }
}

function onReplicaSchedule(t: f64, r: i32): void {
  if (state.replicasGated && !control.mayRun(r)) return; // off or waking (assembly/control/actuators.ts)
  newBatches.clear();
  while (loadI32(rRunning, r) < numStages) {
    const slot = nextBatch(r);
    if (slot < 0) break;
    newBatches.push(slot);
    storeI32(rRunning, r, loadI32(rRunning, r) + 1);
  }
  if (newBatches.size == 0) {
    if (state.replicasGated) control.drainCheck(t, r); // a draining replica that has finished goes idle or off
    return;
  }
  meterPut(abi.METER_MEMORY, r, t, memoryUsagePercent(r));
  for (let b = 0, nb = newBatches.size; b < nb; b++) {
    const slot = newBatches.at(b);
    storeF64(bScheduledAt, slot, t);
    const reqs = batchReqs(slot);
    batchScheduled(reqs, t);
    ev.push(t, abi.EV_BATCH_STAGE_ARRIVAL, r, 0, slot);
  }
}

function onBatchStageArrival(t: f64, r: i32, s: i32, slot: i32): void {
  stageQueue(r, s).pushBack(slot);
  ev.push(t, abi.EV_REPLICA_STAGE_SCHEDULE, r, s, 0);
}

function onReplicaStageSchedule(t: f64, r: i32, s: i32): void {
  const idx = r * numStages + s;
  const queue = stageQueue(r, s);
  if (loadI32(sBusy, idx) != 0 || queue.len == 0) return;
  storeI32(sBusy, idx, 1);
  const slot = queue.popFront();
  if (s == 0) {
    const block = blockTimeMs(slot);
    if (block < 0) return; // unknown op-table key: status is set, the loop stops
    storeF64(bBlockMs, slot, block);
  }
  let exec = stageTimeS(slot, loadF64(bBlockMs, slot), s);
  if (exec < 0) return; // send_recv key missing from a sparse op table: status is set, the loop stops
  // energy: power of this stage; returns exec unchanged unless a power cap / clock setting stretches it
  if (energyOn) exec = energyStageStart(r, s, slot, t, exec);
  storeF64(slotStageExec, slot, exec);
  const reqs = batchReqs(slot);
  stageScheduled(reqs, t);
  const mfu = mfuPercent(loadF64(bMfuFlops, slot), exec);
  meterPut(abi.METER_BUSY, idx, t, 100);
  meterPut(abi.METER_MFU, idx, t, mfu);
  if (recordStages) recordStage(r, s, loadI32(bId, slot), reqs.size, loadI32(bTotalTokens, slot), t, t + exec, mfu);
  count(abi.CNT_STAGES);
  ev.push(t + exec, abi.EV_BATCH_STAGE_END, r, s, slot);
}

function onStageEnd(t: f64, r: i32, s: i32, slot: i32): void {
  const idx = r * numStages + s;
  storeI32(sBusy, idx, 0);
  if (energyOn) energyStageEnd(r, s, t);
  const exec = loadF64(slotStageExec, slot);
  const reqs = batchReqs(slot);
  stageEnded(reqs, t, exec);
  if (energyOn) energyCredit(reqs); // each request's FLOP share of the stage's energy
  meterPut(abi.METER_BUSY, idx, t, 0);
  meterPut(abi.METER_MFU, idx, t, 0);
  ev.push(t, abi.EV_REPLICA_STAGE_SCHEDULE, r, s, 0);
  if (s == numStages - 1) ev.push(t, abi.EV_BATCH_END, r, 0, slot);
  else ev.push(t, abi.EV_BATCH_STAGE_ARRIVAL, r, s + 1, slot);
}

/** Batch end; returns how many of its requests completed. */
function onBatchEndEvent(t: f64, r: i32, slot: i32): i32 {
  const reqs = batchReqs(slot);
  const n = reqs.size;
  // one pass: advance every request, take its time-between-tokens sample and, unless the scheduler has its
  // own, do the default batch-end bookkeeping (request.endIteration)
  const own = ownBatchEnd;
  const completed = endIteration(reqs, batchToks(slot), t, loadF64(bScheduledAt, slot), keepTbt, r, own ? null : runningList(r));
  const kept = own ? onBatchEndScheduler(r, slot) : false;
  storeI32(rRunning, r, loadI32(rRunning, r) - 1);
  // metrics, in Vidur's order: completions, memory, per-token times, batch record
  if (completed > 0) {
    count(abi.CNT_COMPLETED, completed);
    if (closedLoop) {
      for (let i = 0; i < completed && nextClosedLoopRequest < numRequests; i++) {
        const next = nextClosedLoopRequest++;
        storeF64(state.inArrived, next & state.inMask, t);
        ev.push(t, abi.EV_REQUEST_ARRIVAL, next, 0, 0);
      }
    }
  }
  meterPut(abi.METER_MEMORY, r, t, memoryUsagePercent(r));
  if (recordBatches) {
    recordBatch(loadI32(bId, slot), r, n, loadI32(bTotalTokens, slot), loadI32(bPrefillTokens, slot), loadF64(bScheduledAt, slot), t);
    if (energyOn) energyBatchRecorded(slot);
  }
  count(abi.CNT_BATCHES);
  count(abi.CNT_BATCH_SIZE_SUM, n);
  count(abi.CNT_BATCH_TOKENS_SUM, loadI32(bTotalTokens, slot));
  count(abi.CNT_BATCH_EXEC_SUM, t - loadF64(bScheduledAt, slot));
  if (!kept) releaseBatch(slot);
  ev.push(t, abi.EV_REPLICA_SCHEDULE, r, 0, 0);
  return completed;
}

/**
 * Runs the simulation until a chunk of finished request rows is ready (returns abi.STATUS_CHUNK; the host reads
 * the chunk and calls again), or to the end (or the time limit, or an error). After the end, the rows left
 * leave in further chunks (STATUS_CHUNK) until the last call returns the final status with the last rows.
 */
export function runLoop(): i32 {
  state.emitChunk(0);
  if (finishing) return finishRows();
  const chunk = abi.OUTPUT_CHUNK_ROWS;
  while (status == 0) {
    let t: f64 = 0;
    let type: i32 = 0;
    let a = 0, b = 0, c = 0;
    let slot = -1;
    // the next arrival's inputs come from the host in chunks
    if (nextArrival >= state.inFed && nextArrival < numInitialArrivals) return abi.STATUS_NEED_INPUT;
    // open-loop arrivals carry the smallest creation numbers, so they win every tie on time; heap events of the
    // FIFO's time were created before every FIFO event (assembly/events.ts), so they go before the FIFO
    const fifoTime = ev.fifoSize() > 0 ? ev.current : Infinity;
    if (
      nextArrival < numInitialArrivals && state.arrivedAt(nextArrival) <= fifoTime &&
      (ev.heapSize() == 0 || state.arrivedAt(nextArrival) <= ev.topTime())
    ) {
      t = state.arrivedAt(nextArrival);
      type = abi.EV_REQUEST_ARRIVAL;
      a = nextArrival++;
    } else if (ev.heapSize() > 0 && ev.topTime() <= fifoTime) {
      t = ev.topTime();
      slot = ev.pop();
      type = ev.slotType(slot);
      a = ev.slotA(slot);
      b = ev.slotB(slot);
      c = ev.slotC(slot);
      ev.releaseSlot(slot);
    } else if (ev.fifoSize() > 0) {
      t = fifoTime;
      const e = ev.fifoFront();
      type = load<i32>(e);
      a = load<i32>(e, 4);
      b = load<i32>(e, 8);
      c = load<i32>(e, 12);
      ev.fifoDrop();
    } else if (control.controlOn && control.heldCount() > 0 && grid.nextBoundary < Infinity) {
      // nothing left but held requests: tick at the next grid step (the controller releases them by their deadline)
      t = grid.nextBoundary;
      type = abi.EV_CONTROL_TICK;
      a = -1;
    } else {
      break;
    }
    if (timeLimit > 0 && t > timeLimit) {
      state.fail(abi.STATUS_TIME_LIMIT, t, 0, 0);
      break;
    }
    if (t >= grid.nextBoundary) grid.gridTick(t, type == abi.EV_CONTROL_TICK && a < 0); // microgrid steps ending by now (assembly/grid.ts)
    state.now = t;
    ev.current = t;
    makespan = t;
    count(abi.CNT_EVENTS);
    switch (type) {
      case abi.EV_REQUEST_ARRIVAL: onRequestArrival(t, a); break;
      case abi.EV_GLOBAL_SCHEDULE: onGlobalSchedule(t); break;
      case abi.EV_REPLICA_SCHEDULE: onReplicaSchedule(t, a); break;
      case abi.EV_BATCH_STAGE_ARRIVAL: onBatchStageArrival(t, a, b, c); break;
      case abi.EV_REPLICA_STAGE_SCHEDULE: onReplicaStageSchedule(t, a, b); break;
      case abi.EV_BATCH_STAGE_END: onStageEnd(t, a, b, c); break;
      case abi.EV_BATCH_END:
        // rows leave in id order once a whole chunk of them is finished (only a completion can make one ready)
        if (onBatchEndEvent(t, a, c) > 0 && state.readyRows() >= chunk) {
          state.emitChunk(chunk);
          return abi.STATUS_CHUNK;
        }
        break;
      case abi.EV_CONTROL_TICK:
        if (a >= 0) control.onRelease(t, a);
        else if (a == control.TICK_WAKE) control.onWake(t, b);
        break;
      default: break;
    }
  }
  if (status == 0) {
    // every request must have finished; otherwise something could never be scheduled (Vidur asserts here)
    let unfinished = 0;
    let example = -1;
    for (let i = state.emitBase; i < numRequests; i++) {
      if (!state.isLive(i) || loadI32(state.reqCompleted, i & reqMask) == 0) {
        unfinished++;
        if (example < 0) example = i;
      }
    }
    if (unfinished > 0) {
      const prompt = state.isLive(example) ? loadI32(state.reqPrefill, example & reqMask) : state.inputPrefill(example);
      fail(abi.ERR_STALLED, unfinished, example, prompt);
    }
  }
  // requests still waiting (a time limit) leave with the replica they were routed to
  if (status == 0 || status == abi.STATUS_TIME_LIMIT) {
    for (let r = 0; r < numReplicas; r++) {
      const queue = waitingQueue(r);
      for (let i = 0; i < queue.len; i++) state.admitted(queue.at(i), r);
    }
  }
  finishing = true;
  endStatus = status;
  // stages still running at a time limit credit their requests here, before those rows leave
  energyFinalize(makespan);
  if (endStatus != abi.STATUS_OK && endStatus != abi.STATUS_TIME_LIMIT) return endStatus;
  grid.gridFinish(); // the microgrid's last steps, on the finalized energy
  return finishRows();
}

/** After the loop: the next chunk of the remaining rows (finished or not). */
function finishRows(): i32 {
  const left = numRequests - state.emitBase;
  const rows = left < abi.OUTPUT_CHUNK_ROWS ? left : abi.OUTPUT_CHUNK_ROWS;
  // rows of requests that never arrived (a time limit) leave with their inputs
  if (state.emitBase + rows > state.inFed) return abi.STATUS_NEED_INPUT;
  state.emitChunk(rows);
  return state.emitBase < numRequests ? abi.STATUS_CHUNK : endStatus;
}
