// State shared by the battery plug-ins and the dispatch policy: the feasible power range of the current step.
import { MG_SLOTS } from "./abi";

/** The microgrid's config area (MG_SLOTS f64), written by the host before microgridPrepare(). */
export const mgConfig: usize = memory.data(MG_SLOTS * 8, 8);

@inline export function mgCfg(slot: i32): f64 {
  return load<f64>(mgConfig + (<usize>slot << 3));
}

/** Feasible battery power over the next step (W at the bus; lo ≤ 0 ≤ hi), set by a plug-in's range(). */
export let rangeLo: f64 = 0;
export let rangeHi: f64 = 0;

export function setRange(lo: f64, hi: f64): void {
  rangeLo = lo;
  rangeHi = hi;
}
