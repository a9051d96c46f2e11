// tokenwatt's simulation engine: the exported surface of the WASM module. The host (src/engine/) writes the
// config block, calls prepare(), fills the input columns and op tables through the returned pointers, calls
// run() once, then reads results through typed-array views on memory (recreated after run(), since the
// memory may have grown). Every exported function works on module state; nothing crosses per event.
import * as abi from "./abi";
import { allocBatchPool } from "./batch";
import { allocLoop, makespan as loopMakespan, runLoop } from "./loop";
import { allocMetrics, brF, brI, counters, flushTbtSketch, meters, sortTbtRuns as metricsSortTbtRuns, srF, srI, tbtCounts, tbtSketching, tbtValues } from "./metrics";
import * as sketch from "./tbt-sketch";
import { allocOpTable, loadPredictorConfig, resetOpTables } from "./predictor";
import { allocGlobalScheduler } from "./schedulers/global";
import { allocSchedulerScratch } from "./schedulers/common";
import * as state from "./state";
import { configBlock } from "./generated/config";
import * as energy from "./energy";
import * as grid from "./grid";
import { controlReset } from "./control/control";
export { controlCounter, controlLogCount, controlLogPtr, controlPrepare } from "./control/control";
import { loadPtr } from "./vec";
import { microgridConfigBlock } from "./generated/microgrid-config";
import { inputColumn, microgridAllocate, microgridStep, outputColumn, probeRange, rows as microgridRows, runMicrogrid as microgridRun } from "./microgrid/microgrid";

export function configPtr(): usize {
  return configBlock;
}

/** Starts a simulation: frees everything of the previous one, reads the config, allocates request columns. */
export function prepare(): i32 {
  heap.reset();
  resetOpTables();
  energy.resetEnergy();
  grid.gridReset();
  controlReset();
  if (!state.loadConfig()) return state.status;
  state.allocRequests();
  return 0;
}

/**
 * Input ring columns (abi.IN_*; id's values at slot id & inputMask()), valid until the next
 * inputReserve. Feeding: inputReserve(count), write ids inputFedCount() + [0, count), inputFed(count).
 */
export function inputPtr(column: i32): usize {
  switch (column) {
    case abi.IN_ARRIVED_AT: return state.inArrived;
    case abi.IN_PREFILL_TOKENS: return state.inPrefill;
    case abi.IN_DECODE_TOKENS: return state.inDecode;
    case abi.IN_ROUTE: return state.routeTable;
    case abi.IN_CLASS: return state.inClass;
    case abi.IN_DEADLINE: return state.inDeadline;
    default: return 0;
  }
}
/** Makes room for the next `count` ids in the input ring (may grow memory: take views afterwards). */
export function inputReserve(count: i32): void {
  state.inputReserve(count);
}
export function inputFed(count: i32): void {
  state.inputFed(count);
}
/** The end of the bump heap so far (an empty allocation there: 16 bytes); the host's capacity checks read it. */
export function heapEndPtr(): usize {
  return heap.alloc(0);
}
/** The input ring's slot mask (all ones once the ring holds every id at its own slot). */
export function inputMask(): i32 {
  return state.inMask;
}
export function inputFedCount(): i32 {
  return state.inFed;
}

export function opTablePtr(op: i32, len: i32): usize {
  return allocOpTable(op, len);
}

/** Runs the whole simulation. Returns abi.STATUS_* or abi.ERR_*; details via errorArg(). */
export function run(): i32 {
  if (state.status != 0) return state.status;
  if (!loadPredictorConfig()) return state.status;
  state.allocReplicas();
  allocBatchPool();
  // batch records and TBT runs are about two per request; presize them only when they are kept
  allocMetrics(state.recordBatches ? state.numRequests * 2 + 16 : 16, state.recordTbt ? state.numRequests * 2 + 16 : 16);
  allocSchedulerScratch();
  allocGlobalScheduler();
  energy.loadEnergyConfig();
  energy.allocEnergy();
  state.allocRequestRing(energy.energyOn);
  allocLoop();
  return resume();
}

/**
 * Continues the simulation after run() or resume() returned abi.STATUS_CHUNK (the host has read that chunk:
 * chunkStart(), chunkRows(), requestF64Ptr / requestI32Ptr / energyRequestPtr). Returns the same statuses as run().
 */
export function resume(): i32 {
  return runLoop();
}

