// Vessim's DefaultDispatchPolicy for one storage: with a fixed charge power the battery is forced to
// clip(charge_power, lo, hi); otherwise it takes the surplus (up to hi) or covers the deficit (down to lo).
// What remains goes to the public grid (+ export, − import) or, islanded, becomes shortfall (deficit: unmet
// load, reported instead of Vessim's error) or curtailment (surplus nobody can take).
import * as abi from "./abi";
import { rangeHi, rangeLo } from "./common";

/** The setpoint chosen by the last dispatch() call (W, + charging) and the remainder (W, + surplus). */
export let setpoint: f64 = 0;
export let remainder: f64 = 0;

/** pDelta = solar − load (W); chargePower NaN = none. Uses the feasible range set by batteryRange(). */
export function dispatch(pDelta: f64, chargePower: f64): void {
  let p: f64;
  if (!isNaN(chargePower)) {
    p = chargePower;
    if (p > rangeHi) p = rangeHi;
    if (p < rangeLo) p = rangeLo;
  } else if (pDelta > 0) {
    p = pDelta < rangeHi ? pDelta : rangeHi;
    if (p < 0) p = 0;
  } else {
    p = pDelta > rangeLo ? pDelta : rangeLo;
    if (p > 0) p = 0;
  }
  setpoint = p;
  remainder = pDelta - p;
}

export function isIslanded(mode: i32): bool {
  return mode == abi.MODE_ISLANDED;
}
