// GPU power and energy, integrated exactly inside the event loop. Every GPU of every replica (replicas × TP ×
// PP) is accounted from t = 0 to the end of the run: a pipeline stage's TP GPUs draw the stage power while a
// batch stage runs on them and the gap power (idle but serving) otherwise. A stage's energy is split over its
// requests by their share of the stage's FLOPs; gap energy is kept apart per replica. Carbon is integrated
// against a piecewise-linear intensity table (g/kWh over simulated seconds) through its exact primitive, so
// ∫ P·CI dt is exact whatever the stage lengths. Nothing here changes simulated times unless a power cap or a
// clock setting is configured (then compute-bound time stretches, see docs/energy.md).
import * as abi from "./abi";
import { batchReqs, bMfuFlops, bPrefillTokens, bTotalTokens, numSlots } from "./batch";
import * as config from "./generated/config";
import { PM_MFU, PM_PHASE } from "./generated/codes";
import { numReplicas, numRequests, numStages, recordBatches, recordStages } from "./state";
import { F64Col, allocF64, allocI32, ldf, ldi, ldp, newF64Col, stf, sti, stp } from "./vec";

export let energyOn: bool = false;
let model: i32 = 0;
let pGap: f64 = 0;
let pBase: f64 = 0;
let pMax: f64 = 0;
let pmA: f64 = 0;
let pmB: f64 = 0;
let pmC: f64 = 0;
let pmD: f64 = 0;
let pmE: f64 = 0;
let pmF: f64 = 0;
let peakFlops: f64 = 1;
let memBw: f64 = 1;
let wTokF: f64 = 0;
let wPairF: f64 = 0;
let wTokB: f64 = 0;
let wCtxB: f64 = 0;
let wFixB: f64 = 0;
let gpus: f64 = 1;
let cap: f64 = 0;
let configuredCap: f64 = 0; // --power-cap-w; a controller's cap replaces it while set (setPowerCap)
let clock: f64 = 1;
let dvfsExp: f64 = 3;
let minClock: f64 = 0.3;
let scaling: bool = false;
let step: f64 = 1;
let horizon: f64 = 0;
let deviceFlopsVidur: f64 = 1;

// per batch slot
let bWorkF: usize = 0; // FLOPs of one stage per GPU
let bWorkB: usize = 0; // HBM bytes of one stage per GPU
let bEnergy: usize = 0; // J over the batch's stages so far
let bCi: usize = 0;
let bBusyS: usize = 0; // stage seconds (for the batch's average power)
let bReqFlops: usize = 0; // f64* per slot: FLOPs of each request of the batch (same order as batchReqs)
let bReqFlopsCap: usize = 0; // i32 per slot: capacity of that buffer
// per replica*stage
let curStart: usize = 0;
let curPower: usize = 0;
let curC: usize = 0;
let curSlot: usize = 0; // i32, -1 = not running
let lastEnd: usize = 0;
let lastC: usize = 0;
// per request, interleaved (one cache line per update): [2i] energy J, [2i+1] CI integral
export let reqEX: usize = 0;
// per replica totals: EP_FIELDS f64 each
export let replicaTotals: usize = 0;
// timeline per replica: excess energy over the gap power, and its CI integral, per bucket
let tlE: usize = 0; // F64Col* per replica
let tlX: usize = 0;
// batch records (pushed with metrics.recordBatch) and stage records
let ebCols: usize = 0; // EB_FIELDS F64Col*
let esCols: usize = 0; // ES_FIELDS F64Col*
export let peakPower: f64 = 0;
export let energyEnd: f64 = 0;

// carbon-intensity table: segment j covers [ciT[j], ciT[j+1]) (the last up to ciEnd) with CI = v + s·(t − t_j)
// and primitive C(t_j) = ciC[j]
let ciN: i32 = 0;
let ciT: usize = 0;
let ciV: usize = 0;
let ciS: usize = 0;
let ciC: usize = 0;
let ciEnd: f64 = 0;
let ciWrap: bool = false;
let ciCursor: i32 = 0;

