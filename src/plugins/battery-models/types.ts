/**
 * One interface for every battery model (`--battery`): the AssemblyScript file under assembly/microgrid/ and
 * the six functions the generated dispatch (assembly/generated/battery-models.ts) calls. Its settings are the
 * microgrid's (src/microgrid/battery.ts checks the flags each model takes).
 *
 * @example
 * batteryModel({ name: "none", code: 0, doc: "no storage", engine: { file: "microgrid/none", functions: BATTERY_FUNCTIONS } }).code; // 0
 */
import type { Plugin } from "../types.js";

/** The entry points every battery model exports, keyed by dispatch entry point. */
export const BATTERY_FUNCTIONS = {
  init: "init",
  range: "range",
  apply: "apply",
  soc: "soc",
  storedWh: "storedWh",
  capacityWh: "capacityWh",
} as const;

export interface BatteryModel<Name extends string = string> extends Plugin<Name> {
  /** `init()`, `range(dt)` (sets common.rangeLo / rangeHi), `apply(p, dt): losses Wh`, `soc()`, `storedWh()`, `capacityWh()`. */
  engine: { file: string; functions: typeof BATTERY_FUNCTIONS };
}

/** Declares a battery model (keeps its name's literal type). */
export function batteryModel<const Name extends string>(m: BatteryModel<Name>): BatteryModel<Name> {
  return m;
}
