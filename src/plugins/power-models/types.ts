/**
 * One interface for every power model: `params` turns a device and its power profile into the numbers the
 * WASM engine evaluates per batch stage (its `engine` hook: assembly/power/<model>.ts, called through the
 * generated assembly/generated/power-models.ts), and `power` is the same formula in TypeScript (the reference
 * the tests hold the engine to, and what calibration uses).
 */
import type { DeviceProfile } from "../../profiles/profile-types.js";
import type { PowerProfile } from "../../profiles/power-profiles.js";
import type { EngineHook, Plugin } from "../types.js";

/** The numbers a power model hands the engine (engine settings gapPowerW, basePowerW, maxPowerW, powerModelParam0..5). */
export interface ModelParams {
  /** W per GPU between stages (idle but serving). */
  gapW: number;
  /** W per GPU at zero utilisation inside a stage. */
  baseW: number;
  /** W per GPU at g = 1. */
  maxW: number;
  /** Model-specific parameters (powerModelParam0..5 in the engine). */
  params: [number, number, number, number, number, number];
  /** Where each number comes from. */
  sources: string[];
}

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

export interface PowerModel<Name extends string = string> extends Plugin<Name> {
  /** `stagePower(slot, computeUtil, memoryUtil, exec): watts per GPU before any cap`, in assembly/<file>.ts. */
  engine: EngineHook;
  params(device: DeviceProfile, profile: PowerProfile): ModelParams;
  /** Watts per GPU of a stage (no cap). */
  power(p: ModelParams, load: StageLoad): number;
}

/** Declares a power model (keeps its name's literal type). */
export function powerModel<const Name extends string>(m: PowerModel<Name>): PowerModel<Name> {
  return m;
}

/** The device's TDP and bare idle, or an InputError-worthy gap (checked by the caller). */
export function deviceWatts(device: DeviceProfile): { tdp: number; idle: number } {
  return { tdp: device.tdp_w ?? Number.NaN, idle: device.idle_w ?? Number.NaN };
}