/** Allocates the carbon table (4 columns of n: start time, value, slope, primitive at start). The host fills it. */
export function allocCiTable(n: i32, end: f64): usize {
  ciN = n;
  ciEnd = end;
  ciCursor = 0;
  const p = allocF64(4 * n);
  ciT = p;
  ciV = p + (<usize>n << 3);
  ciS = p + (<usize>(2 * n) << 3);
  ciC = p + (<usize>(3 * n) << 3);
  return p;
}

export function resetEnergy(): void {
  ciN = 0;
  energyOn = false;
}

@inline function segPrim(j: i32, x: f64): f64 {
  const dx = x - ldf(ciT, j);
  return ldf(ciC, j) + dx * (ldf(ciV, j) + 0.5 * ldf(ciS, j) * dx);
}

/** Primitive of the carbon intensity: ∫_0^t CI dt (g/kWh · s). Queries are mostly increasing (a cursor). */
export function cumCi(t: f64): f64 {
  if (ciN == 0) return 0;
  if (ciN == 1 && t < ciEnd) return segPrim(0, t); // constant intensity (regions)
  const t0 = ldf(ciT, 0);
  let base: f64 = 0;
  let x = t;
  if (x >= ciEnd) {
    const last = ciN - 1;
    const total = segPrim(last, ciEnd);
    if (!ciWrap) {
      // hold the value at the end of the table
      const dx = ciEnd - ldf(ciT, last);
      return total + (ldf(ciV, last) + ldf(ciS, last) * dx) * (x - ciEnd);
    }
    const period = ciEnd - t0;
    const k = Math.floor((x - t0) / period);
    base = k * (total - segPrim(0, t0));
    x = x - k * period;
    if (x >= ciEnd) x = ciEnd; // rounding
  }
  let j = ciCursor;
  if (j >= ciN || ldf(ciT, j) > x) {
    // backwards (timeline bucket boundaries): binary search for the last start <= x
    let lo = 0;
    let hi = ciN - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ldf(ciT, mid) <= x) lo = mid;
      else hi = mid - 1;
    }
    j = lo;
  }
  while (j + 1 < ciN && ldf(ciT, j + 1) <= x) j++;
  ciCursor = j;
  return base + segPrim(j, x);
}

export function loadEnergyConfig(): void {
  energyOn = config.energyOn;
  if (!energyOn) return;
  model = config.powerModel;
  pGap = config.gapPowerW;
  pBase = config.basePowerW;
  pMax = config.maxPowerW;
  pmA = config.powerModelParam0;
  pmB = config.powerModelParam1;
  pmC = config.powerModelParam2;
  pmD = config.powerModelParam3;
  pmE = config.powerModelParam4;
  pmF = config.powerModelParam5;
  peakFlops = config.peakFlops;
  memBw = config.memoryBandwidth;
  wTokF = config.workTokenFlops;
  wPairF = config.workPairFlops;
  wTokB = config.workTokenBytes;
  wCtxB = config.workContextBytes;
  wFixB = config.workFixedBytes;
  gpus = config.gpusPerStage;
  cap = config.powerCapW;
  configuredCap = cap;
  clock = config.clockFraction;
  if (clock <= 0) clock = 1;
  dvfsExp = config.dvfsExponent;
  minClock = config.minClockFraction;
  scaling = cap > 0 || clock < 1;
  step = config.timelineStepS;
  if (step <= 0) step = 1;
  horizon = config.energyHorizonS;
  ciWrap = config.carbonWrap;
  deviceFlopsVidur = config.deviceFlops;
  if (peakFlops <= 0) peakFlops = 1;
  if (memBw <= 0) memBw = 1;
  if (gpus < 1) gpus = 1;
}

/** A controller's per-GPU power cap from now on (applies to stages that start later); 0 = the configured one. */
export function setPowerCap(w: f64): void {
  cap = w > 0 ? w : configuredCap;
  scaling = cap > 0 || clock < 1;
}

