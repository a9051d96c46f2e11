// The grid controller's engine side: state every controller shares (the held queue of deferrable requests,
// the hold flag, the runtime power cap) and the per-step tick. Controllers are plug-ins (one file each under
// assembly/control/, dispatch generated from src/plugins/controllers/); this file runs the one chosen.
//
// Ticks: the controller runs at grid-step boundaries, right after the microgrid has stepped
// (assembly/grid.ts gridTick), so it sees the step that just ended (SoC, import) and the tables ahead
// (solar, CI: perfect forecasts). Releases take effect at the time of the event the loop is about to handle
// (≥ the boundary): the loop never goes back in time. When the event queue runs dry with requests still held,
// the loop makes a tick at the next boundary itself (runLoop), so a held request is never stranded.
//
// Holding: a deferrable request that arrives while `holdDeferrable` is set joins `held` (FIFO by arrival)
// instead of the global scheduler. A release re-enters Vidur's path as an arrival at the release time
// (EV_CONTROL_TICK carrying the request → pendingGlobal → EV_GLOBAL_SCHEDULE); its arrived_at stays the
// original one, so its latency includes the deferral. Forced release: at every tick, held requests whose
// latest release time, arrival + deadline − safety margin, falls before the next tick are released at once.
// The held queue is FIFO, so this check looks at its front only: exact when every deferrable request has the
// same deadline (--deferrable-deadline-s is one value), which is the workload this engine gets.
import * as ca from "./abi";
import * as abi from "../abi";
import * as ev from "../events";
import { controller, controlLoadWindowS, controlReleaseQps, controlSafetyMarginS } from "../generated/config";
import { dispatchControlTick } from "../generated/controllers";
import { capSavedJ, phaseDeltaJ, phaseSeconds, setPowerCap } from "../energy";
import { PHASE_OFF, PHASE_WAKE, actuatorsClock, actuatorsReset, wakeUpCount } from "./actuators";
export { TICK_WAKE, drainCheck, mayRun, onWake } from "./actuators";
import * as state from "../state";
import { arrivedAt, pendingGlobal } from "../state";
import { F64Col, I32Deque, loadF64, loadI32, newF64Col, newI32Deque } from "../vec";

export let controlOn: bool = false;
/** Set by the controller: deferrable arrivals are held. */
export let holdDeferrable: bool = false;
let held: I32Deque = changetype<I32Deque>(0);
let log: usize = 0; // CL_FIELDS F64Col pointers
const counters: usize = memory.data(ca.CC_FIELDS * 8, 8);
let capW: f64 = 0;
let lastCi: f64 = 0;
let lastThreshold: f64 = 0;
let stepS: f64 = 60;
let releaseWhy: i32 = ca.WHY_CI_BELOW; // the reason of the last resume, logged with paced releases
let arrivals: i32 = 0; // arrivals since the last tick
/**
 * Arrival rate (req/s) for the controllers' load estimate — requests that reached the global scheduler (arrivals
 * not held, and releases) per second: an exponential moving average of the steps' rates
 * with time constant --control-load-window-s (one noisy minute would otherwise switch replicas back and forth).
 */
export let recentQps: f64 = 0;

/** Called by prepare(): no controller unless the host enables one. */
export function controlReset(): void {
  controlOn = false;
  holdDeferrable = false;
  capW = 0;
  releaseWhy = ca.WHY_CI_BELOW;
  arrivals = 0;
  recentQps = 0;
  for (let i = 0; i < ca.CC_FIELDS; i++) store<f64>(counters + (<usize>i << 3), 0);
}

/**
 * Enables the controller (after prepare(); config read): the input ring gets the class and deadline columns
 * (the host feeds them with the other inputs, abi.IN_CLASS / IN_DEADLINE); allocates the held queue and the log.
 */
export function controlPrepare(gridStepS: f64): void {
  controlOn = controller != 0;
  stepS = gridStepS;
  state.setControlInputs();
  held = newI32Deque(1024);
  log = heap.alloc(<usize>ca.CL_FIELDS << 2);
  for (let f = 0; f < ca.CL_FIELDS; f++) store<u32>(log + (<usize>f << 2), <u32>changetype<usize>(newF64Col(256)));
  actuatorsReset(logAction);
}

@inline function logCol(f: i32): F64Col {
  return changetype<F64Col>(<usize>load<u32>(log + (<usize>f << 2)));
}

function addCounter(i: i32, v: f64): void {
  const p = counters + (<usize>i << 3);
  store<f64>(p, load<f64>(p) + v);
}

/** The measured value and what it was compared with, logged with the actions that follow (CL_CI, CL_THRESHOLD). */
export function setDecision(x: f64, limit: f64): void {
  lastCi = x;
  lastThreshold = limit;
}

export function logAction(t: f64, action: i32, value: f64, reason: i32): void {
  logCol(ca.CL_T).push(t);
  logCol(ca.CL_ACTION).push(<f64>action);
  logCol(ca.CL_VALUE).push(value);
  logCol(ca.CL_REASON).push(<f64>reason);
  logCol(ca.CL_CI).push(lastCi);
  logCol(ca.CL_THRESHOLD).push(lastThreshold);
}

/** A controller's decision for the coming step: hold or not, with the CI and threshold that decided it. */
export function setHold(t: f64, hold: bool, ci: f64, threshold: f64): void {
  setHoldWhy(t, hold, ci, threshold, ca.WHY_CI_ABOVE, ca.WHY_CI_BELOW);
}

