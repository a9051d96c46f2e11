// `roofline` power model (src/plugins/power-models/roofline.ts): from the stage's compute and memory
// utilisations, P = P_base + (P_max − P_base) · min(1, a_m·u_m^e_m + a_c·u_c^e_c + a_x·(u_m·u_c)^e_x), with the
// utilisations clamped to [0, 1]. Parameters 0..5 are a_m, e_m, a_c, e_c, a_x, e_x.
import { basePowerW, maxPowerW, powerModelParam0, powerModelParam1, powerModelParam2, powerModelParam3, powerModelParam4, powerModelParam5 } from "../generated/config";

/** Watts per GPU of a stage before any cap (slot and stage time unused: the utilisations say it all). */
export function rooflineStagePower(slot: i32, computeUtil: f64, memoryUtil: f64, exec: f64): f64 {
  const memWeight = powerModelParam0;
  const memExponent = powerModelParam1;
  const computeWeight = powerModelParam2;
  const computeExponent = powerModelParam3;
  const crossWeight = powerModelParam4;
  const crossExponent = powerModelParam5;
  const m = memoryUtil < 1 ? memoryUtil : 1.0;
  const c = computeUtil < 1 ? computeUtil : 1.0;
  // exponent 1 skips pow (the common calibrated case); same value either way
  let g = memWeight * (memExponent == 1 ? m : Math.pow(m, memExponent)) + computeWeight * (computeExponent == 1 ? c : Math.pow(c, computeExponent));
  if (crossWeight != 0) g += crossWeight * (crossExponent == 1 ? m * c : Math.pow(m * c, crossExponent));
  if (g > 1) g = 1;
  return basePowerW + (maxPowerW - basePowerW) * g;
}