/** Per-run state; after allocBatchPool (needs numSlots). */
export function allocEnergy(): void {
  peakPower = 0;
  energyEnd = 0;
  ciCursor = 0;
  if (!energyOn) return;
  const RS = numReplicas * numStages;
  bWorkF = allocF64(numSlots);
  bWorkB = allocF64(numSlots);
  bEnergy = allocF64(numSlots);
  bCi = allocF64(numSlots);
  bBusyS = allocF64(numSlots);
  bReqFlops = heap.alloc(<usize>numSlots * sizeof<usize>());
  bReqFlopsCap = allocI32(numSlots);
  for (let i = 0; i < numSlots; i++) {
    stp(bReqFlops, i, allocF64(64));
    sti(bReqFlopsCap, i, 64);
  }
  curStart = allocF64(RS);
  curPower = allocF64(RS);
  curC = allocF64(RS);
  curSlot = allocI32(RS);
  for (let i = 0; i < RS; i++) sti(curSlot, i, -1);
  lastEnd = allocF64(RS);
  lastC = allocF64(RS);
  reqEX = allocF64(2 * numRequests);
  replicaTotals = allocF64(numReplicas * abi.EP_FIELDS);
  tlE = heap.alloc(<usize>numReplicas * sizeof<usize>());
  tlX = heap.alloc(<usize>numReplicas * sizeof<usize>());
  for (let r = 0; r < numReplicas; r++) {
    stp(tlE, r, changetype<usize>(newF64Col(64)));
    stp(tlX, r, changetype<usize>(newF64Col(64)));
  }
  ebCols = heap.alloc(<usize>abi.EB_FIELDS * sizeof<usize>());
  for (let i = 0; i < abi.EB_FIELDS; i++) stp(ebCols, i, changetype<usize>(newF64Col(recordBatches ? numRequests * 2 + 16 : 16)));
  esCols = heap.alloc(<usize>abi.ES_FIELDS * sizeof<usize>());
  for (let i = 0; i < abi.ES_FIELDS; i++) stp(esCols, i, changetype<usize>(newF64Col(16)));
}

@inline function col(base: usize, i: i32): F64Col {
  return changetype<F64Col>(ldp(base, i));
}

@inline function addTotal(r: i32, field: i32, v: f64): void {
  const p = replicaTotals + (<usize>(r * abi.EP_FIELDS + field) << 3);
  store<f64>(p, load<f64>(p) + v);
}

/** FLOPs of request i of the batch this stage: c new tokens after kv cached ones (causal pairs). */
@inline function requestFlops(c: f64, kv: f64): f64 {
  return wTokF * c + wPairF * (c * kv + 0.5 * c * (c + 1.0));
}

// Work of one stage of the batch (the same for every pipeline stage: equal layers per stage), accumulated in
// the predictor's single pass over the batch at its first stage (predictor.blockTimeMs): begin, one call per
// request, end.
let workFlops: f64 = 0;
let workCtx: f64 = 0;
let workPerRequest: usize = 0;

export function energyWorkBegin(slot: i32, n: i32): void {
  if (n > ldi(bReqFlopsCap, slot)) {
    stp(bReqFlops, slot, heap.realloc(ldp(bReqFlops, slot), <usize>(2 * n) << 3));
    sti(bReqFlopsCap, slot, 2 * n);
  }
  workPerRequest = ldp(bReqFlops, slot);
  workFlops = 0;
  workCtx = 0;
}

/** Request i of the batch runs c new tokens over kv cached ones. */
@inline export function energyWorkRequest(i: i32, c: f64, kv: f64): void {
  const fi = requestFlops(c, kv);
  stf(workPerRequest, i, fi);
  workFlops += fi;
  workCtx += kv + c;
}

