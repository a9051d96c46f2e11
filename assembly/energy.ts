// GPU power and energy, integrated exactly inside the event loop. Every GPU of every replica (replicas × TP ×
// PP) is accounted from t = 0 to the end of the run: a pipeline stage's TP GPUs draw the stage power while a
// batch stage runs on them and the gap power (idle but serving) otherwise. A stage's energy is split over its
// requests by their share of the stage's FLOPs; gap energy is kept apart per replica. Carbon is integrated
// against a piecewise-linear intensity table (g/kWh over simulated seconds) through its exact primitive, so
// ∫ P·CI dt is exact whatever the stage lengths. Nothing here changes simulated times unless a power cap or a
// clock setting is configured (then compute-bound time stretches, see docs/energy.md).
import * as abi from "./abi";
import { batchReqs, bTotalTokens, numSlots } from "./batch";
import * as config from "./generated/config";
import { dispatchStagePower } from "./generated/power-models";
import { numReplicas, numRequests, numStages, outEnergy, recordBatches, recordStages, reqEnergy, reqMask } from "./state";
import { F64Col, I32List, allocF64, allocI32, loadF64, loadI32, loadPtr, newF64Col, storeF64, storeI32, storePtr } from "./vec";

export let energyOn: bool = false;
// settings the engine adjusts (defaults for 0); every other one is read straight from ./generated/config
let peakFlops: f64 = 1;
let memoryBandwidth: f64 = 1;
let gpusPerStage: f64 = 1;
let clockFraction: f64 = 1;
let powerCapW: f64 = 0; // W per GPU: --power-cap-w, or a controller's cap while it sets one (setPowerCap)
let scaling: bool = false;
let timelineStepS: f64 = 1;

// per batch slot
let batchWorkFlops: usize = 0; // FLOPs of one stage per GPU
let batchWorkBytes: usize = 0; // HBM bytes of one stage per GPU
let batchEnergy: usize = 0; // J over the batch's stages so far
let batchCarbon: usize = 0;
let batchBusyS: usize = 0; // stage seconds (for the batch's average power)
let batchRequestFlops: usize = 0; // f64* per slot: FLOPs of each request of the batch (same order as batchReqs)
let batchRequestFlopsCap: usize = 0; // i32 per slot: capacity of that buffer
// per replica*stage
let stageStart: usize = 0;
let stagePower: usize = 0;
let stageStartCarbon: usize = 0;
let stageSlot: usize = 0; // i32, -1 = not running
let stageLastEnd: usize = 0;
let stageLastEndCarbon: usize = 0;
// per request, interleaved (one cache line per update): [2i] energy J, [2i+1] CI integral
// per replica totals: EP_FIELDS f64 each
export let replicaTotals: usize = 0;
// timeline per replica: excess energy over the gap power, and its CI integral, per bucket
let timelineEnergy: usize = 0; // F64Col* per replica
let timelineCarbon: usize = 0;
// batch records (pushed with metrics.recordBatch) and stage records
let batchEnergyCols: usize = 0; // EB_FIELDS F64Col*
let stageEnergyCols: usize = 0; // ES_FIELDS F64Col*
export let peakPower: f64 = 0;
export let energyEnd: f64 = 0;
// replica power phases set by a controller (assembly/control/actuators.ts): while a replica is off or waking
// up, its GPUs draw `phaseW` (W, the whole replica) instead of the gap power; NaN = no phase. The difference
// to the gap power goes into the replica's idle energy and its timeline buckets (negative excess when lower).
let phaseW: usize = 0; // f64 per replica
let phaseSince: usize = 0; // f64 per replica
let phaseSinceCi: usize = 0; // f64 per replica: CI primitive at phaseSince
let phaseKind: usize = 0; // i32 per replica
/** Σ (phase power − gap power) × duration per phase kind (J), and Σ durations (replica-seconds). */
export const phaseDeltaJ: usize = memory.data(4 * 8, 8);
export const phaseSeconds: usize = memory.data(4 * 8, 8);
// power-cap savings of a controller's cap: Σ over capped stages of the energy the uncapped stage would have
// drawn (plus gap power over the stretch) minus what the capped one drew (J; first order, same batch)
export let capSavedJ: f64 = 0;
let capByController: bool = false;

