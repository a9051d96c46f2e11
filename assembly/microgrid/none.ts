// No storage: the feasible range is empty, the grid (or shortfall / curtailment) takes everything.
import { setRange } from "./common";

export function init(): void {}
export function soc(): f64 {
  return 0;
}
export function storedWh(): f64 {
  return 0;
}
export function capacityWh(): f64 {
  return 0;
}
export function range(_dt: f64): void {
  setRange(0, 0);
}
export function apply(_p: f64, _dt: f64): f64 {
  return 0;
}
