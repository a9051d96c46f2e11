// Metric buffers filled inside the loop: one record per batch and (optionally) per batch stage, token
// completion times (TBT) as exact run-length pairs, Vidur's time-weighted meters, and event counters.
import * as abi from "./abi";
import { F64Col, I32Col, allocF64, newF64Col, newI32Col } from "./vec";
import { numReplicas, numStages, tbtExactRuns } from "./state";
import { allocSketch, sketchAdd } from "./tbt-sketch";

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
  const exactRuns = expectedTbtRuns < tbtExactRuns ? expectedTbtRuns : tbtExactRuns;
  tbtValues = newF64Col(exactRuns);
  tbtCounts = newI32Col(exactRuns);
  tbtSketching = false;
  pendingCount = 0;
  allocSketch();
  const slots = 3 * numReplicas * numStages * abi.METER_FIELDS;
  meters = allocF64(slots);
  for (let k = 0; k < 3 * numReplicas * numStages; k++) {
    store<f64>(meters + (<usize>(k * abi.METER_FIELDS + abi.METER_MIN) << 3), Infinity);
    store<f64>(meters + (<usize>(k * abi.METER_FIELDS + abi.METER_MAX) << 3), -Infinity);
    store<f64>(meters + (<usize>(k * abi.METER_FIELDS + abi.METER_COUNT) << 3), 1); // Vidur's put(0, 0) at start
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

/** True once the TBT runs passed tbtExactRuns: samples then go to the sketch (assembly/tbt-sketch.ts). */
export let tbtSketching: bool = false;
let pendingValue: f64 = 0; // sketch mode: the current run of equal samples, counted when it ends
let pendingCount: f64 = 0;

/** One TBT sample; equal consecutive values (requests of one batch that ran together) share a run. */
@inline export function recordTbt(value: f64): void {
  if (tbtSketching) {
    if (pendingCount > 0 && pendingValue == value) {
      pendingCount += 1;
    } else {
      if (pendingCount > 0) sketchAdd(pendingValue, pendingCount);
      pendingValue = value;
      pendingCount = 1;
    }
    return;
  }
  const n = tbtValues.len;
  if (n > 0 && tbtValues.at(n - 1) == value) {
    tbtCounts.setAt(n - 1, tbtCounts.at(n - 1) + 1);
  } else if (n >= tbtExactRuns) {
    startSketching(value);
  } else {
    tbtValues.push(value);
    tbtCounts.push(1);
  }
}

/** Folds the exact runs into the sketch and keeps sketching from `value` on. */
function startSketching(value: f64): void {
  for (let i = 0, n = tbtValues.len; i < n; i++) sketchAdd(tbtValues.at(i), <f64>tbtCounts.at(i));
  tbtValues.len = 0;
  tbtCounts.len = 0;
  tbtSketching = true;
  pendingValue = value;
  pendingCount = 1;
}

/** Counts the last pending run (call once the loop has ended). */
export function flushTbtSketch(): void {
  if (pendingCount > 0) sketchAdd(pendingValue, pendingCount);
  pendingCount = 0;
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
  store<f64>(base + (abi.METER_SUM << 3), load<f64>(base + (abi.METER_SUM << 3)) + y);
  store<f64>(base + (abi.METER_COUNT << 3), load<f64>(base + (abi.METER_COUNT << 3)) + 1);
  store<f64>(base + (abi.METER_HAS_LAST << 3), 1);
  store<f64>(base + (abi.METER_LAST_X << 3), x);
  store<f64>(base + (abi.METER_LAST_Y << 3), y);
  if (y < load<f64>(base + (abi.METER_MIN << 3))) store<f64>(base + (abi.METER_MIN << 3), y);
  if (y > load<f64>(base + (abi.METER_MAX << 3))) store<f64>(base + (abi.METER_MAX << 3), y);
}

/** Order-preserving unsigned key of a double (-0 keyed as 0): compares like the numbers do. */
@inline function sortKey(v: f64): u64 {
  const b = reinterpret<u64>(v == 0 ? 0.0 : v);
  return (b >> 63) != 0 ? ~b : b | (<u64>1 << 63);
}

@inline function keyValue(k: u64): f64 {
  return reinterpret<f64>((k >> 63) != 0 ? k & ~(<u64>1 << 63) : ~k);
}

/**
 * Sorts the TBT runs by value and merges equal values (counts added), in place, so the host reads them
 * ready for exact quantiles. LSD radix sort, four 16-bit digits, scratch from the (per-run) heap: linear
 * time in the number of runs, a few ms for the ~160k runs of a 100k-request run.
 */
export function sortTbtRuns(): void {
  const n = tbtValues.len;
  if (n < 2) return;
  let keys = heap.alloc(<usize>n << 3);
  let cnts = heap.alloc(<usize>n << 2);
  let keys2 = heap.alloc(<usize>n << 3);
  let cnts2 = heap.alloc(<usize>n << 2);
  const hist = heap.alloc(<usize>65536 << 2);
  for (let i = 0; i < n; i++) {
    store<u64>(keys + (<usize>i << 3), sortKey(tbtValues.at(i)));
    store<u32>(cnts + (<usize>i << 2), <u32>tbtCounts.at(i));
  }
  for (let pass: u64 = 0; pass < 4; pass++) {
    const shift = pass * 16;
    memory.fill(hist, 0, <usize>65536 << 2);
    for (let i = 0; i < n; i++) {
      const d = <usize>((load<u64>(keys + (<usize>i << 3)) >> shift) & 0xffff);
      store<u32>(hist + (d << 2), load<u32>(hist + (d << 2)) + 1);
    }
    let sum: u32 = 0;
    for (let d: usize = 0; d < 65536; d++) {
      const c = load<u32>(hist + (d << 2));
      store<u32>(hist + (d << 2), sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = load<u64>(keys + (<usize>i << 3));
      const d = <usize>((k >> shift) & 0xffff);
      const at = <usize>load<u32>(hist + (d << 2));
      store<u32>(hist + (d << 2), <u32>at + 1);
      store<u64>(keys2 + (at << 3), k);
      store<u32>(cnts2 + (at << 2), load<u32>(cnts + (<usize>i << 2)));
    }
    const tk = keys;
    keys = keys2;
    keys2 = tk;
    const tc = cnts;
    cnts = cnts2;
    cnts2 = tc;
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    const k = load<u64>(keys + (<usize>i << 3));
    const c = load<u32>(cnts + (<usize>i << 2));
    if (m > 0 && k == load<u64>(keys + (<usize>(i - 1) << 3))) {
      tbtCounts.setAt(m - 1, <i32>(<u32>tbtCounts.at(m - 1) + c));
      continue;
    }
    tbtValues.setAt(m, keyValue(k));
    tbtCounts.setAt(m, <i32>c);
    m++;
  }
  tbtValues.len = m;
  tbtCounts.len = m;
}