// carbon-intensity table: segment j covers [ciStart[j], ciStart[j+1]) (the last up to ciEnd) with CI = v + s·(t − t_j)
// and primitive C(t_j) = ciPrimitive[j]
let ciSegments: i32 = 0;
let ciStart: usize = 0;
let ciValue: usize = 0;
let ciSlope: usize = 0;
let ciPrimitive: usize = 0;
let ciEnd: f64 = 0;
let ciWrap: bool = false;
let ciCursor: i32 = 0;

/** Allocates the carbon table (4 columns of n: start time, value, slope, primitive at start). The host fills it. */
export function allocCiTable(n: i32, end: f64): usize {
  ciSegments = n;
  ciEnd = end;
  ciCursor = 0;
  const p = allocF64(4 * n);
  ciStart = p;
  ciValue = p + (<usize>n << 3);
  ciSlope = p + (<usize>(2 * n) << 3);
  ciPrimitive = p + (<usize>(3 * n) << 3);
  return p;
}

export function resetEnergy(): void {
  ciSegments = 0;
  energyOn = false;
}

@inline function segPrim(j: i32, x: f64): f64 {
  const dx = x - loadF64(ciStart, j);
  return loadF64(ciPrimitive, j) + dx * (loadF64(ciValue, j) + 0.5 * loadF64(ciSlope, j) * dx);
}

/** Primitive of the carbon intensity: ∫_0^t CI dt (g/kWh · s). Queries are mostly increasing (a cursor). */
export function cumCi(t: f64): f64 {
  if (ciSegments == 0) return 0;
  if (ciSegments == 1 && t < ciEnd) return segPrim(0, t); // constant intensity (regions)
  const t0 = loadF64(ciStart, 0);
  let base: f64 = 0;
  let x = t;
  if (x >= ciEnd) {
    const last = ciSegments - 1;
    const total = segPrim(last, ciEnd);
    if (!ciWrap) {
      // hold the value at the end of the table
      const dx = ciEnd - loadF64(ciStart, last);
      return total + (loadF64(ciValue, last) + loadF64(ciSlope, last) * dx) * (x - ciEnd);
    }
    const period = ciEnd - t0;
    const k = Math.floor((x - t0) / period);
    base = k * (total - segPrim(0, t0));
    x = x - k * period;
    if (x >= ciEnd) x = ciEnd; // rounding
  }
  let j = ciCursor;
  if (j >= ciSegments || loadF64(ciStart, j) > x) {
    // backwards (timeline bucket boundaries): binary search for the last start <= x
    let lo = 0;
    let hi = ciSegments - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (loadF64(ciStart, mid) <= x) lo = mid;
      else hi = mid - 1;
    }
    j = lo;
  }
  while (j + 1 < ciSegments && loadF64(ciStart, j + 1) <= x) j++;
  ciCursor = j;
  return base + segPrim(j, x);
}

export function loadEnergyConfig(): void {
  energyOn = config.energyOn;
  if (!energyOn) return;
  peakFlops = config.peakFlops > 0 ? config.peakFlops : 1;
  memoryBandwidth = config.memoryBandwidth > 0 ? config.memoryBandwidth : 1;
  gpusPerStage = config.gpusPerStage >= 1 ? config.gpusPerStage : 1;
  clockFraction = config.clockFraction > 0 ? config.clockFraction : 1;
  powerCapW = config.powerCapW;
  scaling = powerCapW > 0 || clockFraction < 1;
  timelineStepS = config.timelineStepS > 0 ? config.timelineStepS : 1;
  ciWrap = config.carbonWrap;
}

