// Request lifecycle, exactly as Vidur's Request entity: scheduling timestamps, per-stage execution and
// preemption accounting, token progress (the prefill iteration also yields the first output token) and
// restart (preemption by recomputation).
import {
  FLAG_PREFILL_COMPLETE, FLAG_SCHEDULED, reqCompleted, reqCompletedAt, reqDecode, reqExecTime, reqFlags,
  reqLatestIterCompletedAt, reqLatestStageCompletedAt, reqPreemptedTime,
  reqPrefill, reqPrefillCompletedAt, reqProcessed, reqRestarts, reqScheduledAt, reqMask } from "./state";
import { I32List, loadF64, loadI32, storeF64, storeI32 } from "./vec";
import { free } from "./kv";
import { recordTbt } from "./metrics";

@inline export function prefillTokens(req: i32): i32 { return loadI32(reqPrefill, req & reqMask); }
@inline export function decodeTokens(req: i32): i32 { return loadI32(reqDecode, req & reqMask); }
@inline export function processedTokens(req: i32): i32 { return loadI32(reqProcessed, req & reqMask); }
@inline export function isPrefillComplete(req: i32): bool { return (loadI32(reqFlags, req & reqMask) & FLAG_PREFILL_COMPLETE) != 0; }
@inline export function isCompleted(req: i32): bool { return loadI32(reqCompleted, req & reqMask) != 0; }
@inline export function isScheduled(req: i32): bool { return (loadI32(reqFlags, req & reqMask) & FLAG_SCHEDULED) != 0; }

// The per-batch passes below (schedule, stage schedule, stage end, batch end) run over every request of every
// batch: each reads the columns it uses into locals once.

/** The batch is scheduled at t: its requests' first schedule time (a restart keeps the first one). */
export function batchScheduled(reqs: I32List, t: f64): void {
  const mask = reqMask;
  const flagsCol = reqFlags;
  for (let i = 0, n = reqs.size; i < n; i++) {
    const s = reqs.at(i) & mask;
    const flags = loadI32(flagsCol, s);
    if ((flags & FLAG_SCHEDULED) != 0) continue;
    storeI32(flagsCol, s, flags | FLAG_SCHEDULED);
    if (loadI32(reqRestarts, s) > 0) continue; // a restart keeps the first scheduled_at and scheduling_delay
    storeF64(reqScheduledAt, s, t);
  }
}

/** A stage of the batch starts at t: the time since each request's previous stage ended counts as preempted. */
export function stageScheduled(reqs: I32List, t: f64): void {
  const mask = reqMask;
  const lastCol = reqLatestStageCompletedAt;
  const preemptedCol = reqPreemptedTime;
  for (let i = 0, n = reqs.size; i < n; i++) {
    const s = reqs.at(i) & mask;
    const last = loadF64(lastCol, s);
    if (last == 0) storeF64(preemptedCol, s, 0);
    else storeF64(preemptedCol, s, loadF64(preemptedCol, s) + (t - last));
  }
}

/** A stage of the batch ends at t: its execution time (model time is the same: CPU overheads are not modelled) accrues to each request. */
export function stageEnded(reqs: I32List, t: f64, exec: f64): void {
  const mask = reqMask;
  const execCol = reqExecTime;
  const lastCol = reqLatestStageCompletedAt;
  for (let i = 0, n = reqs.size; i < n; i++) {
    const s = reqs.at(i) & mask;
    storeF64(execCol, s, loadF64(execCol, s) + exec);
    storeF64(lastCol, s, t);
  }
}

/**
 * Batch end for every request of a batch (scheduled at `start`, ending at `t`): each advances by its tokens
 * (the prefill iteration also yields the first output token) and may complete; then, with `keepTbt`, once it
 * has started decoding (n > P + 1), its time-between-tokens sample is taken (Vidur records it after the
 * scheduler's bookkeeping, which does not touch the fields it reads). The sample adds Vidur's
 * latest_iteration_scheduling_delay: the time from the request's previous iteration's completion to `start`,
 * read before the completion time moves on (computed here rather than stored at schedule time: a request sits
 * in one batch at a time, so the operands are the ones Vidur uses). With `running` (the scheduler's default
 * bookkeeping: finished requests free their blocks on replica r, the rest keep running, in batch order) that is
 * done in the same pass. Returns how many completed.
 */
export function endIteration(reqs: I32List, toks: I32List, t: f64, start: f64, keepTbt: bool, r: i32, running: I32List | null): i32 {
  const mask = reqMask;
  const processedCol = reqProcessed;
  const prefillCol = reqPrefill;
  const iterAtCol = reqLatestIterCompletedAt;
  let completed = 0;
  for (let i = 0, n = reqs.size; i < n; i++) {
    const req = reqs.at(i);
    const s = req & mask;
    const delay = keepTbt ? start - loadF64(iterAtCol, s) : 0;
    let done = loadI32(processedCol, s) + toks.at(i);
    storeF64(iterAtCol, s, t);
    const P = loadI32(prefillCol, s);
    if (done == P) {
      storeI32(reqFlags, s, loadI32(reqFlags, s) | FLAG_PREFILL_COMPLETE);
      done += 1; // the prefill iteration also produces the first output token
      if (loadF64(reqPrefillCompletedAt, s) == 0) storeF64(reqPrefillCompletedAt, s, t);
    }
    storeI32(processedCol, s, done);
    const finished = done == P + loadI32(reqDecode, s);
    if (finished) {
      storeF64(reqCompletedAt, s, t);
      storeI32(reqCompleted, s, 1);
      completed++;
    }
    if (running) {
      if (loadI32(reqCompleted, s) != 0) free(r, req);
      else running.push(req);
    }
    if (keepTbt && done > P + 1) recordTbt(t - start + delay); // has started decode
  }
  return completed;
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