export function energyWorkEnd(slot: i32): void {
  const T = <f64>ldi(bTotalTokens, slot);
  stf(bWorkF, slot, workFlops);
  stf(bWorkB, slot, wFixB + wTokB * T + wCtxB * workCtx);
  stf(bEnergy, slot, 0);
  stf(bCi, slot, 0);
  stf(bBusyS, slot, 0);
}

/** Power per GPU of a stage (before any cap). */
function modelPower(slot: i32, uc: f64, um: f64, exec: f64): f64 {
  if (model == PM_PHASE) {
    const T = <f64>ldi(bTotalTokens, slot);
    const share = <f64>ldi(bPrefillTokens, slot) / T;
    return share * pmA + (1.0 - share) * pmB;
  }
  if (model == PM_MFU) {
    // Vidur-Energy: P_idle + (P_max − P_idle)·min(1, (MFU/knee)^exponent), MFU a fraction (Vidur's convention)
    const u = vidurMfu(slot, exec);
    let f = u > 0 ? Math.pow(u / pmA, pmB) : 0.0;
    if (f > 1) f = 1;
    return pBase + (pMax - pBase) * f;
  }
  // roofline: g = min(1, A·um^B + C·uc^D + E·(um·uc)^F) with utilisations clamped to [0, 1]
  const m = um < 1 ? um : 1.0;
  const c = uc < 1 ? uc : 1.0;
  let g = pmA * (pmB == 1 ? m : Math.pow(m, pmB)) + pmC * (pmD == 1 ? c : Math.pow(c, pmD));
  if (pmE != 0) g += pmE * (pmF == 1 ? m * c : Math.pow(m * c, pmF));
  if (g > 1) g = 1;
  return pBase + (pMax - pBase) * g;
}

/** Vidur's MFU (fraction): its FLOP count (batch.bMfuFlops, set at stage 0) over the stage time and 2^40-scaled peak. */
@inline function vidurMfu(slot: i32, exec: f64): f64 {
  return ldf(bMfuFlops, slot) / exec / deviceFlopsVidur;
}

let lastClock: f64 = 1;

/**
 * A batch stage starts on (r, s) at t with execution time `exec`. Returns the execution time to use: `exec`
 * itself unless a power cap or clock setting stretches the compute-bound part.
 */
export function energyStageStart(r: i32, s: i32, slot: i32, t: f64, exec: f64): f64 {
  const F = ldf(bWorkF, slot);
  const B = ldf(bWorkB, slot);
  const uc = F / (peakFlops * exec);
  const um = B / (memBw * exec);
  let P = modelPower(slot, uc, um, exec);
  let x = exec;
  lastClock = 1;
  if (scaling) {
    // compute-bound share of the stage: its time scales with 1/clock, its dynamic power with clock^exp
    const kappa = uc + um > 0 ? uc / (uc + um) : 0.0;
    let f = clock;
    if (cap > 0 && P > cap && kappa > 0) {
      const ratio = (cap - pBase) / (P - pBase);
      const need = (ratio - (1.0 - kappa)) / kappa;
      const fc = need > 0 ? Math.pow(need, 1.0 / dvfsExp) : 0.0;
      if (fc < f) f = fc;
    }
    if (f < minClock) f = minClock;
    if (f < 1) {
      P = pBase + (P - pBase) * (kappa * Math.pow(f, dvfsExp) + 1.0 - kappa);
      x = exec * (kappa / f + 1.0 - kappa);
    }
    lastClock = f;
  }
  const idx = r * numStages + s;
  const c = cumCi(t);
  const gap = t - ldf(lastEnd, idx);
  if (gap > 0) {
    addTotal(r, abi.EP_IDLE_J, pGap * gpus * gap);
    addTotal(r, abi.EP_IDLE_CI_J, pGap * gpus * (c - ldf(lastC, idx)));
  }
  stf(curStart, idx, t);
  stf(curC, idx, c);
  stf(curPower, idx, P);
  sti(curSlot, idx, slot);
  if (P > peakPower) peakPower = P;
  if (recordStages) {
    col(esCols, abi.ES_POWER_W).push(P);
    col(esCols, abi.ES_COMPUTE_UTIL).push(F / (peakFlops * x));
    col(esCols, abi.ES_MEMORY_UTIL).push(B / (memBw * x));
    col(esCols, abi.ES_CLOCK).push(lastClock);
  }
  return x;
}

