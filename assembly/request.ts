// Request lifecycle, exactly as Vidur's Request entity: scheduling timestamps, per-stage execution and
// preemption accounting, token progress (the prefill iteration also yields the first output token) and
// restart (preemption by recomputation).
import {
  FLAG_PREFILL_COMPLETE, FLAG_SCHEDULED, reqCompleted, reqCompletedAt, reqDecode, reqExecTime, reqFlags,
  reqLatestIterCompletedAt, reqLatestStageCompletedAt, reqPreemptedTime,
  reqPrefill, reqPrefillCompletedAt, reqProcessed, reqRestarts, reqScheduledAt, reqMask } from "./state";
import { ldf, ldi, stf, sti } from "./vec";

@inline export function prefillTokens(req: i32): i32 { return ldi(reqPrefill, req & reqMask); }
@inline export function decodeTokens(req: i32): i32 { return ldi(reqDecode, req & reqMask); }
@inline export function processedTokens(req: i32): i32 { return ldi(reqProcessed, req & reqMask); }
@inline export function isPrefillComplete(req: i32): bool { return (ldi(reqFlags, req & reqMask) & FLAG_PREFILL_COMPLETE) != 0; }
@inline export function isCompleted(req: i32): bool { return ldi(reqCompleted, req & reqMask) != 0; }
@inline export function isScheduled(req: i32): bool { return (ldi(reqFlags, req & reqMask) & FLAG_SCHEDULED) != 0; }
/** Vidur's has_started_decode: n > P + 1. */
@inline export function hasStartedDecode(req: i32): bool { return ldi(reqProcessed, req & reqMask) > ldi(reqPrefill, req & reqMask) + 1; }
/**
 * Vidur's latest_iteration_scheduling_delay of the batch scheduled at `batchStart` that holds `req`: the time
 * since the request's previous iteration completed. Call before onBatchEnd moves that completion time on.
 * Computed here rather than stored at schedule time: a request sits in one batch at a time, so the operands,
 * and so the result, are the ones Vidur uses when it schedules the batch (8 bytes per request saved).
 */
@inline export function iterationSchedulingDelay(req: i32, batchStart: f64): f64 {
  return batchStart - ldf(reqLatestIterCompletedAt, req & reqMask);
}

export function onBatchSchedule(req: i32, t: f64): void {
  const flags = ldi(reqFlags, req & reqMask);
  if ((flags & FLAG_SCHEDULED) != 0) return;
  sti(reqFlags, req & reqMask, flags | FLAG_SCHEDULED);
  if (ldi(reqRestarts, req & reqMask) > 0) return; // a restart keeps the first scheduled_at and scheduling_delay
  stf(reqScheduledAt, req & reqMask, t);
}

export function onBatchStageSchedule(req: i32, t: f64): void {
  const last = ldf(reqLatestStageCompletedAt, req & reqMask);
  if (last == 0) stf(reqPreemptedTime, req & reqMask, 0);
  else stf(reqPreemptedTime, req & reqMask, ldf(reqPreemptedTime, req & reqMask) + (t - last));
}

/** Stage end: its execution time (model time is the same: CPU overheads are not modelled) accrues to the request. */
export function onBatchStageEnd(req: i32, t: f64, exec: f64): void {
  stf(reqExecTime, req & reqMask, ldf(reqExecTime, req & reqMask) + exec);
  stf(reqLatestStageCompletedAt, req & reqMask, t);
}

/** Advances the request by k tokens at batch end. Returns true if the request completed. */
export function onBatchEnd(req: i32, t: f64, k: i32): bool {
  let n = ldi(reqProcessed, req & reqMask) + k;
  stf(reqLatestIterCompletedAt, req & reqMask, t);
  const P = ldi(reqPrefill, req & reqMask);
  if (n == P) {
    sti(reqFlags, req & reqMask, ldi(reqFlags, req & reqMask) | FLAG_PREFILL_COMPLETE);
    n += 1; // the prefill iteration also produces the first output token
    if (ldf(reqPrefillCompletedAt, req & reqMask) == 0) stf(reqPrefillCompletedAt, req & reqMask, t);
  }
  sti(reqProcessed, req & reqMask, n);
  if (n == P + ldi(reqDecode, req & reqMask)) {
    stf(reqCompletedAt, req & reqMask, t);
    sti(reqCompleted, req & reqMask, 1);
    return true;
  }
  return false;
}

/** Preemption by recomputation: every processed token becomes prompt. */
export function restart(req: i32): void {
  const total = ldi(reqPrefill, req & reqMask) + ldi(reqDecode, req & reqMask);
  const n = ldi(reqProcessed, req & reqMask);
  sti(reqPrefill, req & reqMask, n);
  sti(reqDecode, req & reqMask, total - n);
  sti(reqProcessed, req & reqMask, 0);
  sti(reqFlags, req & reqMask, 0);
  sti(reqCompleted, req & reqMask, 0);
  sti(reqRestarts, req & reqMask, ldi(reqRestarts, req & reqMask) + 1);
}
