/** The power models by name (`--power-model`); one file each. */
import type { PowerModelName } from "../types.js";
import { mfuPowerModel } from "./mfu.js";
import { phasePowerModel } from "./phase.js";
import { rooflinePowerModel } from "./roofline.js";
import type { PowerModel } from "./types.js";

export const POWER_MODEL_REGISTRY: Readonly<Record<PowerModelName, PowerModel>> = {
  roofline: rooflinePowerModel,
  phase: phasePowerModel,
  mfu: mfuPowerModel,
};
export type { PowerModel, StageLoad } from "./types.js";
