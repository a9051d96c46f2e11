// `phase` power model (src/plugins/power-models/phase.ts): Splitwise's constant prefill and decode power,
// token-weighted for a mixed batch. Parameters 0, 1 are the prefill and decode watts.
import { bPrefillTokens, bTotalTokens } from "../batch";
import { powerModelParam0, powerModelParam1 } from "../generated/config";
import { loadI32 } from "../vec";

/** Watts per GPU of a stage: prefill share s of the batch's tokens at the prefill power, the rest at decode. */
export function phaseStagePower(slot: i32, computeUtil: f64, memoryUtil: f64, exec: f64): f64 {
  const prefillW = powerModelParam0;
  const decodeW = powerModelParam1;
  const share = <f64>loadI32(bPrefillTokens, slot) / <f64>loadI32(bTotalTokens, slot);
  return share * prefillW + (1.0 - share) * decodeW;
}