/** Per-run state; after allocBatchPool (needs numSlots). */
export function allocEnergy(): void {
  peakPower = 0;
  energyEnd = 0;
  ciCursor = 0;
  capSavedJ = 0;
  capByController = false;
  for (let k = 0; k < 4; k++) {
    store<f64>(phaseDeltaJ + (<usize>k << 3), 0);
    store<f64>(phaseSeconds + (<usize>k << 3), 0);
  }
  if (!energyOn) return;
  phaseW = allocF64(numReplicas);
  phaseSince = allocF64(numReplicas);
  phaseSinceCi = allocF64(numReplicas);
  phaseKind = allocI32(numReplicas);
  for (let r = 0; r < numReplicas; r++) storeF64(phaseW, r, NaN);
  const RS = numReplicas * numStages;
  batchWorkFlops = allocF64(numSlots);
  batchWorkBytes = allocF64(numSlots);
  batchEnergy = allocF64(numSlots);
  batchCarbon = allocF64(numSlots);
  batchBusyS = allocF64(numSlots);
  batchRequestFlops = heap.alloc(<usize>numSlots * sizeof<usize>());
  batchRequestFlopsCap = allocI32(numSlots);
  for (let i = 0; i < numSlots; i++) {
    storePtr(batchRequestFlops, i, allocF64(64));
    storeI32(batchRequestFlopsCap, i, 64);
  }
  stageStart = allocF64(RS);
  stagePower = allocF64(RS);
  stageStartCarbon = allocF64(RS);
  stageSlot = allocI32(RS);
  for (let i = 0; i < RS; i++) storeI32(stageSlot, i, -1);
  stageLastEnd = allocF64(RS);
  stageLastEndCarbon = allocF64(RS);
  replicaTotals = allocF64(numReplicas * abi.EP_FIELDS);
  timelineEnergy = heap.alloc(<usize>numReplicas * sizeof<usize>());
  timelineCarbon = heap.alloc(<usize>numReplicas * sizeof<usize>());
  for (let r = 0; r < numReplicas; r++) {
    storePtr(timelineEnergy, r, changetype<usize>(newF64Col(64)));
    storePtr(timelineCarbon, r, changetype<usize>(newF64Col(64)));
  }
  batchEnergyCols = heap.alloc(<usize>abi.EB_FIELDS * sizeof<usize>());
  for (let i = 0; i < abi.EB_FIELDS; i++) storePtr(batchEnergyCols, i, changetype<usize>(newF64Col(recordBatches ? numRequests * 2 + 16 : 16)));
  stageEnergyCols = heap.alloc(<usize>abi.ES_FIELDS * sizeof<usize>());
  for (let i = 0; i < abi.ES_FIELDS; i++) storePtr(stageEnergyCols, i, changetype<usize>(newF64Col(16)));
}

@inline function col(base: usize, i: i32): F64Col {
  return changetype<F64Col>(loadPtr(base, i));
}

@inline function addTotal(r: i32, field: i32, v: f64): void {
  const p = replicaTotals + (<usize>(r * abi.EP_FIELDS + field) << 3);
  store<f64>(p, load<f64>(p) + v);
}

/**
 * FLOPs of one request of the batch this stage: c new tokens after kv cached ones (causal pairs), with the
 * work coefficients config.workTokenFlops and config.workPairFlops (passed in: the caller's loop keeps them in
 * locals).
 */
@inline export function requestFlops(c: f64, kv: f64, tokenFlops: f64, pairFlops: f64): f64 {
  return tokenFlops * c + pairFlops * (c * kv + 0.5 * c * (c + 1.0));
}

// Work of one stage of the batch (the same for every pipeline stage: equal layers per stage), accumulated in
// the predictor's single pass over the batch at its first stage (predictor.blockTimeMs): energyWorkBegin gives
// the buffer for the per-request FLOPs (requestFlops, in batch order), energyWorkEnd takes their sum and the
// summed context (kv + c) of the batch.

/** Returns the slot's buffer of per-request FLOPs, with room for n requests. */
export function energyWorkBegin(slot: i32, n: i32): usize {
  if (n > loadI32(batchRequestFlopsCap, slot)) {
    storePtr(batchRequestFlops, slot, heap.realloc(loadPtr(batchRequestFlops, slot), <usize>(2 * n) << 3));
    storeI32(batchRequestFlopsCap, slot, 2 * n);
  }
  return loadPtr(batchRequestFlops, slot);
}

export function energyWorkEnd(slot: i32, workFlops: f64, workCtx: f64): void {
  const T = <f64>loadI32(bTotalTokens, slot);
  storeF64(batchWorkFlops, slot, workFlops);
  storeF64(batchWorkBytes, slot, config.workFixedBytes + config.workTokenBytes * T + config.workContextBytes * workCtx);
  storeF64(batchEnergy, slot, 0);
  storeF64(batchCarbon, slot, 0);
  storeF64(batchBusyS, slot, 0);
}

let lastClock: f64 = 1;

/** A controller's per-GPU power cap from now on (stages that start later); 0 = back to --power-cap-w. */
export function setPowerCap(w: f64): void {
  powerCapW = w > 0 ? w : config.powerCapW;
  capByController = w > 0;
  scaling = powerCapW > 0 || clockFraction < 1;
}

/** GPUs of one replica (TP × PP). */
export function gpusPerReplica(): f64 {
  return gpusPerStage * <f64>numStages;
}

/** Gap power of a whole replica (W): every GPU of its stages idle but serving. */
export function replicaGapW(): f64 {
  return config.gapPowerW * gpusPerStage * <f64>numStages;
}

