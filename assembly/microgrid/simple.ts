// Vessim's SimpleBattery (main, 0.15): a lossless store of C Wh between min_soc·C and C, optionally limited
// to |P| ≤ c_rate·C. Its feasible range already stops at min SoC and at full, so the dispatched setpoint is
// always delivered in full over the step and no energy is lost (Vessim's own clamp then never acts).
import { batteryInitialSoc, batteryMinSoc, simpleCapacityWh, simpleCRate } from "../generated/microgrid-config";
import { setRange } from "./common";

let capacity: f64 = 0; // Wh
let energy: f64 = 0; // Wh
let minSoc: f64 = 0;
let cRate: f64 = 0; // 0 = unlimited

export function init(): void {
  capacity = simpleCapacityWh;
  energy = capacity * batteryInitialSoc;
  minSoc = batteryMinSoc;
  cRate = simpleCRate;
}

export function soc(): f64 {
  return capacity > 0 ? energy / capacity : 0.0;
}

export function storedWh(): f64 {
  return energy;
}

export function capacityWh(): f64 {
  return capacity;
}

/**
 * Vessim: lo = 0 at or below min SoC, else max(−(E − min·C)·3600/Δ, −c·C); hi = 0 when full, else
 * min((C − E)·3600/Δ, c·C).
 */
export function range(dt: f64): void {
  let lo: f64 = 0;
  let hi: f64 = 0;
  const s = soc();
  if (s > minSoc) {
    lo = (-(energy - minSoc * capacity) * 3600.0) / dt;
    if (cRate > 0 && lo < -cRate * capacity) lo = -cRate * capacity;
  }
  if (s < 1.0) {
    hi = ((capacity - energy) * 3600.0) / dt;
    if (cRate > 0 && hi > cRate * capacity) hi = cRate * capacity;
  }
  setRange(lo, hi);
}

/** Applies p W (within the range) over dt s. Returns the conversion losses in Wh (none: lossless). */
export function apply(p: f64, dt: f64): f64 {
  energy += (p * dt) / 3600.0;
  // the range makes these exact up to rounding; snapping keeps SoC inside [min, 1] bit for bit
  if (energy > capacity) energy = capacity;
  if (energy < minSoc * capacity && p < 0) energy = minSoc * capacity;
  return 0;
}
