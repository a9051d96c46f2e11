// Request lifecycle, exactly as Vidur's Request entity: scheduling timestamps, per-stage execution and
// preemption accounting, token progress (the prefill iteration also yields the first output token) and
// restart (preemption by recomputation).
import {
  FLAG_PREFILL_COMPLETE, FLAG_SCHEDULED, reqCompleted, reqCompletedAt, reqDecode, reqExecTime, reqFlags,
  reqLatestIterCompletedAt, reqLatestStageCompletedAt, reqPreemptedTime,
  reqPrefill, reqPrefillCompletedAt, reqProcessed, reqRestarts, reqScheduledAt, reqMask } from "./state";
import { loadF64, loadI32, storeF64, storeI32 } from "./vec";

@inline export function prefillTokens(req: i32): i32 { return loadI32(reqPrefill, req & reqMask); }
@inline export function decodeTokens(req: i32): i32 { return loadI32(reqDecode, req & reqMask); }
@inline export function processedTokens(req: i32): i32 { return loadI32(reqProcessed, req & reqMask); }
@inline export function isPrefillComplete(req: i32): bool { return (loadI32(reqFlags, req & reqMask) & FLAG_PREFILL_COMPLETE) != 0; }
@inline export function isCompleted(req: i32): bool { return loadI32(reqCompleted, req & reqMask) != 0; }
@inline export function isScheduled(req: i32): bool { return (loadI32(reqFlags, req & reqMask) & FLAG_SCHEDULED) != 0; }
/** Vidur's has_started_decode: n > P + 1. */
@inline export function hasStartedDecode(req: i32): bool { return loadI32(reqProcessed, req & reqMask) > loadI32(reqPrefill, req & reqMask) + 1; }
/**
 * Vidur's latest_iteration_scheduling_delay of the batch scheduled at `batchStart` that holds `req`: the time
 * since the request's previous iteration completed. Call before onBatchEnd moves that completion time on.
 * Computed here rather than stored at schedule time: a request sits in one batch at a time, so the operands,
 * and so the result, are the ones Vidur uses when it schedules the batch (8 bytes per request saved).
 */
@inline export function iterationSchedulingDelay(req: i32, batchStart: f64): f64 {
  return batchStart - loadF64(reqLatestIterCompletedAt, req & reqMask);
}

export function onBatchSchedule(req: i32, t: f64): void {
  const flags = loadI32(reqFlags, req & reqMask);
  if ((flags & FLAG_SCHEDULED) != 0) return;
  storeI32(reqFlags, req & reqMask, flags | FLAG_SCHEDULED);
  if (loadI32(reqRestarts, req & reqMask) > 0) return; // a restart keeps the first scheduled_at and scheduling_delay
  storeF64(reqScheduledAt, req & reqMask, t);
}

export function onBatchStageSchedule(req: i32, t: f64): void {
  const last = loadF64(reqLatestStageCompletedAt, req & reqMask);
  if (last == 0) storeF64(reqPreemptedTime, req & reqMask, 0);
  else storeF64(reqPreemptedTime, req & reqMask, loadF64(reqPreemptedTime, req & reqMask) + (t - last));
}

/** Stage end: its execution time (model time is the same: CPU overheads are not modelled) accrues to the request. */
export function onBatchStageEnd(req: i32, t: f64, exec: f64): void {
  storeF64(reqExecTime, req & reqMask, loadF64(reqExecTime, req & reqMask) + exec);
  storeF64(reqLatestStageCompletedAt, req & reqMask, t);
}

/** Advances the request by k tokens at batch end. Returns true if the request completed. */
export function onBatchEnd(req: i32, t: f64, k: i32): bool {
  let n = loadI32(reqProcessed, req & reqMask) + k;
  storeF64(reqLatestIterCompletedAt, req & reqMask, t);
  const P = loadI32(reqPrefill, req & reqMask);
  if (n == P) {
    storeI32(reqFlags, req & reqMask, loadI32(reqFlags, req & reqMask) | FLAG_PREFILL_COMPLETE);
    n += 1; // the prefill iteration also produces the first output token
    if (loadF64(reqPrefillCompletedAt, req & reqMask) == 0) storeF64(reqPrefillCompletedAt, req & reqMask, t);
  }
  storeI32(reqProcessed, req & reqMask, n);
  if (n == P + loadI32(reqDecode, req & reqMask)) {
    storeF64(reqCompletedAt, req & reqMask, t);
    storeI32(reqCompleted, req & reqMask, 1);
    return true;
  }
  return false;
}

/** Preemption by recomputation: every processed token becomes prompt. */
export function restart(req: i32): void {
  const total = loadI32(reqPrefill, req & reqMask) + loadI32(reqDecode, req & reqMask);
  const n = loadI32(reqProcessed, req & reqMask);
  storeI32(reqPrefill, req & reqMask, n);
  storeI32(reqDecode, req & reqMask, total - n);
  storeI32(reqProcessed, req & reqMask, 0);
  storeI32(reqFlags, req & reqMask, 0);
  storeI32(reqCompleted, req & reqMask, 0);
  storeI32(reqRestarts, req & reqMask, loadI32(reqRestarts, req & reqMask) + 1);
}