export function errorArg(i: i32): f64 {
  return load<f64>(state.errorArgs + (<usize>i << 3));
}
export function makespan(): f64 {
  return loopMakespan;
}
export function counter(i: i32): f64 {
  return load<f64>(counters + (<usize>i << 3));
}
/** Slots of the request ring (grows with the requests being served, not with the requests simulated). */
export function requestRingSlots(): i32 {
  return state.reqCap;
}
/** First request id of the current output chunk. */
export function chunkStart(): i32 {
  return state.chunkStart;
}
/** Rows in the current output chunk (ids chunkStart() + [0, chunkRows())). */
export function chunkRows(): i32 {
  return state.chunkLen;
}
/** Output chunk columns (abi.RQ_*), abi.OUTPUT_CHUNK_ROWS values each. */
export function requestF64Ptr(field: i32): usize {
  return loadPtr(state.outF64, field);
}
export function requestI32Ptr(field: i32): usize {
  return loadPtr(state.outI32, field);
}
export function batchCount(): i32 {
  return brI(abi.BR_ID).len;
}
export function batchI32Ptr(field: i32): usize {
  return brI(field).ptr;
}
export function batchF64Ptr(field: i32): usize {
  return brF(field).ptr;
}
export function stageCount(): i32 {
  return srI(abi.SR_REPLICA).len;
}
export function stageI32Ptr(field: i32): usize {
  return srI(field).ptr;
}
export function stageF64Ptr(field: i32): usize {
  return srF(field).ptr;
}
/** Sorts and merges the TBT runs in place (call after run(), before reading them); counts the sketch's last run. */
export function sortTbtRuns(): void {
  flushTbtSketch();
  metricsSortTbtRuns();
}
/** 1 if TBT samples went past the exact limit into the sketch (tbtSketchPtr, tbtSketchStat). */
export function tbtSketched(): i32 {
  return tbtSketching ? 1 : 0;
}
/** Sketch bucket counts (sketch.SKETCH_BUCKETS f64, bucket k = index k + SKETCH_OFFSET): 0 positive, 1 negative values. */
export function tbtSketchPtr(sign: i32): usize {
  return sign == 0 ? sketch.sketchPos : sketch.sketchNeg;
}
/** Sketch totals: 0 count, 1 zeros, 2 min, 3 max, 4 sum. */
export function tbtSketchStat(i: i32): f64 {
  switch (i) {
    case 0: return sketch.sketchCount;
    case 1: return sketch.sketchZeros;
    case 2: return sketch.sketchMin;
    case 3: return sketch.sketchMax;
    default: return sketch.sketchSum();
  }
}
export function tbtRunCount(): i32 {
  return tbtValues.len;
}
export function tbtValuesPtr(): usize {
  return tbtValues.ptr;
}
export function tbtCountsPtr(): usize {
  return tbtCounts.ptr;
}
/** Meters: f64[(kind * replicas*stages + index) * METER_FIELDS + field]. */
export function metersPtr(): usize {
  return meters;
}

// ---- energy (assembly/energy.ts) ----
/** Carbon-intensity table: 4·n f64 (start times, values, slopes, primitive at starts); call after prepare(). */
export function ciTablePtr(n: i32, end: f64): usize {
  return energy.allocCiTable(n, end);
}
/** Per request, interleaved f64 pairs: [2i + ER_ENERGY_J], [2i + ER_CI_J]. */
export function energyRequestPtr(): usize {
  return energy.energyRequestPtr();
}
export function energyBatchPtr(field: i32): usize {
  return energy.energyBatchPtr(field);
}
export function energyBatchCount(): i32 {
  return energy.energyBatchCount();
}
export function energyStagePtr(field: i32): usize {
  return energy.energyStagePtr(field);
}
export function energyStageCount(): i32 {
  return energy.energyStageCount();
}
/** Per replica: EP_FIELDS f64 (busy J, idle J, busy CI·J, idle CI·J, busy GPU-s). */
export function energyReplicaPtr(): usize {
  return energy.replicaTotals;
}
export function timelineLength(r: i32): i32 {
  return energy.timelineLength(r);
}
export function timelinePtr(r: i32, kind: i32): usize {
  return energy.timelinePtr(r, kind);
}
export function energyPeakPower(): f64 {
  return energy.peakPower;
}
export function energyEnd(): f64 {
  return energy.energyEnd;
}
/** ∫_0^t CI dt of the loaded table (g/kWh·s), for the host's idle baseline of the timeline. */
export function cumCi(t: f64): f64 {
  return energy.cumCi(t);
}

// ---- microgrid (assembly/microgrid/) ----
/** The microgrid settings block: MICROGRID_CONFIG_SLOTS f64 (src/engine/settings/microgrid.ts). */
export function microgridConfigPtr(): usize {
  return microgridConfigBlock;
}
/**
 * Allocates the microgrid's columns for `steps` rows and returns the input area (MI_FIELDS columns of
 * `steps` f64). `standalone` (tokenwatt cosim): frees everything first; otherwise after run() of a simulation.
 */
export function microgridPrepare(steps: i32, standalone: i32): usize {
  if (standalone != 0) heap.reset();
  microgridAllocate(steps);
  return microgridInputPtr(0);
}
export function microgridInputPtr(field: i32): usize {
  return inputColumn(field);
}
export function microgridOutputPtr(field: i32): usize {
  return outputColumn(field);
}
/** Runs every step in one call over the host-written inputs (load, solar, CI); returns the rows recorded. */
export function runMicrogrid(steps: i32, lastDt: f64): i32 {
  return microgridRun(steps, lastDt);
}
export function microgridRange(dt: f64, hi: i32): f64 {
  return probeRange(dt, hi);
}
/**
 * Enables the microgrid inside the next run() (call after prepare(), config slots written): `capacity` output
 * rows to start with, and a solar table of `solarCount` segments whose pointer is returned (4 columns of f64).
 */
export function microgridLoopPrepare(capacity: i32, solarCount: i32): usize {
  return grid.gridPrepare(capacity, solarCount);
}
/** Rows the microgrid recorded (after run()). */
export function microgridRowCount(): i32 {
  return microgridRows;
}
