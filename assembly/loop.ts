// The discrete-event loop and Vidur's seven event handlers. One call runs a whole simulation.
import * as grid from "./grid";
import * as control from "./control/control";
import * as abi from "./abi";
import { bBlockMs, bMfuFlops, bScheduledAt, bId, bPrefillTokens, bTotalTokens, batchReqs, batchToks, releaseBatch, numSlots } from "./batch";
import * as ev from "./events";
import { memoryUsagePercent } from "./kv";
import { count, meterPut, recordBatch, recordStage, recordTbt } from "./metrics";
import { blockTimeMs, mfuPercent, stageTimeS } from "./predictor";
import * as request from "./request";
import { hasStartedDecode, iterationSchedulingDelay, onBatchEnd, onBatchSchedule, onBatchStageSchedule } from "./request";
import { beginRound, route } from "./schedulers/global";
import { sortByArrival } from "./schedulers/common";
import { nextBatch, onBatchEndScheduler } from "./schedulers/registry";
import {
  arrivedAt, closedLoop, fail, numInitialArrivals, numReplicas, numRequests, numStages, pendingGlobal, rRunning,
  recordBatches, recordStages, recordTbt as keepTbt, reqArrived, reqReplica, sBusy, stageQueue, status, timeLimit, waitingQueue,
} from "./state";
import { I32List, allocF64, allocI32, ldf, ldi, newI32List, stf, sti } from "./vec";
import * as state from "./state";
import { energyAttribute, energyBatchRecorded, energyOn, energyStageEnd, energyStageStart } from "./energy";

let touched: usize = 0; // i32 per replica: got requests in this global scheduling round
let newBatches: I32List = changetype<I32List>(0);
let slotStageExec: usize = 0; // f64 per batch slot: execution time of its current stage
let nextClosedLoopRequest: i32 = 0;
export let makespan: f64 = 0;

export function allocLoop(): void {
  touched = allocI32(numReplicas);
  newBatches = newI32List(numStages + 1);
  slotStageExec = allocF64(numSlots);
  nextClosedLoopRequest = numInitialArrivals;
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
    sti(reqReplica, req, r);
    waitingQueue(r).pushBack(req);
    sti(touched, r, 1);
  }
  pending.clear();
  for (let r = 0; r < numReplicas; r++) {
    if (ldi(touched, r) != 0) {
      sti(touched, r, 0);
      ev.push(t, abi.EV_REPLICA_SCHEDULE, r, 0, 0);
    }
  }
}

