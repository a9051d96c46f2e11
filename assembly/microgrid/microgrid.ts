// The microgrid stepped at every grid step: load, solar, one storage, the public grid and its carbon intensity.
// State is module globals; inputs and outputs are preallocated f64 columns (struct of arrays), so a step
// allocates nothing. Step timing is Vessim's (main, 0.15): at the start t of a step the powers are known, the
// policy picks the battery setpoint inside the battery's feasible range for [t, t + Δ), and the battery
// applies it over that interval. All powers are means over the step; SoC is recorded at the step's end.
import * as abi from "./abi";
import { rangeHi, rangeLo } from "./common";
import { batteryModel, chargePowerW, gridMode, gridStepS, readMicrogridConfig } from "../generated/microgrid-config";
import { dispatch, isIslanded, remainder, setpoint } from "./dispatch";
import { batteryApply, batteryInit, batteryRange, batterySoc, batteryStoredWh } from "../generated/battery-models";

let inputs: usize = 0; // MI_FIELDS columns of capacity rows
let outputs: usize = 0; // MO_FIELDS columns of capacity rows
let capacity: i32 = 0;
export let rows: i32 = 0;
let mode: i32 = abi.MODE_GRID_CONNECTED;
let chargePower: f64 = NaN;

/** Allocates input and output columns for `steps` rows (on the current bump heap) and resets the state. */
export function microgridAllocate(steps: i32): usize {
  capacity = steps > 0 ? steps : 1;
  inputs = heap.alloc(<usize>capacity * abi.MI_FIELDS << 3);
  outputs = heap.alloc(<usize>capacity * abi.MO_FIELDS << 3);
  rows = 0;
  readMicrogridConfig();
  mode = gridMode;
  chargePower = chargePowerW;
  batteryInit(batteryModel);
  return inputs;
}

export function inputColumn(field: i32): usize {
  return inputs + (<usize>field * capacity << 3);
}

export function outputColumn(field: i32): usize {
  return outputs + (<usize>field * capacity << 3);
}

/** Doubles the output area when an in-loop run outlasts its estimate (rare; columns keep their order). */
function grow(): void {
  const cap2 = capacity * 2;
  const next = heap.alloc(<usize>cap2 * abi.MO_FIELDS << 3);
  for (let f = 0; f < abi.MO_FIELDS; f++) {
    memory.copy(next + (<usize>f * cap2 << 3), outputs + (<usize>f * capacity << 3), <usize>rows << 3);
  }
  const nextIn = heap.alloc(<usize>cap2 * abi.MI_FIELDS << 3);
  for (let f = 0; f < abi.MI_FIELDS; f++) {
    memory.copy(nextIn + (<usize>f * cap2 << 3), inputs + (<usize>f * capacity << 3), <usize>capacity << 3);
  }
  outputs = next;
  inputs = nextIn;
  capacity = cap2;
}

@inline function out(field: i32, row: i32, v: f64): void {
  store<f64>(outputs + ((<usize>field * capacity + row) << 3), v);
}

/**
 * One grid step of dt seconds with mean load and solar power (W) and mean carbon intensity (g/kWh) over it;
 * records one output row. Balance at the bus, exact per step: solar + discharge + import + shortfall =
 * load + charge + export + curtailment.
 */
export function microgridStep(loadW: f64, solarW: f64, ci: f64, dt: f64): void {
  if (rows == capacity) grow();
  const row = rows;
  batteryRange(dt);
  dispatch(solarW - loadW, chargePower);
  const p = setpoint;
  const loss = batteryApply(p, dt);
  let imp: f64 = 0;
  let exp: f64 = 0;
  let shortfall: f64 = 0;
  let curtailed: f64 = 0;
  if (isIslanded(mode)) {
    if (remainder < 0) shortfall = -remainder;
    else curtailed = remainder;
  } else if (remainder < 0) {
    imp = -remainder;
  } else {
    exp = remainder;
  }
  out(abi.MO_LOAD_W, row, loadW);
  out(abi.MO_SOLAR_W, row, solarW);
  out(abi.MO_BATTERY_W, row, p);
  out(abi.MO_SOC, row, batterySoc());
  out(abi.MO_GRID_IMPORT_W, row, imp);
  out(abi.MO_GRID_EXPORT_W, row, exp);
  out(abi.MO_SHORTFALL_W, row, shortfall);
  out(abi.MO_CURTAILED_W, row, curtailed);
  out(abi.MO_CI, row, ci);
  out(abi.MO_EMISSIONS_G, row, imp * dt / 3.6e6 * ci);
  out(abi.MO_STORED_WH, row, batteryStoredWh());
  out(abi.MO_LOSS_WH, row, loss);
  rows = row + 1;
}

/** Runs `steps` steps over the host-written input columns; the last step lasts lastDt seconds. */
export function runMicrogrid(steps: i32, lastDt: f64): i32 {
  const dt = gridStepS;
  const loadCol = inputColumn(abi.MI_LOAD_W);
  const solarCol = inputColumn(abi.MI_SOLAR_W);
  const ciCol = inputColumn(abi.MI_CI);
  for (let k = 0; k < steps; k++) {
    const off = <usize>k << 3;
    microgridStep(load<f64>(loadCol + off), load<f64>(solarCol + off), load<f64>(ciCol + off), k + 1 == steps ? lastDt : dt);
  }
  return rows;
}

/** The battery's feasible range for a step of dt seconds at the current state (tests of the plug-ins). */
export function probeRange(dt: f64, hi: i32): f64 {
  batteryRange(dt);
  return hi != 0 ? rangeHi : rangeLo;
}

/** Output `field` (MO_*) of the last step recorded, 0 before the first (the grid controller reads it). */
export function lastOutput(field: i32): f64 {
  return rows > 0 ? load<f64>(outputs + ((<usize>field * capacity + <usize>(rows - 1)) << 3)) : 0;
}
