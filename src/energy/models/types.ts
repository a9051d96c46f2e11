/**
 * One interface for every power model: `params` turns a device and its power profile into the numbers the
 * WASM engine evaluates per batch stage (assembly/energy.ts modelPower), and `power` is the same formula in
 * TypeScript (the reference the tests hold the engine to, and what calibration uses).
 */
import type { DeviceProfile } from "../../profiles/profile-types.js";
import type { PowerProfile } from "../profiles.js";
import type { ModelParams, PowerModelName } from "../types.js";

/** The load of one batch stage on one GPU. */
export interface StageLoad {
  /** FLOPs / (vendor peak · stage time). */
  computeUtil: number;
  /** HBM bytes / (bandwidth · stage time). */
  memoryUtil: number;
  /** Prefill tokens / all tokens of the batch. */
  prefillShare: number;
  /** Vidur's MFU as a fraction (its FLOP count, 2^40-scaled peak, full stage time). */
  vidurMfu: number;
}

export interface PowerModel {
  name: PowerModelName;
  /** Engine code, explicit and stable (assembly/generated/codes.ts PM_*). */
  code: number;
  params(device: DeviceProfile, profile: PowerProfile): ModelParams;
  /** Watts per GPU of a stage (no cap). */
  power(p: ModelParams, load: StageLoad): number;
}

/** The device's TDP and bare idle, or an InputError-worthy gap (checked by the caller). */
export function deviceWatts(device: DeviceProfile): { tdp: number; idle: number } {
  return { tdp: device.tdp_w ?? Number.NaN, idle: device.idle_w ?? Number.NaN };
}