/** Adds `dp` watts over [a, b) to replica r's timeline buckets (and its CI integral). */
function timelineAdd(r: i32, a: f64, b: f64, ca: f64, cb: f64, dp: f64): void {
  if (b <= a) return;
  const e = col(tlE, r);
  const xcol = col(tlX, r);
  const k0 = <i32>Math.floor(a / step);
  let k1 = <i32>Math.floor(b / step);
  if (<f64>k1 * step == b && k1 > k0) k1--; // [a, b) ends exactly on a boundary
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
    const to = k == k1 ? b : <f64>(k + 1) * step;
    const cTo = k == k1 ? cb : cumCi(to);
    e.setAt(k, e.at(k) + dp * (to - from));
    xcol.setAt(k, xcol.at(k) + dp * (cTo - cFrom));
    from = to;
    cFrom = cTo;
  }
}

// the stage being closed by energyStageEnd: its requests are credited in loop.ts's onBatchStageEnd loop
// through energyAttribute (one pass over the batch instead of two)
let attrE: f64 = 0;
let attrX: f64 = 0;
let attrFlops: usize = 0;

/** Credits request `req` (position i of the batch) with its FLOP share of the stage just closed. */
@inline export function energyAttribute(req: i32, i: i32): void {
  const f = ldf(attrFlops, i);
  const p = reqEX + (<usize>req << 4);
  store<f64>(p, load<f64>(p) + attrE * f);
  store<f64>(p, load<f64>(p, 8) + attrX * f, 8);
}

/**
 * Closes the stage running on idx at tEnd: energy to the replica, the batch and the timeline; its requests
 * are credited here (`credit`) or by the caller through energyAttribute.
 */
function closeStage(r: i32, idx: i32, tEnd: f64, cEnd: f64, credit: bool): void {
  const slot = ldi(curSlot, idx);
  const a = ldf(curStart, idx);
  const P = ldf(curPower, idx);
  const dur = tEnd - a;
  const E = P * gpus * dur;
  const X = P * gpus * (cEnd - ldf(curC, idx));
  addTotal(r, abi.EP_BUSY_J, E);
  addTotal(r, abi.EP_BUSY_CI_J, X);
  addTotal(r, abi.EP_BUSY_GPU_S, gpus * dur);
  stf(bEnergy, slot, ldf(bEnergy, slot) + E);
  stf(bCi, slot, ldf(bCi, slot) + X);
  stf(bBusyS, slot, ldf(bBusyS, slot) + dur);
  timelineAdd(r, a, tEnd, ldf(curC, idx), cEnd, (P - pGap) * gpus);
  // split by FLOP share (the per-request FLOPs summed to F in computeWork, so the shares sum to 1)
  const F = ldf(bWorkF, slot);
  attrE = E / F;
  attrX = X / F;
  attrFlops = ldp(bReqFlops, slot);
  if (credit) {
    const reqs = batchReqs(slot);
    for (let i = 0, n = reqs.size; i < n; i++) energyAttribute(reqs.at(i), i);
  }
  sti(curSlot, idx, -1);
}

/** The stage on (r, s) ends at t; the caller then calls energyAttribute for each request of the batch. */
export function energyStageEnd(r: i32, s: i32, t: f64): void {
  const idx = r * numStages + s;
  const c = cumCi(t);
  closeStage(r, idx, t, c, false);
  stf(lastEnd, idx, t);
  stf(lastC, idx, c);
}