/** Closes replica r's power phase at t (if any): its difference to the gap power into idle energy and timeline. */
function closePhase(r: i32, t: f64): void {
  const w = loadF64(phaseW, r);
  if (isNaN(w)) return;
  const a = loadF64(phaseSince, r);
  const c = cumCi(t);
  const dp = w - replicaGapW();
  if (t > a) {
    addTotal(r, abi.EP_IDLE_J, dp * (t - a));
    addTotal(r, abi.EP_IDLE_CI_J, dp * (c - loadF64(phaseSinceCi, r)));
    timelineAdd(r, a, t, loadF64(phaseSinceCi, r), c, dp);
    const k = loadI32(phaseKind, r);
    store<f64>(phaseDeltaJ + (<usize>k << 3), load<f64>(phaseDeltaJ + (<usize>k << 3)) + dp * (t - a));
    store<f64>(phaseSeconds + (<usize>k << 3), load<f64>(phaseSeconds + (<usize>k << 3)) + (t - a));
  }
  storeF64(phaseW, r, NaN);
}

/**
 * From t on, replica r (no stage running on it) draws `w` W in total (phase `kind`, 0..3, for the counters);
 * w NaN: back to the gap power of its GPUs.
 */
export function setReplicaPower(r: i32, t: f64, w: f64, kind: i32): void {
  if (!energyOn) return;
  closePhase(r, t);
  if (isNaN(w)) return;
  storeF64(phaseW, r, w);
  storeF64(phaseSince, r, t);
  storeF64(phaseSinceCi, r, cumCi(t));
  storeI32(phaseKind, r, kind);
}

/**
 * A batch stage starts on (r, s) at t with execution time `exec`. Returns the execution time to use: `exec`
 * itself unless a power cap or clock setting stretches the compute-bound part.
 */
export function energyStageStart(r: i32, s: i32, slot: i32, t: f64, exec: f64): f64 {
  const F = loadF64(batchWorkFlops, slot);
  const B = loadF64(batchWorkBytes, slot);
  const uc = F / (peakFlops * exec);
  const um = B / (memoryBandwidth * exec);
  let P = dispatchStagePower(config.powerModel, slot, uc, um, exec);
  let x = exec;
  lastClock = 1;
  if (scaling) {
    // compute-bound share of the stage: its time scales with 1/clock, its dynamic power with clock^exponent
    const kappa = uc + um > 0 ? uc / (uc + um) : 0.0;
    let f = clockFraction;
    if (powerCapW > 0 && P > powerCapW && kappa > 0) {
      const ratio = (powerCapW - config.basePowerW) / (P - config.basePowerW);
      const need = (ratio - (1.0 - kappa)) / kappa;
      const fc = need > 0 ? Math.pow(need, 1.0 / config.dvfsExponent) : 0.0;
      if (fc < f) f = fc;
    }
    if (f < config.minClockFraction) f = config.minClockFraction;
    if (f < 1) {
      const P0 = P;
      P = config.basePowerW + (P - config.basePowerW) * (kappa * Math.pow(f, config.dvfsExponent) + 1.0 - kappa);
      x = exec * (kappa / f + 1.0 - kappa);
      if (capByController) capSavedJ += (P0 * exec + config.gapPowerW * (x - exec) - P * x) * gpusPerStage;
    }
    lastClock = f;
  }
  const idx = r * numStages + s;
  const c = cumCi(t);
  const gap = t - loadF64(stageLastEnd, idx);
  if (gap > 0) {
    addTotal(r, abi.EP_IDLE_J, config.gapPowerW * gpusPerStage * gap);
    addTotal(r, abi.EP_IDLE_CI_J, config.gapPowerW * gpusPerStage * (c - loadF64(stageLastEndCarbon, idx)));
  }
  storeF64(stageStart, idx, t);
  storeF64(stageStartCarbon, idx, c);
  storeF64(stagePower, idx, P);
  storeI32(stageSlot, idx, slot);
  if (P > peakPower) peakPower = P;
  if (recordStages) {
    col(stageEnergyCols, abi.ES_POWER_W).push(P);
    col(stageEnergyCols, abi.ES_COMPUTE_UTIL).push(F / (peakFlops * x));
    col(stageEnergyCols, abi.ES_MEMORY_UTIL).push(B / (memoryBandwidth * x));
    col(stageEnergyCols, abi.ES_CLOCK).push(lastClock);
  }
  return x;
}

