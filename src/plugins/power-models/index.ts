/**
 * The power models (`--power-model`). Adding one: its descriptor file here, its AssemblyScript formula in
 * assembly/power/, and one line in this list (docs/ARCHITECTURE.md).
 *
 * @example
 * powerModelByName("phase").code; // 1
 */
import { InputError } from "../../core/errors.js";
import { mfuPowerModel } from "./mfu.js";
import { phasePowerModel } from "./phase.js";
import { rooflinePowerModel } from "./roofline.js";

export const POWER_MODELS = [rooflinePowerModel, phasePowerModel, mfuPowerModel] as const;

export type PowerModelName = (typeof POWER_MODELS)[number]["name"];
export const POWER_MODEL_NAMES = POWER_MODELS.map((m) => m.name) as unknown as readonly [PowerModelName, ...PowerModelName[]];

/** The models by name. */
export const POWER_MODEL_REGISTRY = Object.fromEntries(POWER_MODELS.map((m) => [m.name, m])) as Readonly<
  Record<PowerModelName, (typeof POWER_MODELS)[number]>
>;

export function powerModelByName(name: string): (typeof POWER_MODELS)[number] {
  const m = POWER_MODELS.find((p) => p.name === name);
  if (!m) throw new InputError(`--power_model must be one of ${POWER_MODEL_NAMES.join(", ")}, got "${name}"`);
  return m;
}
export type { ModelParams, PowerModel, StageLoad } from "./types.js";
