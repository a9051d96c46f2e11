// `mfu` power model (src/plugins/power-models/mfu.ts), Vidur-Energy's curve with MFU as a fraction (their
// units fixed): P = P_idle + (P_max − P_idle)·min(1, (MFU/knee)^exponent). Parameters 0, 1: knee, exponent.
import { bMfuFlops } from "../batch";
import { basePowerW, deviceFlops, maxPowerW, powerModelParam0, powerModelParam1 } from "../generated/config";
import { loadF64 } from "../vec";

/** Watts per GPU of a stage from Vidur's MFU: its FLOP count (set at stage 0) over the stage time and 2^40-scaled peak. */
export function mfuStagePower(slot: i32, computeUtil: f64, memoryUtil: f64, exec: f64): f64 {
  const knee = powerModelParam0;
  const exponent = powerModelParam1;
  const u = loadF64(bMfuFlops, slot) / exec / deviceFlops;
  let f = u > 0 ? Math.pow(u / knee, exponent) : 0.0;
  if (f > 1) f = 1;
  return basePowerW + (maxPowerW - basePowerW) * f;
}
