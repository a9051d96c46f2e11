/**
 * The microgrid's flags (docs/microgrid.md), as typed descriptors (src/core/descriptor.ts): `simulate` takes
 * them through OPTIONS (one spread line there), `tokenwatt cosim` registers them itself. Canonical names use
 * underscores; the descriptor layer accepts every one with dashes too (`--grid-step`), as the issue spells them.
 *
 * @example
 * MICROGRID_OPTION_TABLE.grid_step.default; // 60
 */
import { choice, float, named, path, string, type OptionDef, type ValuesOf } from "../core/descriptor.js";
import { BATTERY_MODEL_NAMES, BATTERY_MODELS } from "../plugins/battery-models/index.js";

const group = "microgrid";

export const GRID_MODES = ["grid-connected", "islanded"] as const;

/** Flags shared by `simulate` (in the loop) and `cosim`. */
export const MICROGRID_OPTION_TABLE = named({
  grid_step: float({
    default: 60,
    min: 0.001,
    group,
    help: "microgrid step in seconds: load, solar and CI are averaged exactly over each step (alias --grid-step)",
  }),
  solar_trace: path({
    default: null,
    group,
    help: "solar CSV, normalised 0..1 (Vessim offset-indexed or Solcast/Vessim datetime layout); values × --solar-peak-w",
  }),
  solar_column: string({ default: null, group, help: "solar trace column (default: --location's Solcast column, or the only column)" }),
  solar_peak_w: float({ default: null, min: 0, group, help: "solar peak power in W (trace values × peak; physics: DC nameplate)" }),
  solar_fill: choice(["ffill", "bfill"] as const, {
    default: "ffill",
    group,
    help: "solar trace between stamps: ffill (Vessim Trace default) or bfill (Solcast period-end stamps)",
  }),
  solar_trace_tz: string({
    default: null,
    group,
    help: "time zone of naive solar stamps (cosim default UTC, the Vessim/Solcast convention)",
  }),
  location: string({
    default: null,
    group,
    help: 'one of Vidur-Energy\'s ten cities (coordinates, IANA zone, Solcast column), e.g. Berlin, "San Francisco"',
  }),
  lat: float({ default: null, min: -90, max: 90, group, help: "latitude in degrees (physics solar)" }),
  lon: float({ default: null, min: -180, max: 180, group, help: "longitude in degrees east (physics solar)" }),
  panel_tilt: float({ default: null, min: 0, group, help: "panel tilt from horizontal in degrees (default: |latitude|, capped at 60)" }),
  panel_azimuth: float({
    default: null,
    min: 0,
    group,
    help: "panel azimuth in degrees clockwise from north (default: 180 north of the equator, 0 south)",
  }),
  solar_losses: float({ default: 0.14, min: 0, group, help: "PVWatts system losses as a fraction (soiling, wiring, mismatch, ...)" }),
  inverter_efficiency: float({ default: 0.96, min: 0.01, group, help: "PVWatts nominal inverter efficiency" }),
  linke_turbidity: float({
    default: 3,
    min: 1,
    group,
    help: "Linke turbidity of the Ineichen-Perez clear sky (2 very clean, 3 rural, 4-5 polluted)",
  }),
  clearness_trace: path({
    default: null,
    group,
    help: "CSV of clearness (0..1, share of clear-sky irradiance reaching the panels) multiplying physics solar",
  }),
  timezone: string({ default: null, group, help: "IANA zone of local times in the outputs (default: --location's zone, else UTC)" }),
  battery: choice(BATTERY_MODEL_NAMES, {
    default: "none",
    group,
    help: `storage: ${BATTERY_MODELS.map((m) => `${m.name} (${m.doc})`).join(", ")}`,
  }),
  battery_capacity_wh: float({
    default: null,
    group,
    help: "simple: capacity in Wh; clc: nominal capacity in Wh = cells × 19.14 Wh (instead of --battery-cells)",
  }),
  battery_cells: float({ default: null, group, help: "clc: number of cells (19.14 Wh, 3.63 V each)" }),
  battery_initial_soc: float({ default: null, group, help: "state of charge at t = 0, 0..1 (default 0.5)" }),
  battery_min_soc: float({ default: null, group, help: "never discharge below this state of charge, 0..1 (default 0)" }),
  battery_c_rate: float({ default: null, group, help: "simple: |power| ≤ c-rate × capacity (1/h); default unlimited" }),
  grid_mode: choice(GRID_MODES, {
    default: "grid-connected",
    group,
    help: "grid-connected, or islanded (unmet load reported as shortfall, surplus curtailed)",
  }),
  charge_power_w: float({
    default: null,
    group,
    help: "fixed battery setpoint in W (+ charge, − discharge) within its limits; the grid takes the rest (Vessim charge_power)",
  }),
  low_carbon_threshold: float({ default: null, min: 0, group, help: "g/kWh: report hours with CI below it (Vidur-Energy default 100)" }),
  high_carbon_threshold: float({ default: null, min: 0, group, help: "g/kWh: report hours with CI above it (Vidur-Energy default 200)" }),
  agg_freq: string({ default: "1h", group, help: "aggregation period of the trend table microgrid_agg: 1min, 15min, 1h, 1d or seconds" }),
});
export const MICROGRID_OPTIONS: readonly OptionDef[] = Object.values(MICROGRID_OPTION_TABLE);
export type MicrogridValues = ValuesOf<typeof MICROGRID_OPTION_TABLE>;

/** Flags only `tokenwatt cosim` has (the load is given instead of simulated). */
export const COSIM_ONLY_OPTION_TABLE = named({
  load_w: float({ default: null, min: 0, group: "load", help: "constant load in W" }),
  load_trace: path({
    default: null,
    group: "load",
    help: "load CSV (Vessim load_example layout: time in s or date-time, one column per trace)",
  }),
  load_column: string({ default: null, group: "load", help: "load trace column" }),
  load_scale: float({ default: 1, min: 0, group: "load", help: "load trace values × this (W)" }),
  from_run: path({
    default: null,
    group: "load",
    help: "a finished `tokenwatt simulate` output directory: its facility power timeline is the load (post-hoc)",
  }),
  duration: float({ default: null, min: 0.001, group: "load", help: "seconds to simulate (default: the --from-run run's length)" }),
});
export const COSIM_ONLY_OPTIONS: readonly OptionDef[] = Object.values(COSIM_ONLY_OPTION_TABLE);

/** Whether `simulate` options ask for the microgrid (a solar source, storage or islanded operation). */
export function microgridRequested(o: Record<string, unknown>): boolean {
  return o.solar_trace != null || o.location != null || o.lat != null || (o.battery ?? "none") !== "none" || o.grid_mode === "islanded";
}
