// The microgrid inside the event loop (assembly/microgrid/ holds the model). Whenever the loop is about to
// handle an event at or after a grid-step boundary, every step ending by then is stepped: its load is the
// facility power averaged exactly over the step, PUE × (GPU energy over the step / Δ + host power), with the
// GPU energy taken from the energy integrator at that moment (ended stages from the timeline buckets, running
// stages up to the boundary); solar and carbon intensity are the exact means of their tables over the step.
// Steps after the last event (idle tail up to the end of the run) are stepped after energyFinalize. The
// controller (assembly/control/) runs after each step; without one nothing here changes simulated times.
import { clusterHostW, facilityPue, gridStepS, solarEndS } from "./generated/microgrid-config";
import { microgridAllocate, microgridStep } from "./microgrid/microgrid";
import { allocSolarTable, resetSolarTable, solarPrimitive } from "./microgrid/series";
import { cumCi, energyEnd, gpuEnergyBetween } from "./energy";
import { controlOn, controlTick } from "./control/control";

export let gridOn: bool = false;
export let nextBoundary: f64 = Infinity;
let dt: f64 = 60;
let steps: i32 = 0; // steps done
let pue: f64 = 1;
let hostW: f64 = 0;
// primitives of solar and CI at the start of the next step (= the end of the previous one)
let solarAt: f64 = 0;
let ciAt: f64 = 0;

/** Called by prepare(): a run has no microgrid unless the host enables it. */
export function gridReset(): void {
  gridOn = false;
  nextBoundary = Infinity;
  resetSolarTable();
}

/**
 * Enables the in-loop microgrid (after prepare(), config slots written): allocates `capacity` output rows
 * (grown if the run is longer) and the solar table of `solarCount` segments; returns the table's pointer.
 */
export function gridPrepare(capacity: i32, solarCount: i32): usize {
  microgridAllocate(capacity);
  dt = gridStepS;
  pue = facilityPue;
  hostW = clusterHostW;
  steps = 0;
  nextBoundary = dt;
  gridOn = true;
  const table = allocSolarTable(solarCount, solarEndS);
  solarAt = 0; // both primitives are 0 at t = 0 (the host writes the solar table that way)
  ciAt = 0;
  return table;
}

function stepTo(a: f64, b: f64): void {
  const len = b - a;
  const loadW = pue * (gpuEnergyBetween(a, b) / len + hostW);
  const solarB = solarPrimitive(b);
  const ciB = cumCi(b);
  const solarW = (solarB - solarAt) / len;
  const ci = (ciB - ciAt) / len;
  solarAt = solarB;
  ciAt = ciB;
  microgridStep(loadW, solarW, ci, len);
  steps++;
}

/** The loop is about to handle an event at t: step every grid step that ends at or before t. */
export function gridTick(t: f64, idle: bool = false): void {
  while (nextBoundary <= t) {
    const b = nextBoundary;
    stepTo(<f64>steps * dt, b);
    nextBoundary = <f64>(steps + 1) * dt;
    // the controller decides for the step starting at b, having seen the one that just ended
    if (controlOn) controlTick(b, t, idle);
  }
}

/** After energyFinalize: the remaining steps up to the end of the run (the last may be shorter). */
export function gridFinish(): void {
  if (!gridOn) return;
  const end = energyEnd;
  while (<f64>steps * dt < end - 1e-9) {
    const a = <f64>steps * dt;
    let b = a + dt;
    if (b > end) b = end;
    stepTo(a, b);
  }
}