/** Adds `dp` watts over [a, b) to replica r's timeline buckets (and its CI integral). */
function timelineAdd(r: i32, a: f64, b: f64, ca: f64, cb: f64, dp: f64): void {
  if (b <= a) return;
  const e = col(timelineEnergy, r);
  const xcol = col(timelineCarbon, r);
  const k0 = <i32>Math.floor(a / timelineStepS);
  let k1 = <i32>Math.floor(b / timelineStepS);
  if (<f64>k1 * timelineStepS == b && k1 > k0) k1--; // [a, b) ends exactly on a boundary
  while (e.len <= k1) {
    e.push(0);
    xcol.push(0);
  }
  if (k0 == k1) {
    e.setAt(k0, e.at(k0) + dp * (b - a));
    xcol.setAt(k0, xcol.at(k0) + dp * (cb - ca));
    return;
  }
  let from = a;
  let cFrom = ca;
  for (let k = k0; k <= k1; k++) {
    const to = k == k1 ? b : <f64>(k + 1) * timelineStepS;
    const cTo = k == k1 ? cb : cumCi(to);
    e.setAt(k, e.at(k) + dp * (to - from));
    xcol.setAt(k, xcol.at(k) + dp * (cTo - cFrom));
    from = to;
    cFrom = cTo;
  }
}

// the stage being closed by energyStageEnd: its requests are credited by energyCredit
let attributeEnergyPerFlop: f64 = 0;
let attributeCarbonPerFlop: f64 = 0;
let attributeFlops: usize = 0;

/** Credits every request of the batch (in batch order) with its FLOP share of the stage just closed. */
export function energyCredit(reqs: I32List): void {
  const flops = attributeFlops;
  const perFlopJ = attributeEnergyPerFlop;
  const perFlopCi = attributeCarbonPerFlop;
  const energyCol = reqEnergy;
  const mask = reqMask;
  for (let i = 0, n = reqs.size; i < n; i++) {
    const f = loadF64(flops, i);
    const p = energyCol + (<usize>(reqs.at(i) & mask) << 4);
    store<f64>(p, load<f64>(p) + perFlopJ * f);
    store<f64>(p, load<f64>(p, 8) + perFlopCi * f, 8);
  }
}

/**
 * Closes the stage running on idx at tEnd: energy to the replica, the batch and the timeline; its requests
 * are credited here (`credit`) or by the caller (energyCredit).
 */
function closeStage(r: i32, idx: i32, tEnd: f64, cEnd: f64, credit: bool): void {
  const slot = loadI32(stageSlot, idx);
  const a = loadF64(stageStart, idx);
  const P = loadF64(stagePower, idx);
  const dur = tEnd - a;
  const E = P * gpusPerStage * dur;
  const X = P * gpusPerStage * (cEnd - loadF64(stageStartCarbon, idx));
  addTotal(r, abi.EP_BUSY_J, E);
  addTotal(r, abi.EP_BUSY_CI_J, X);
  addTotal(r, abi.EP_BUSY_GPU_S, gpusPerStage * dur);
  storeF64(batchEnergy, slot, loadF64(batchEnergy, slot) + E);
  storeF64(batchCarbon, slot, loadF64(batchCarbon, slot) + X);
  storeF64(batchBusyS, slot, loadF64(batchBusyS, slot) + dur);
  timelineAdd(r, a, tEnd, loadF64(stageStartCarbon, idx), cEnd, (P - config.gapPowerW) * gpusPerStage);
  // split by FLOP share (the per-request FLOPs summed to F in computeWork, so the shares sum to 1)
  const F = loadF64(batchWorkFlops, slot);
  attributeEnergyPerFlop = E / F;
  attributeCarbonPerFlop = X / F;
  attributeFlops = loadPtr(batchRequestFlops, slot);
  if (credit) energyCredit(batchReqs(slot));
  storeI32(stageSlot, idx, -1);
}

/** The stage on (r, s) ends at t; the caller then credits the batch's requests (energyCredit). */
export function energyStageEnd(r: i32, s: i32, t: f64): void {
  const idx = r * numStages + s;
  const c = cumCi(t);
  closeStage(r, idx, t, c, false);
  storeF64(stageLastEnd, idx, t);
  storeF64(stageLastEndCarbon, idx, c);
}

/** With metrics.recordBatch: the batch's energy record (same row order as the batch table). */
export function energyBatchRecorded(slot: i32): void {
  const E = loadF64(batchEnergy, slot);
  col(batchEnergyCols, abi.EB_ENERGY_J).push(E);
  col(batchEnergyCols, abi.EB_CI_J).push(loadF64(batchCarbon, slot));
  const busy = loadF64(batchBusyS, slot);
  col(batchEnergyCols, abi.EB_AVG_POWER_W).push(busy > 0 ? E / (busy * gpusPerStage) : 0.0);
}

