/**
 * The battery models (`--battery`). Adding one: an AssemblyScript file under assembly/microgrid/ exporting the
 * six BATTERY_FUNCTIONS, a descriptor file here, and one line in this list; `npm run build:wasm` regenerates the
 * dispatch (assembly/generated/battery-models.ts) and its BAT_* code (assembly/generated/codes.ts).
 *
 * @example
 * batteryModelByName("clc").code; // 2
 */
import { InputError } from "../../core/errors.js";
import { clc } from "./clc.js";
import { none } from "./none.js";
import { simple } from "./simple.js";

export const BATTERY_MODELS = [none, simple, clc] as const;

export type BatteryModelPlugin = (typeof BATTERY_MODELS)[number];
export type BatteryModelName = BatteryModelPlugin["name"];
export const BATTERY_MODEL_NAMES = BATTERY_MODELS.map((m) => m.name) as unknown as readonly [BatteryModelName, ...BatteryModelName[]];

/** What the engine runs for an unknown code (no storage). */
export const BATTERY_FALLBACK = none;

export function batteryModelByName(name: string): BatteryModelPlugin {
  const m = BATTERY_MODELS.find((p) => p.name === name);
  if (!m) throw new InputError(`--battery must be one of ${BATTERY_MODEL_NAMES.join(", ")}, got "${name}"`);
  return m;
}