/** With metrics.recordBatch: the batch's energy record (same row order as the batch table). */
export function energyBatchRecorded(slot: i32): void {
  const E = ldf(bEnergy, slot);
  col(ebCols, abi.EB_ENERGY_J).push(E);
  col(ebCols, abi.EB_CI_J).push(ldf(bCi, slot));
  const busy = ldf(bBusyS, slot);
  col(ebCols, abi.EB_AVG_POWER_W).push(busy > 0 ? E / (busy * gpus) : 0.0);
}

/** End of the run: stages still running are cut at the horizon, idle tails run to it. */
export function energyFinalize(makespan: f64): void {
  if (!energyOn) return;
  const end = horizon > makespan ? horizon : makespan;
  energyEnd = end;
  const c = cumCi(end);
  for (let r = 0; r < numReplicas; r++) {
    for (let s = 0; s < numStages; s++) {
      const idx = r * numStages + s;
      if (ldi(curSlot, idx) >= 0) {
        closeStage(r, idx, end, c, true);
      } else {
        const gap = end - ldf(lastEnd, idx);
        if (gap > 0) {
          addTotal(r, abi.EP_IDLE_J, pGap * gpus * gap);
          addTotal(r, abi.EP_IDLE_CI_J, pGap * gpus * (c - ldf(lastC, idx)));
        }
      }
      stf(lastEnd, idx, end);
      stf(lastC, idx, c);
    }
    // the timeline covers [0, end) even where nothing ran
    const e = col(tlE, r);
    const xcol = col(tlX, r);
    let need = <i32>Math.ceil(end / step);
    if (need < 1) need = 1;
    while (e.len < need) {
      e.push(0);
      xcol.push(0);
    }
  }
}

/** Per request, interleaved f64 pairs: [2i + ER_ENERGY_J], [2i + ER_CI_J]. */
export function energyRequestPtr(): usize {
  return energyOn ? reqEX : 0;
}
export function energyBatchPtr(field: i32): usize {
  return energyOn ? col(ebCols, field).ptr : 0;
}
export function energyBatchCount(): i32 {
  return energyOn ? col(ebCols, 0).len : 0;
}
export function energyStagePtr(field: i32): usize {
  return energyOn ? col(esCols, field).ptr : 0;
}
export function energyStageCount(): i32 {
  return energyOn ? col(esCols, 0).len : 0;
}
export function timelineLength(r: i32): i32 {
  return energyOn ? col(tlE, r).len : 0;
}
/** kind 0: excess energy over the gap power (J), 1: its CI integral (J·g/kWh). */
export function timelinePtr(r: i32, kind: i32): usize {
  if (!energyOn) return 0;
  return kind == 0 ? col(tlE, r).ptr : col(tlX, r).ptr;
}

/**
 * GPU energy (J) of all replicas over [a, b], exact at any moment of the run: the gap power of every GPU, the
 * excess over it already recorded in timeline buckets k0..k1-1 (stages that ended), and the excess of the
 * stages still running, up to b. [a, b] must start on a bucket boundary (the microgrid's steps are whole
 * buckets; the last may end early at the end of the run). Called between events, so no stage ends inside.
 */
export function gpuEnergyBetween(a: f64, b: f64): f64 {
  if (!energyOn || b <= a) return 0;
  let e = pGap * gpus * <f64>(numReplicas * numStages) * (b - a);
  const k0 = <i32>Math.round(a / step);
  const k1 = <i32>Math.ceil(b / step - 1e-9);
  for (let r = 0; r < numReplicas; r++) {
    const c = col(tlE, r);
    const hi = k1 < c.len ? k1 : c.len;
    for (let k = k0; k < hi; k++) e += c.at(k);
    for (let s = 0; s < numStages; s++) {
      const idx = r * numStages + s;
      if (ldi(curSlot, idx) < 0) continue;
      const from = ldf(curStart, idx) > a ? ldf(curStart, idx) : a;
      if (b > from) e += (ldf(curPower, idx) - pGap) * gpus * (b - from);
    }
  }
  return e;
}