function onReplicaSchedule(t: f64, r: i32): void {
  newBatches.clear();
  while (ldi(rRunning, r) < numStages) {
    const slot = nextBatch(r);
    if (slot < 0) break;
    newBatches.push(slot);
    sti(rRunning, r, ldi(rRunning, r) + 1);
  }
  if (newBatches.size == 0) return;
  meterPut(abi.METER_MEMORY, r, t, memoryUsagePercent(r));
  for (let b = 0, nb = newBatches.size; b < nb; b++) {
    const slot = newBatches.at(b);
    stf(bScheduledAt, slot, t);
    const reqs = batchReqs(slot);
    for (let i = 0, n = reqs.size; i < n; i++) onBatchSchedule(reqs.at(i), t);
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
  if (ldi(sBusy, idx) != 0 || queue.len == 0) return;
  sti(sBusy, idx, 1);
  const slot = queue.popFront();
  if (s == 0) {
    const block = blockTimeMs(slot);
    if (block < 0) return; // unknown op-table key: status is set, the loop stops
    stf(bBlockMs, slot, block);
  }
  let exec = stageTimeS(slot, ldf(bBlockMs, slot), s);
  if (exec < 0) return; // send_recv key missing from a sparse op table: status is set, the loop stops
  // energy: power of this stage; returns exec unchanged unless a power cap / clock setting stretches it
  if (energyOn) exec = energyStageStart(r, s, slot, t, exec);
  stf(slotStageExec, slot, exec);
  const reqs = batchReqs(slot);
  for (let i = 0, n = reqs.size; i < n; i++) onBatchStageSchedule(reqs.at(i), t);
  const mfu = mfuPercent(ldf(bMfuFlops, slot), exec);
  meterPut(abi.METER_BUSY, idx, t, 100);
  meterPut(abi.METER_MFU, idx, t, mfu);
  if (recordStages) recordStage(r, s, ldi(bId, slot), reqs.size, ldi(bTotalTokens, slot), t, t + exec, mfu);
  count(abi.CNT_STAGES);
  ev.push(t + exec, abi.EV_BATCH_STAGE_END, r, s, slot);
}

function onStageEnd(t: f64, r: i32, s: i32, slot: i32): void {
  const idx = r * numStages + s;
  sti(sBusy, idx, 0);
  if (energyOn) energyStageEnd(r, s, t);
  const exec = ldf(slotStageExec, slot);
  const reqs = batchReqs(slot);
  if (energyOn) {
    // same pass: credit each request with its FLOP share of the stage's energy
    for (let i = 0, n = reqs.size; i < n; i++) {
      const req = reqs.at(i);
      request.onBatchStageEnd(req, t, exec);
      energyAttribute(req, i);
    }
  } else {
    for (let i = 0, n = reqs.size; i < n; i++) request.onBatchStageEnd(reqs.at(i), t, exec);
  }
  meterPut(abi.METER_BUSY, idx, t, 0);
  meterPut(abi.METER_MFU, idx, t, 0);
  ev.push(t, abi.EV_REPLICA_STAGE_SCHEDULE, r, s, 0);
  if (s == numStages - 1) ev.push(t, abi.EV_BATCH_END, r, 0, slot);
  else ev.push(t, abi.EV_BATCH_STAGE_ARRIVAL, r, s + 1, slot);
}

function onBatchEndEvent(t: f64, r: i32, slot: i32): void {
  const reqs = batchReqs(slot);
  const toks = batchToks(slot);
  const n = reqs.size;
  let completed = 0;
  // one pass: advance every request and take its time-between-tokens sample (Vidur records it after the
  // scheduler's bookkeeping, which does not touch the fields it reads)
  const start = ldf(bScheduledAt, slot);
  for (let i = 0; i < n; i++) {
    const req = reqs.at(i);
    const delay = keepTbt ? iterationSchedulingDelay(req, start) : 0;
    if (onBatchEnd(req, t, toks.at(i))) completed++;
    if (keepTbt && hasStartedDecode(req)) recordTbt(t - start + delay);
  }
  const kept = onBatchEndScheduler(r, slot);
  sti(rRunning, r, ldi(rRunning, r) - 1);
  // metrics, in Vidur's order: completions, memory, per-token times, batch record
  if (completed > 0) {
    count(abi.CNT_COMPLETED, completed);
    if (closedLoop) {
      for (let i = 0; i < completed && nextClosedLoopRequest < numRequests; i++) {
        const next = nextClosedLoopRequest++;
        stf(reqArrived, next, t);
        ev.push(t, abi.EV_REQUEST_ARRIVAL, next, 0, 0);
      }
    }
  }
  meterPut(abi.METER_MEMORY, r, t, memoryUsagePercent(r));
  if (recordBatches) {
    recordBatch(ldi(bId, slot), r, n, ldi(bTotalTokens, slot), ldi(bPrefillTokens, slot), ldf(bScheduledAt, slot), t);
    if (energyOn) energyBatchRecorded(slot);
  }
  count(abi.CNT_BATCHES);
  count(abi.CNT_BATCH_SIZE_SUM, n);
  count(abi.CNT_BATCH_TOKENS_SUM, ldi(bTotalTokens, slot));
  count(abi.CNT_BATCH_EXEC_SUM, t - ldf(bScheduledAt, slot));
  if (!kept) releaseBatch(slot);
  ev.push(t, abi.EV_REPLICA_SCHEDULE, r, 0, 0);
}

/** Runs the simulation to the end (or the time limit, or an error). Returns the status code. */
export function runLoop(): i32 {
  let nextArrival = 0;
  while (status == 0) {
    let t: f64 = 0;
    let type: i32 = 0;
    let a = 0, b = 0, c = 0;
    let slot = -1;
    // open-loop arrivals carry the smallest creation numbers, so they win every tie on time
    if (nextArrival < numInitialArrivals && (ev.heapSize() == 0 || arrivedAt(nextArrival) <= ev.topTime())) {
      t = arrivedAt(nextArrival);
      type = abi.EV_REQUEST_ARRIVAL;
      a = nextArrival++;
    } else if (ev.heapSize() > 0) {
      t = ev.topTime();
      slot = ev.pop();
      type = ev.slotType(slot);
      a = ev.slotA(slot);
      b = ev.slotB(slot);
      c = ev.slotC(slot);
      ev.releaseSlot(slot);
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
    makespan = t;
    count(abi.CNT_EVENTS);
    switch (type) {
      case abi.EV_REQUEST_ARRIVAL: onRequestArrival(t, a); break;
      case abi.EV_GLOBAL_SCHEDULE: onGlobalSchedule(t); break;
      case abi.EV_REPLICA_SCHEDULE: onReplicaSchedule(t, a); break;
      case abi.EV_BATCH_STAGE_ARRIVAL: onBatchStageArrival(t, a, b, c); break;
      case abi.EV_REPLICA_STAGE_SCHEDULE: onReplicaStageSchedule(t, a, b); break;
      case abi.EV_BATCH_STAGE_END: onStageEnd(t, a, b, c); break;
      case abi.EV_BATCH_END: onBatchEndEvent(t, a, c); break;
      case abi.EV_CONTROL_TICK: if (a >= 0) control.onRelease(t, a); break;
      default: break;
    }
  }
  if (status == 0) {
    // every request must have finished; otherwise something could never be scheduled (Vidur asserts here)
    let unfinished = 0;
    let example = -1;
    for (let i = 0; i < numRequests; i++) {
      if (ldi(state.reqCompleted, i) == 0) {
        unfinished++;
        if (example < 0) example = i;
      }
    }
    if (unfinished > 0) fail(abi.ERR_STALLED, unfinished, example, example >= 0 ? ldi(state.reqPrefill, example) : 0);
  }
  return status;
}
