// Metric buffers filled inside the loop: one record per batch and (optionally) per batch stage, token
// completion times (TBT) as exact run-length pairs, Vidur's time-weighted meters, and event counters.
import * as abi from "./abi";
import { F64Col, I32Col, allocF64, newF64Col, newI32Col } from "./vec";
import { numReplicas, numStages } from "./state";

export let brI32: usize = 0; // BR_I32_FIELDS I32Col*
export let brF64: usize = 0; // BR_F64_FIELDS F64Col*
export let srI32: usize = 0;
export let srF64: usize = 0;
export let tbtValues: F64Col = changetype<F64Col>(0);
export let tbtCounts: I32Col = changetype<I32Col>(0);
export let meters: usize = 0; // f64[(kind * numReplicas*numStages + index) * METER_FIELDS]
export const counters: usize = memory.data(abi.NUM_COUNTERS * 8);

export function allocMetrics(expectedBatches: i32, expectedTbtRuns: i32): void {
  brI32 = heap.alloc(<usize>abi.BR_I32_FIELDS * sizeof<usize>());
  brF64 = heap.alloc(<usize>abi.BR_F64_FIELDS * sizeof<usize>());
  for (let i = 0; i < abi.BR_I32_FIELDS; i++) store<usize>(brI32 + (<usize>i << alignof<usize>()), changetype<usize>(newI32Col(expectedBatches)));
  for (let i = 0; i < abi.BR_F64_FIELDS; i++) store<usize>(brF64 + (<usize>i << alignof<usize>()), changetype<usize>(newF64Col(expectedBatches)));
  srI32 = heap.alloc(<usize>abi.SR_I32_FIELDS * sizeof<usize>());
  srF64 = heap.alloc(<usize>abi.SR_F64_FIELDS * sizeof<usize>());
  for (let i = 0; i < abi.SR_I32_FIELDS; i++) store<usize>(srI32 + (<usize>i << alignof<usize>()), changetype<usize>(newI32Col(16)));
  for (let i = 0; i < abi.SR_F64_FIELDS; i++) store<usize>(srF64 + (<usize>i << alignof<usize>()), changetype<usize>(newF64Col(16)));
  tbtValues = newF64Col(expectedTbtRuns);
  tbtCounts = newI32Col(expectedTbtRuns);
  const slots = 3 * numReplicas * numStages * abi.METER_FIELDS;
  meters = allocF64(slots);
  for (let k = 0; k < 3 * numReplicas * numStages; k++) {
    store<f64>(meters + (<usize>(k * abi.METER_FIELDS + abi.METER_MIN) << 3), Infinity);
    store<f64>(meters + (<usize>(k * abi.METER_FIELDS + abi.METER_MAX) << 3), -Infinity);
  }
  memory.fill(counters, 0, abi.NUM_COUNTERS * 8);
}

@inline export function count(which: i32, by: f64 = 1): void {
  const p = counters + (<usize>which << 3);
  store<f64>(p, load<f64>(p) + by);
}

@inline export function brI(field: i32): I32Col {
  return changetype<I32Col>(load<usize>(brI32 + (<usize>field << alignof<usize>())));
}
@inline export function brF(field: i32): F64Col {
  return changetype<F64Col>(load<usize>(brF64 + (<usize>field << alignof<usize>())));
}
@inline export function srI(field: i32): I32Col {
  return changetype<I32Col>(load<usize>(srI32 + (<usize>field << alignof<usize>())));
}
@inline export function srF(field: i32): F64Col {
  return changetype<F64Col>(load<usize>(srF64 + (<usize>field << alignof<usize>())));
}

export function recordBatch(id: i32, replica: i32, size: i32, tokens: i32, prefill: i32, start: f64, end: f64): void {
  brI(abi.BR_ID).push(id);
  brI(abi.BR_REPLICA).push(replica);
  brI(abi.BR_SIZE).push(size);
  brI(abi.BR_NUM_TOKENS).push(tokens);
  brI(abi.BR_PREFILL_TOKENS).push(prefill);
  brF(abi.BR_SCHEDULED_AT).push(start);
  brF(abi.BR_COMPLETED_AT).push(end);
}

export function recordStage(replica: i32, stage: i32, batchId: i32, size: i32, tokens: i32, start: f64, end: f64, mfu: f64): void {
  srI(abi.SR_REPLICA).push(replica);
  srI(abi.SR_STAGE).push(stage);
  srI(abi.SR_BATCH_ID).push(batchId);
  srI(abi.SR_SIZE).push(size);
  srI(abi.SR_NUM_TOKENS).push(tokens);
  srF(abi.SR_START).push(start);
  srF(abi.SR_END).push(end);
  srF(abi.SR_MFU).push(mfu);
}

/** One TBT sample; equal consecutive values (requests of one batch that ran together) share a run. */
@inline export function recordTbt(value: f64): void {
  const n = tbtValues.len;
  if (n > 0 && tbtValues.at(n - 1) == value) {
    tbtCounts.setAt(n - 1, tbtCounts.at(n - 1) + 1);
  } else {
    tbtValues.push(value);
    tbtCounts.push(1);
  }
}

/** Vidur's SeriesAverageMeter.put: time-weighted mean that skips a segment whose start x is 0. */
export function meterPut(kind: i32, index: i32, x: f64, y: f64): void {
  const base = meters + (<usize>((kind * numReplicas * numStages + index) * abi.METER_FIELDS) << 3);
  if (load<f64>(base + (abi.METER_HAS_LAST << 3)) != 0) {
    const lastX = load<f64>(base + (abi.METER_LAST_X << 3));
    if (lastX != 0) {
      const dx = x - lastX;
      store<f64>(base + (abi.METER_NUMER << 3), load<f64>(base + (abi.METER_NUMER << 3)) + load<f64>(base + (abi.METER_LAST_Y << 3)) * dx);
      store<f64>(base + (abi.METER_DENOM << 3), load<f64>(base + (abi.METER_DENOM << 3)) + dx);
    }
  }
  store<f64>(base + (abi.METER_HAS_LAST << 3), 1);
  store<f64>(base + (abi.METER_LAST_X << 3), x);
  store<f64>(base + (abi.METER_LAST_Y << 3), y);
  if (y < load<f64>(base + (abi.METER_MIN << 3))) store<f64>(base + (abi.METER_MIN << 3), y);
  if (y > load<f64>(base + (abi.METER_MAX << 3))) store<f64>(base + (abi.METER_MAX << 3), y);
}
