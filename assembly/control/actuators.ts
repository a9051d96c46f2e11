// The controller's actuators on the cluster, inside the engine: a batch-size cap per replica and the number of
// active replicas. Controllers call setBatchCap / setActiveReplicas at grid steps; nothing here runs per event
// in open loop (the loop consults these only while state.replicasGated / state.replicasCapped are set).
//
// Batch cap: a replica admits a new request only while fewer than its cap hold KV blocks on it (vLLM, Sarathi
// and LightLLM's own cap check, and Orca / FasterTransformer's admission); requests already running are never
// evicted, so a lowered cap takes effect as they finish. The cap lies in [1, --replica_config_batch_size_cap].
//
// Replicas: lowering the count drains the highest-numbered active replicas: no new request is routed to them,
// and each finishes its running batches and its own queue (queued requests are not handed back: they were
// routed there and keep Vidur's per-replica order). A drained replica goes off (--replica-drain-to off: its
// GPUs draw --replica-off-power-w for the whole replica) or idle (on, gap power, not routed to). Raising the
// count takes back draining replicas first, then idle ones (at once), then off ones, which wake up for
// --replica-wake-up-s at --replica-wake-up-power-w before they are routed to again. At least one replica stays
// active. Energy: off and waking replicas draw their phase power exactly (assembly/energy.ts setReplicaPower).
import * as ca from "./abi";
import * as abi from "../abi";
import * as ev from "../events";
import { controlLoadWindowS, replicaDrainToOff, replicaOffPowerW, replicaWakeUpPowerW, replicaWakeUpS } from "../generated/config";
import { mapSize } from "../kv";
import { replicaGapW, setReplicaPower } from "../energy";
import {
  REPLICA_ACTIVE, REPLICA_DRAINING, REPLICA_IDLE, REPLICA_OFF, REPLICA_WAKING, batchSizeCap, numReplicas, rBatchCap, rMode,
  rRunning, setReplicasCapped, setReplicasGated, waitingQueue,
} from "../state";
import { loadI32, storeI32 } from "../vec";

/** EV_CONTROL_TICK's `a` for a replica's wake-up end (b = the replica). */
export const TICK_WAKE: i32 = -2;
/** setReplicaPower phase kinds (energy counters). */
export const PHASE_OFF: i32 = 0;
export const PHASE_WAKE: i32 = 1;

let batchCap: i32 = 0; // the controllers' current cap (0 = the configured one)
let target: i32 = 0; // replicas the controller wants serving
let wakeUps: i32 = 0;
let lastChange: f64 = -Infinity; // when the target last changed
// the time of the event the loop is about to handle when a tick runs (≥ the tick's boundary): replica changes
// happen then, never before an event already handled (the loop never goes back in time)
let clock: f64 = 0;

/** Called by controlTick before the controller decides: actions take effect at `now`. */
export function actuatorsClock(now: f64): void {
  clock = now;
}

@inline function when(t: f64): f64 {
  return t > clock ? t : clock;
}
/** The action logger of control.ts (set there; avoids an import cycle). */
let logger: (t: f64, action: i32, value: f64, reason: i32) => void = (t: f64, action: i32, value: f64, reason: i32): void => {};

export function actuatorsReset(log: (t: f64, action: i32, value: f64, reason: i32) => void): void {
  batchCap = 0;
  target = numReplicas;
  wakeUps = 0;
  lastChange = -Infinity;
  clock = 0;
  logger = log;
}

export function currentBatchCap(): i32 {
  return batchCap > 0 ? batchCap : batchSizeCap;
}
export function targetReplicas(): i32 {
  return target;
}
export function wakeUpCount(): i32 {
  return wakeUps;
}

@inline function mode(r: i32): i32 {
  return loadI32(rMode, r);
}

/** Replicas routed to now (active) and about to be (waking). */
export function servingReplicas(): i32 {
  let n = 0;
  for (let r = 0; r < numReplicas; r++) {
    const m = mode(r);
    if (m == REPLICA_ACTIVE || m == REPLICA_WAKING) n++;
  }
  return n;
}

export function activeReplicas(): i32 {
  let n = 0;
  for (let r = 0; r < numReplicas; r++) if (mode(r) == REPLICA_ACTIVE) n++;
  return n;
}

/** Per-replica batch cap from now on (admissions after this); 0 or ≥ the configured cap = the configured cap. */
export function setBatchCap(tick: f64, cap: i32, reason: i32): void {
  const t = when(tick);
  const c = cap <= 0 || cap >= batchSizeCap ? 0 : cap;
  if (c == batchCap) return;
  const raised = c == 0 || (batchCap > 0 && c > batchCap);
  batchCap = c;
  const v = c > 0 ? c : batchSizeCap;
  for (let r = 0; r < numReplicas; r++) storeI32(rBatchCap, r, v);
  setReplicasCapped(c > 0);
  logger(t, ca.ACT_BATCH_CAP, <f64>v, reason);
  // a raised cap lets replicas admit at once
  if (raised) for (let r = 0; r < numReplicas; r++) if (mode(r) == REPLICA_ACTIVE) ev.push(t, abi.EV_REPLICA_SCHEDULE, r, 0, 0);
}

function updateGated(): void {
  let gated = false;
  for (let r = 0; r < numReplicas; r++) if (mode(r) != REPLICA_ACTIVE) gated = true;
  setReplicasGated(gated);
}

/** Replica r may start batches: active, or draining what it has. */
export function mayRun(r: i32): bool {
  const m = mode(r);
  return m == REPLICA_ACTIVE || m == REPLICA_DRAINING;
}

