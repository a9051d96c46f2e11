// State shared by the battery plug-ins and the dispatch policy: the feasible power range of the current step.

/** Feasible battery power over the next step (W at the bus; lo ≤ 0 ≤ hi), set by a plug-in's range(). */
export let rangeLo: f64 = 0;
export let rangeHi: f64 = 0;

export function setRange(lo: f64, hi: f64): void {
  rangeLo = lo;
  rangeHi = hi;
}