/** End of the run: stages still running are cut at the horizon, idle tails run to it. */
export function energyFinalize(makespan: f64): void {
  if (!energyOn) return;
  const end = config.energyHorizonS > makespan ? config.energyHorizonS : makespan;
  energyEnd = end;
  for (let r = 0; r < numReplicas; r++) closePhase(r, end);
  const c = cumCi(end);
  for (let r = 0; r < numReplicas; r++) {
    for (let s = 0; s < numStages; s++) {
      const idx = r * numStages + s;
      if (loadI32(stageSlot, idx) >= 0) {
        closeStage(r, idx, end, c, true);
      } else {
        const gap = end - loadF64(stageLastEnd, idx);
        if (gap > 0) {
          addTotal(r, abi.EP_IDLE_J, config.gapPowerW * gpusPerStage * gap);
          addTotal(r, abi.EP_IDLE_CI_J, config.gapPowerW * gpusPerStage * (c - loadF64(stageLastEndCarbon, idx)));
        }
      }
      storeF64(stageLastEnd, idx, end);
      storeF64(stageLastEndCarbon, idx, c);
    }
    // the timeline covers [0, end) even where nothing ran
    const e = col(timelineEnergy, r);
    const xcol = col(timelineCarbon, r);
    let need = <i32>Math.ceil(end / timelineStepS);
    if (need < 1) need = 1;
    while (e.len < need) {
      e.push(0);
      xcol.push(0);
    }
  }
}

/** Per request, interleaved f64 pairs: [2i + ER_ENERGY_J], [2i + ER_CI_J]. */
export function energyRequestPtr(): usize {
  return energyOn ? outEnergy : 0;
}
export function energyBatchPtr(field: i32): usize {
  return energyOn ? col(batchEnergyCols, field).ptr : 0;
}
export function energyBatchCount(): i32 {
  return energyOn ? col(batchEnergyCols, 0).len : 0;
}
export function energyStagePtr(field: i32): usize {
  return energyOn ? col(stageEnergyCols, field).ptr : 0;
}
export function energyStageCount(): i32 {
  return energyOn ? col(stageEnergyCols, 0).len : 0;
}
export function timelineLength(r: i32): i32 {
  return energyOn ? col(timelineEnergy, r).len : 0;
}
/** kind 0: excess energy over the gap power (J), 1: its CI integral (J·g/kWh). */
export function timelinePtr(r: i32, kind: i32): usize {
  if (!energyOn) return 0;
  return kind == 0 ? col(timelineEnergy, r).ptr : col(timelineCarbon, r).ptr;
}

/**
 * GPU energy (J) of all replicas over [a, b], exact at any moment of the run: the gap power of every GPU, the
 * excess over it already recorded in timeline buckets k0..k1-1 (stages that ended), and the excess of the
 * stages still running, up to b. [a, b] must start on a bucket boundary (the microgrid's steps are whole
 * buckets; the last may end early at the end of the run). Called between events, so no stage ends inside.
 */
export function gpuEnergyBetween(a: f64, b: f64): f64 {
  if (!energyOn || b <= a) return 0;
  let e = config.gapPowerW * gpusPerStage * <f64>(numReplicas * numStages) * (b - a);
  const k0 = <i32>Math.round(a / timelineStepS);
  const k1 = <i32>Math.ceil(b / timelineStepS - 1e-9);
  for (let r = 0; r < numReplicas; r++) {
    const c = col(timelineEnergy, r);
    const hi = k1 < c.len ? k1 : c.len;
    for (let k = k0; k < hi; k++) e += c.at(k);
    const w = loadF64(phaseW, r);
    if (!isNaN(w)) {
      const from = loadF64(phaseSince, r) > a ? loadF64(phaseSince, r) : a;
      if (b > from) e += (w - replicaGapW()) * (b - from);
    }
    for (let s = 0; s < numStages; s++) {
      const idx = r * numStages + s;
      if (loadI32(stageSlot, idx) < 0) continue;
      const from = loadF64(stageStart, idx) > a ? loadF64(stageStart, idx) : a;
      if (b > from) e += (loadF64(stagePower, idx) - config.gapPowerW) * gpusPerStage * (b - from);
    }
  }
  return e;
}