/** A draining replica with nothing left (no batch in flight, empty queue, no request holding KV) goes idle or off. */
export function drainCheck(at: f64, r: i32): void {
  const t = when(at);
  if (mode(r) != REPLICA_DRAINING) return;
  if (loadI32(rRunning, r) != 0 || waitingQueue(r).len != 0 || mapSize(r) != 0) return;
  if (replicaDrainToOff) {
    storeI32(rMode, r, REPLICA_OFF);
    setReplicaPower(r, t, replicaOffPowerW, PHASE_OFF);
    logger(t, ca.ACT_REPLICA_OFF, <f64>r, ca.WHY_DRAINED);
  } else {
    storeI32(rMode, r, REPLICA_IDLE);
    logger(t, ca.ACT_REPLICA_IDLE, <f64>r, ca.WHY_DRAINED);
  }
}

/** The wake-up of replica r ends (EV_CONTROL_TICK with a = TICK_WAKE); it is routed to again. */
export function onWake(t: f64, r: i32): void {
  if (mode(r) != REPLICA_WAKING) return; // cancelled meanwhile
  storeI32(rMode, r, REPLICA_ACTIVE);
  setReplicaPower(r, t, NaN, PHASE_WAKE);
  logger(t, ca.ACT_REPLICA_ON, <f64>r, ca.WHY_WOKEN);
  updateGated();
  ev.push(t, abi.EV_REPLICA_SCHEDULE, r, 0, 0);
}

function activate(t: f64, r: i32): void {
  const m = mode(r);
  if (m == REPLICA_OFF) {
    wakeUps++;
    if (replicaWakeUpS <= 0) {
      setReplicaPower(r, t, NaN, PHASE_OFF);
      storeI32(rMode, r, REPLICA_ACTIVE);
      logger(t, ca.ACT_REPLICA_ON, <f64>r, ca.WHY_WOKEN);
      return;
    }
    storeI32(rMode, r, REPLICA_WAKING);
    setReplicaPower(r, t, replicaWakeUpPowerW > 0 ? replicaWakeUpPowerW : replicaGapW(), PHASE_WAKE);
    logger(t, ca.ACT_REPLICA_WAKE, <f64>r, ca.WHY_TARGET);
    ev.push(t + replicaWakeUpS, abi.EV_CONTROL_TICK, TICK_WAKE, r, 0);
    return;
  }
  storeI32(rMode, r, REPLICA_ACTIVE);
  if (m == REPLICA_IDLE) logger(t, ca.ACT_REPLICA_ON, <f64>r, ca.WHY_TARGET);
  ev.push(t, abi.EV_REPLICA_SCHEDULE, r, 0, 0);
}

/**
 * The controller wants `n` replicas serving (clamped to [1, replicas]): drains the highest-numbered ones or
 * takes replicas back (draining, then idle, then off ones: lowest number first). Logs the new target.
 */
export function setActiveReplicas(tick: f64, n: i32, reason: i32): void {
  const t = when(tick);
  const want = n < 1 ? 1 : n > numReplicas ? numReplicas : n;
  if (want == target) return;
  target = want;
  lastChange = tick; // the tick's boundary: dwell times count whole steps
  logger(t, ca.ACT_REPLICAS, <f64>want, reason);
  let serving = servingReplicas();
  // fewer: cancel wake-ups first (they have served nothing yet), then drain active ones; one active stays
  for (let r = numReplicas - 1; r >= 0 && serving > want; r--) {
    if (mode(r) == REPLICA_WAKING) {
      storeI32(rMode, r, REPLICA_OFF);
      setReplicaPower(r, t, replicaOffPowerW, PHASE_OFF);
      logger(t, ca.ACT_REPLICA_OFF, <f64>r, ca.WHY_TARGET);
      serving--;
    }
  }
  let active = activeReplicas();
  for (let r = numReplicas - 1; r >= 0 && serving > want && active > 1; r--) {
    if (mode(r) == REPLICA_ACTIVE) {
      storeI32(rMode, r, REPLICA_DRAINING);
      logger(t, ca.ACT_REPLICA_DRAIN, <f64>r, ca.WHY_TARGET);
      serving--;
      active--;
    }
  }
  // more: draining, idle, then off ones
  for (let pass = 0; pass < 3 && serving < want; pass++) {
    const from = pass == 0 ? REPLICA_DRAINING : pass == 1 ? REPLICA_IDLE : REPLICA_OFF;
    for (let r = 0; r < numReplicas && serving < want; r++) {
      if (mode(r) != from) continue;
      activate(t, r);
      serving++;
    }
  }
  updateGated();
  for (let r = 0; r < numReplicas; r++) drainCheck(t, r); // replicas that were empty already
}

/**
 * setActiveReplicas for controllers that follow a noisy signal: raising is immediate, lowering goes one replica
 * at a time and only once --control-load-window-s has passed since the last change (no switching back and forth).
 */
export function steerReplicas(tick: f64, want: i32, reason: i32): void {
  if (want < target && tick - lastChange < controlLoadWindowS) return;
  setActiveReplicas(tick, want < target - 1 ? target - 1 : want, reason);
}

/** Replicas off or waking now. */
export function offReplicas(): i32 {
  let n = 0;
  for (let r = 0; r < numReplicas; r++) {
    const m = mode(r);
    if (m == REPLICA_OFF || m == REPLICA_WAKING) n++;
  }
  return n;
}
