/**
 * Battery flags → resolved battery settings (the engine's side: src/engine/settings/microgrid.ts). Vessim's
 * C-L-C per-cell defaults (vessim.storage.ClcBattery, after Kazhamiaka et al. 2019) are here once; every check
 * names its flag.
 *
 * @example
 * resolveBattery({ battery: "simple", battery_capacity_wh: 1500, battery_initial_soc: 0.8, battery_min_soc: 0.3 }).code; // 1
 */
import { InputError } from "../core/errors.js";
import { type BatteryModelName, batteryModelByName } from "../plugins/battery-models/index.js";

/** Vessim's ClcBattery defaults, per cell. */
export const CLC_DEFAULTS = {
  nominalVoltage: 3.63, // V
  u1: -0.087, // Wh/A
  v1: 0, // Wh
  u2: -1.326, // Wh/A
  v2: 19.14, // Wh (cell capacity)
  alphaD: -1.5, // C
  alphaC: 0.7, // C
  etaD: 1.014,
  etaC: 0.978,
  cutoffD: -0.05, // A
  cutoffC: 0.05, // A
} as const;

/** C-L-C per-cell constants (the shape of CLC_DEFAULTS). */
export type ClcCell = { readonly [K in keyof typeof CLC_DEFAULTS]: number };

export interface BatteryDescription {
  model: BatteryModelName;
  capacity_wh: number;
  cells: number | null;
  initial_soc: number;
  min_soc: number;
  c_rate: number | null;
}

function soc(name: string, v: unknown, dflt: number): number {
  const x = v == null ? dflt : Number(v);
  if (!(x >= 0 && x <= 1)) throw new InputError(`--${name.replace(/_/g, "-")} must be in [0, 1], got ${v}`);
  return x;
}

/** What the engine needs: the description plus the model's code, the start and floor SoC, and C-L-C constants. */
export interface BatterySettings extends BatteryDescription {
  code: number;
  /** The SoC the model starts at and its floor, as given (also for `none`, whose description reports 0). */
  startSoc: number;
  floorSoc: number;
  /** Per-cell constants, for `clc` only. */
  clc: ClcCell | null;
}

/** Validates the battery flags. */
export function resolveBattery(o: Record<string, unknown>): BatterySettings {
  const model = String(o.battery ?? "none") as BatteryDescription["model"];
  const cap = o.battery_capacity_wh == null ? null : Number(o.battery_capacity_wh);
  const cells = o.battery_cells == null ? null : Number(o.battery_cells);
  const cRate = o.battery_c_rate == null ? null : Number(o.battery_c_rate);
  if (cap !== null && !(cap > 0)) throw new InputError(`--battery-capacity-wh must be > 0 (Wh), got ${cap}`);
  if (cells !== null && !(cells > 0)) throw new InputError(`--battery-cells must be > 0, got ${cells}`);
  if (cRate !== null && !(cRate > 0)) throw new InputError(`--battery-c-rate must be > 0 (1/h), got ${cRate}`);
  const initial = soc("battery_initial_soc", o.battery_initial_soc, 0.5);
  const min = soc("battery_min_soc", o.battery_min_soc, 0);
  if (model !== "none" && min > initial) {
    throw new InputError(`--battery-min-soc ${min} is above --battery-initial-soc ${initial}: the battery would start below its floor`);
  }
  const common = { startSoc: initial, floorSoc: min, clc: null };
  if (model === "none") {
    for (const f of ["battery_capacity_wh", "battery_cells", "battery_c_rate"]) {
      if (o[f] != null) throw new InputError(`--${f.replace(/_/g, "-")} needs a battery: add --battery simple or --battery clc`);
    }
    const code = batteryModelByName("none").code;
    return { ...common, code, model, capacity_wh: 0, cells: null, initial_soc: 0, min_soc: 0, c_rate: null };
  }
  if (model === "simple") {
    if (cap === null) throw new InputError("--battery simple needs --battery-capacity-wh (Wh)");
    if (cells !== null) throw new InputError("--battery-cells is for --battery clc; --battery simple takes --battery-capacity-wh");
    const code = batteryModelByName("simple").code;
    return { ...common, code, model, capacity_wh: cap, cells: null, initial_soc: initial, min_soc: min, c_rate: cRate };
  }
  if (cRate !== null) throw new InputError("--battery-c-rate is for --battery simple (the C-L-C model has its own rate limits)");
  if ((cap === null) === (cells === null))
    throw new InputError("--battery clc needs exactly one of --battery-cells and --battery-capacity-wh");
  const d = CLC_DEFAULTS;
  const n = cells ?? cap! / d.v2;
  const code = batteryModelByName("clc").code;
  return { ...common, clc: d, code, model, capacity_wh: n * d.v2, cells: n, initial_soc: initial, min_soc: min, c_rate: null };
}
