/**
 * The microgrid's flags (docs/microgrid.md), in the OptionDef shape of src/config/options.ts: `simulate` takes
 * them through OPTIONS (one spread line there), `tokenwatt cosim` registers them itself. Canonical names use
 * underscores; every one is also accepted with dashes (`--grid-step`), which is how the issue spells them.
 *
 * @example
 * MICROGRID_OPTIONS.find((o) => o.name === "grid_step")?.default; // 60
 */
import type { OptionDef } from "../config/options.js";

const group = "microgrid";

export const BATTERY_MODELS = ["none", "simple", "clc"] as const;
export const GRID_MODES = ["grid-connected", "islanded"] as const;

/** Flags shared by `simulate` (in the loop) and `cosim`. */
export const MICROGRID_OPTIONS: readonly OptionDef[] = [
  { name: "grid_step", type: "float", default: 60, min: 0.001, group, help: "microgrid step in seconds: load, solar and CI are averaged exactly over each step (alias --grid-step)" },
  { name: "solar_trace", type: "path", default: null, group, help: "solar CSV, normalised 0..1 (Vessim offset-indexed or Solcast/Vessim datetime layout); values × --solar-peak-w" },
  { name: "solar_column", type: "string", default: null, group, help: "solar trace column (default: --location's Solcast column, or the only column)" },
  { name: "solar_peak_w", type: "float", default: null, min: 0, group, help: "solar peak power in W (trace values × peak; physics: DC nameplate)" },
  { name: "solar_fill", type: "choice", default: "ffill", choices: ["ffill", "bfill"], group, help: "solar trace between stamps: ffill (Vessim Trace default) or bfill (Solcast period-end stamps)" },
  { name: "solar_trace_tz", type: "string", default: null, group, help: "time zone of naive solar stamps (cosim default UTC, the Vessim/Solcast convention)" },
  { name: "location", type: "string", default: null, group, help: "one of Vidur-Energy's ten cities (coordinates, IANA zone, Solcast column), e.g. Berlin, \"San Francisco\"" },
  { name: "lat", type: "float", default: null, min: -90, group, help: "latitude in degrees (physics solar)" },
  { name: "lon", type: "float", default: null, min: -180, group, help: "longitude in degrees east (physics solar)" },
  { name: "panel_tilt", type: "float", default: null, min: 0, group, help: "panel tilt from horizontal in degrees (default: |latitude|, capped at 60)" },
  { name: "panel_azimuth", type: "float", default: null, min: 0, group, help: "panel azimuth in degrees clockwise from north (default: 180 north of the equator, 0 south)" },
  { name: "solar_losses", type: "float", default: 0.14, min: 0, group, help: "PVWatts system losses as a fraction (soiling, wiring, mismatch, ...)" },
  { name: "inverter_efficiency", type: "float", default: 0.96, min: 0.01, group, help: "PVWatts nominal inverter efficiency" },
  { name: "linke_turbidity", type: "float", default: 3, min: 1, group, help: "Linke turbidity of the Ineichen-Perez clear sky (2 very clean, 3 rural, 4-5 polluted)" },
  { name: "clearness_trace", type: "path", default: null, group, help: "CSV of clearness (0..1, share of clear-sky irradiance reaching the panels) multiplying physics solar" },
  { name: "timezone", type: "string", default: null, group, help: "IANA zone of local times in the outputs (default: --location's zone, else UTC)" },
  { name: "battery", type: "choice", default: "none", choices: BATTERY_MODELS, group, help: "storage: none, simple (Vessim SimpleBattery) or clc (Vessim C-L-C cell model)" },
  { name: "battery_capacity_wh", type: "float", default: null, group, help: "simple: capacity in Wh; clc: nominal capacity in Wh = cells × 19.14 Wh (instead of --battery-cells)" },
  { name: "battery_cells", type: "float", default: null, group, help: "clc: number of cells (19.14 Wh, 3.63 V each)" },
  { name: "battery_initial_soc", type: "float", default: null, group, help: "state of charge at t = 0, 0..1 (default 0.5)" },
  { name: "battery_min_soc", type: "float", default: null, group, help: "never discharge below this state of charge, 0..1 (default 0)" },
  { name: "battery_c_rate", type: "float", default: null, group, help: "simple: |power| ≤ c-rate × capacity (1/h); default unlimited" },
  { name: "grid_mode", type: "choice", default: "grid-connected", choices: GRID_MODES, group, help: "grid-connected, or islanded (unmet load reported as shortfall, surplus curtailed)" },
  { name: "charge_power_w", type: "float", default: null, group, help: "fixed battery setpoint in W (+ charge, − discharge) within its limits; the grid takes the rest (Vessim charge_power)" },
  { name: "low_carbon_threshold", type: "float", default: null, min: 0, group, help: "g/kWh: report hours with CI below it (Vidur-Energy default 100)" },
  { name: "high_carbon_threshold", type: "float", default: null, min: 0, group, help: "g/kWh: report hours with CI above it (Vidur-Energy default 200)" },
  { name: "agg_freq", type: "string", default: "1h", group, help: "aggregation period of the trend table microgrid_agg: 1min, 15min, 1h, 1d or seconds" },
];

/** Flags only `tokenwatt cosim` has (the load is given instead of simulated). */
export const COSIM_ONLY_OPTIONS: readonly OptionDef[] = [
  { name: "load_w", type: "float", default: null, min: 0, group: "load", help: "constant load in W" },
  { name: "load_trace", type: "path", default: null, group: "load", help: "load CSV (Vessim load_example layout: time in s or date-time, one column per trace)" },
  { name: "load_column", type: "string", default: null, group: "load", help: "load trace column" },
  { name: "load_scale", type: "float", default: 1, min: 0, group: "load", help: "load trace values × this (W)" },
  { name: "from_run", type: "path", default: null, group: "load", help: "a finished `tokenwatt simulate` output directory: its facility power timeline is the load (post-hoc)" },
  { name: "duration", type: "float", default: null, min: 0.001, group: "load", help: "seconds to simulate (default: the --from-run run's length)" },
];

/** Dashed spellings of the microgrid flags (`grid-step` → `grid_step`). */
export const MICROGRID_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  MICROGRID_OPTIONS.filter((o) => o.name.includes("_")).map((o) => [o.name.replace(/_/g, "-"), o.name]),
);

/** Whether `simulate` options ask for the microgrid (a solar source, storage or islanded operation). */
export function microgridRequested(o: Record<string, unknown>): boolean {
  return o.solar_trace != null || o.location != null || o.lat != null || (o.battery ?? "none") !== "none" || o.grid_mode === "islanded";
}
