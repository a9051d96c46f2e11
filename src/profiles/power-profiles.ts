/**
 * profiles/power/<family>.json: the power-model parameters of a device family (roofline g curve, phase
 * fractions, DVFS exponent) and per-device constants (phase and Vidur-Energy watts, embodied carbon, GPU-hour
 * price), each with its source. A family may borrow another's g curve (`"g": "hopper"`).
 *
 * @example
 * const p = loadPowerProfile(findDevice("h100"));
 * p.g.mem_weight; p.device?.phase_w?.decode   // 380
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import type { DeviceProfile } from "./profile-types.js";
import { defaultProfilesDir } from "../core/repo-root.js";

export interface RooflineCurve {
  mem_weight: number;
  mem_exponent: number;
  compute_weight: number;
  compute_exponent: number;
  cross_weight: number;
  cross_exponent: number;
}

export interface DevicePowerEntry {
  phase_w?: { idle: number; prefill: number; decode: number };
  mfu_w?: { idle: number; max: number };
  embodied_kg: number;
  embodied_source: string;
  gpu_hour_usd?: number;
  gpu_hour_source?: string;
  source: string;
}

export interface PowerProfile {
  file: string;
  family: string;
  contextW: number;
  g: RooflineCurve;
  gSource: string;
  phase: { decode_fraction_of_tdp: number; prefill_fraction_of_tdp: number; source: string };
  dvfs: { exponent: number; min_clock_fraction: number; source: string };
  device: DevicePowerEntry | undefined;
}

interface RawFamily {
  family: string;
  roofline: { context_w: number; g: RooflineCurve | string; source: string };
  phase: PowerProfile["phase"];
  dvfs: PowerProfile["dvfs"];
  devices: Record<string, DevicePowerEntry>;
}

const CURVE_FIELDS: (keyof RooflineCurve)[] = [
  "mem_weight",
  "mem_exponent",
  "compute_weight",
  "compute_exponent",
  "cross_weight",
  "cross_exponent",
];

function readFamily(dir: string, family: string): { raw: RawFamily; file: string } {
  const file = join(dir, "power", `${family}.json`);
  if (!existsSync(file))
    throw InputError.at(file, undefined, undefined, `no power profile for device family "${family}" (add profiles/power/${family}.json)`);
  let raw: RawFamily;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as RawFamily;
  } catch (e) {
    throw InputError.at(file, undefined, undefined, `is not valid JSON (${(e as Error).message})`);
  }
  const num = (v: unknown, field: string, min = 0): void => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min)
      throw InputError.at(file, undefined, field, `must be a number >= ${min}, got ${JSON.stringify(v)}`);
  };
  if (typeof raw.roofline !== "object" || raw.roofline === null)
    throw InputError.at(file, undefined, "roofline", "is missing (object with context_w, g, source)");
  num(raw.roofline.context_w, "roofline.context_w");
  num(raw.phase?.decode_fraction_of_tdp, "phase.decode_fraction_of_tdp");
  num(raw.phase?.prefill_fraction_of_tdp, "phase.prefill_fraction_of_tdp");
  num(raw.dvfs?.exponent, "dvfs.exponent", 0.5);
  num(raw.dvfs?.min_clock_fraction, "dvfs.min_clock_fraction", 0.05);
  for (const [name, d] of Object.entries(raw.devices ?? {})) {
    num(d.embodied_kg, `devices.${name}.embodied_kg`);
    if (typeof d.embodied_source !== "string")
      throw InputError.at(file, undefined, `devices.${name}.embodied_source`, "is missing (cite the number)");
    if (d.gpu_hour_usd !== undefined) num(d.gpu_hour_usd, `devices.${name}.gpu_hour_usd`);
    for (const k of ["idle", "prefill", "decode"] as const) if (d.phase_w) num(d.phase_w[k], `devices.${name}.phase_w.${k}`);
    for (const k of ["idle", "max"] as const) if (d.mfu_w) num(d.mfu_w[k], `devices.${name}.mfu_w.${k}`);
  }
  if (typeof raw.roofline.g === "object") {
    for (const f of CURVE_FIELDS) num(raw.roofline.g[f], `roofline.g.${f}`);
  } else if (typeof raw.roofline.g !== "string") {
    throw InputError.at(file, undefined, "roofline.g", "must be a curve object or the name of a family to borrow it from");
  }
  return { raw, file };
}

/** The power profile of a device (by its `family`; profiles/power/<family>.json). */
export function loadPowerProfile(device: DeviceProfile, dir: string = defaultProfilesDir()): PowerProfile {
  const family = device.family ?? device.name;
  const { raw, file } = readFamily(dir, family);
  let g = raw.roofline.g;
  let gSource = raw.roofline.source;
  if (typeof g === "string") {
    const other = readFamily(dir, g);
    if (typeof other.raw.roofline.g !== "object")
      throw InputError.at(file, undefined, "roofline.g", `borrows from "${g}", which borrows again (one level only)`);
    gSource = `${raw.roofline.source} Curve: ${other.raw.roofline.source}`;
    g = other.raw.roofline.g;
  }
  const names = [device.name, ...(device.aliases ?? [])];
  const key = Object.keys(raw.devices ?? {}).find((k) => names.includes(k));
  return {
    // cited in outputs: relative to the catalogue, so results do not carry this machine's paths
    file: dir === defaultProfilesDir() ? `profiles/power/${family}.json` : file,
    family,
    contextW: raw.roofline.context_w,
    g,
    gSource,
    phase: raw.phase,
    dvfs: raw.dvfs,
    device: key ? raw.devices[key] : undefined,
  };
}