/** setHold with the reasons to log (and the measured value x and its limit, logged as `value` and reason). */
export function setHoldWhy(t: f64, hold: bool, x: f64, limit: f64, whyHold: i32, whyResume: i32): void {
  setDecision(x, limit);
  if (hold == holdDeferrable) return;
  holdDeferrable = hold;
  if (!hold) releaseWhy = whyResume;
  logAction(t, hold ? ca.ACT_HOLD : ca.ACT_RESUME, x, hold ? whyHold : whyResume);
}

/** A controller's per-GPU power cap for the coming step (0 = back to the configured cap). */
export function setCap(t: f64, w: f64, reason: i32): void {
  if (w == capW) return;
  capW = w;
  setPowerCap(w);
  logAction(t, ca.ACT_POWER_CAP, w, reason);
}

/** The loop's arrival hook: true if the request was held (the caller then does nothing else). */
export function holdArrival(req: i32): bool {
  if (!holdDeferrable || loadI32(state.inClass, req & state.inMask) == 0) {
    arrivals++;
    return false;
  }
  held.pushBack(req);
  addCounter(ca.CC_HELD, 1);
  if (<f64>held.len > load<f64>(counters + (<usize>ca.CC_MAX_HELD << 3))) {
    store<f64>(counters + (<usize>ca.CC_MAX_HELD << 3), <f64>held.len);
  }
  return true;
}

export function heldCount(): i32 {
  return controlOn ? held.len : 0;
}

/** Releases the front of the held queue as an arrival at time `at` (≥ now). */
function releaseFront(at: f64): void {
  const req = held.popFront();
  arrivals++; // work reaching the replicas: the load estimate counts releases, not held arrivals
  addCounter(ca.CC_DEFERRAL_SUM_S, at - arrivedAt(req));
  ev.push(at, abi.EV_CONTROL_TICK, req, 0, 0);
}

/**
 * One control tick for the grid step that starts at `boundary`; `now` (≥ boundary) is the time of the event
 * the loop is about to handle, when releases happen. `idle`: the loop has nothing else to run.
 */
export function controlTick(boundary: f64, now: f64, idle: bool): void {
  addCounter(ca.CC_TICKS, 1);
  const rate = <f64>arrivals / stepS;
  const first = load<f64>(counters + (<usize>ca.CC_TICKS << 3)) == 1;
  recentQps = first ? rate : recentQps + (1.0 - Math.exp(-stepS / controlLoadWindowS)) * (rate - recentQps);
  arrivals = 0;
  actuatorsClock(now);
  dispatchControlTick(controller, boundary, stepS);
  // forced: latest release time before the next tick
  let forced = 0;
  const limit = boundary + stepS + controlSafetyMarginS;
  while (held.len > 0) {
    const req = held.front();
    if (!(arrivedAt(req) + loadF64(state.inDeadline, req & state.inMask) <= limit)) break;
    releaseFront(now);
    forced++;
  }
  if (forced > 0) {
    addCounter(ca.CC_FORCED, forced);
    logAction(now, ca.ACT_FORCE_RELEASE, forced, ca.WHY_DEADLINE);
  }
  if (held.len == 0) return;
  if (holdDeferrable) return; // when idle, the loop ticks again at the next boundary
  // paced release, oldest first: `controlReleaseQps` per second over this step (0 = everything now)
  let budget = held.len;
  const qps = controlReleaseQps;
  if (qps > 0) {
    const k = <i32>Math.floor(qps * stepS);
    if (k < budget) budget = k < 1 ? 1 : k;
  }
  const gap = qps > 0 ? 1.0 / qps : 0.0;
  for (let i = 0; i < budget; i++) releaseFront(now + gap * <f64>i);
  addCounter(ca.CC_RELEASED, budget);
  logAction(now, ca.ACT_RELEASE, budget, releaseWhy);
}

/** A released request enters Vidur's path as an arrival (EV_CONTROL_TICK carrying it). */
export function onRelease(t: f64, req: i32): void {
  pendingGlobal.push(req);
  ev.push(t, abi.EV_GLOBAL_SCHEDULE, 0, 0, 0);
}

/** The tick running is the run's first (controllers with state of their own reset it then). */
export function isFirstTick(): bool {
  return load<f64>(counters + (<usize>ca.CC_TICKS << 3)) == 1;
}

export function controlCounter(i: i32): f64 {
  switch (i) {
    case ca.CC_OFF_DELTA_J: return load<f64>(phaseDeltaJ + (<usize>PHASE_OFF << 3));
    case ca.CC_OFF_REPLICA_S: return load<f64>(phaseSeconds + (<usize>PHASE_OFF << 3));
    case ca.CC_WAKE_DELTA_J: return load<f64>(phaseDeltaJ + (<usize>PHASE_WAKE << 3));
    case ca.CC_WAKE_UPS: return <f64>wakeUpCount();
    case ca.CC_CAP_SAVED_J: return capSavedJ;
    default: return load<f64>(counters + (<usize>i << 3));
  }
}
export function controlLogCount(): i32 {
  return log == 0 ? 0 : logCol(ca.CL_T).len;
}
export function controlLogPtr(field: i32): usize {
  return logCol(field).ptr;
}
