/**
 * summary.json's `microgrid` object, the Vidur-Energy-style metrics with corrected definitions, the per-day
 * (local calendar day: 23 or 25 hours on daylight-saving days) and per --agg-freq aggregates. Every energy is
 * an exact sum of step means × step lengths. docs/microgrid.md sets the definitions beside Vidur-Energy's.
 *
 * @example
 * const m = microgridSummary(cols, grid, plan);
 * m.grid_import_kwh; m.vidur_energy_style.net_g;
 */
import type { ChunkedTable } from "../tables/chunked.js";
import { chunked } from "../tables/chunked.js";
import { column } from "../tables/table.js";
import type { MicrogridColumns } from "./engine.js";
import type { MicrogridPlan } from "../microgrid/resolve.js";
import { localTimeFormatter, offsetLookup, utcString } from "./table.js";
import type { StepGrid } from "../microgrid/traces.js";

const WH = 3600;
const KWH = 3.6e6;

function stepLen(grid: StepGrid, k: number): number {
  return k + 1 === grid.steps ? grid.duration - k * grid.step : grid.step;
}

/**
 * Largest |residual| of the bus balance over all steps, in Wh: solar + discharge + import + shortfall − (load +
 * charge + export + curtailed).
 */
export function maxBalanceErrorWh(c: MicrogridColumns, grid: StepGrid): number {
  let worst = 0;
  for (let k = 0; k < grid.steps; k++) {
    const r =
      ((c.solarW[k] + c.gridImportW[k] + c.shortfallW[k] - c.loadW[k] - c.batteryW[k] - c.gridExportW[k] - c.curtailedW[k]) *
        stepLen(grid, k)) /
      WH;
    if (Math.abs(r) > worst) worst = Math.abs(r);
  }
  return worst;
}

export function microgridSummary(
  c: MicrogridColumns,
  grid: StepGrid,
  plan: MicrogridPlan,
  initialStoredWh: number,
  capacityWh: number,
): Record<string, unknown> {
  let load = 0,
    solar = 0,
    imp = 0,
    exp = 0,
    short = 0,
    curt = 0,
    charge = 0,
    discharge = 0,
    loss = 0;
  let emis = 0,
    avoided = 0,
    gross = 0,
    offset = 0,
    ciInt = 0,
    socInt = 0,
    throughput = 0;
  let charging = 0,
    discharging = 0,
    idle = 0,
    socBelow50 = 0,
    socAbove80 = 0,
    ciLow = 0,
    ciHigh = 0;
  let ciMin = Number.POSITIVE_INFINITY,
    ciMax = Number.NEGATIVE_INFINITY;
  let prevStored = initialStoredWh;
  for (let k = 0; k < grid.steps; k++) {
    const dt = stepLen(grid, k);
    const ci = c.ci[k];
    load += c.loadW[k] * dt;
    solar += c.solarW[k] * dt;
    imp += c.gridImportW[k] * dt;
    exp += c.gridExportW[k] * dt;
    short += c.shortfallW[k] * dt;
    curt += c.curtailedW[k] * dt;
    if (c.batteryW[k] > 0) charge += c.batteryW[k] * dt;
    else discharge -= c.batteryW[k] * dt;
    loss += c.lossWh[k] * WH;
    emis += c.emissionsG[k];
    const selfUsed = c.solarW[k] - c.gridExportW[k] - c.curtailedW[k];
    avoided += ((selfUsed * dt) / KWH) * ci;
    gross += ((c.loadW[k] * dt) / KWH) * ci;
    offset += ((c.solarW[k] * dt) / KWH) * ci;
    ciInt += ci * dt;
    socInt += c.soc[k] * dt;
    throughput += Math.abs(c.storedWh[k] - prevStored);
    prevStored = c.storedWh[k];
    const eps = 1e-9 * Math.max(1, capacityWh);
    if (c.batteryW[k] > eps) charging += dt;
    else if (c.batteryW[k] < -eps) discharging += dt;
    else idle += dt;
    if (c.soc[k] < 0.5) socBelow50 += dt;
    if (c.soc[k] > 0.8) socAbove80 += dt;
    if (plan.lowCarbonThreshold !== null && ci < plan.lowCarbonThreshold) ciLow += dt;
    if (plan.highCarbonThreshold !== null && ci > plan.highCarbonThreshold) ciHigh += dt;
    if (ci < ciMin) ciMin = ci;
    if (ci > ciMax) ciMax = ci;
  }
  const D = grid.duration;
  const kwh = (ws: number) => ws / KWH;
  const hasBattery = plan.battery.model !== "none";
  const out: Record<string, unknown> = {
    duration_s: D,
    grid_step_s: grid.step,
    steps: grid.steps,
    start: plan.startMs === null ? null : utcString(plan.startMs),
    timezone: plan.zone,
    mode: plan.mode,
    load_kwh: kwh(load),
    solar_kwh: kwh(solar),
    grid_import_kwh: kwh(imp),
    grid_export_kwh: kwh(exp),
    shortfall_kwh: kwh(short),
    curtailed_kwh: kwh(curt),
    battery_charge_kwh: kwh(charge),
    battery_discharge_kwh: kwh(discharge),
    battery_losses_kwh: kwh(loss),
    self_consumption_ratio: solar > 0 ? (solar - exp - curt) / solar : null,
    self_sufficiency_ratio: load > 0 ? (load - imp - short) / load : null,
    battery: plan.battery,
    battery_initial_soc: hasBattery ? plan.battery.initial_soc : null,
    battery_min_soc: hasBattery ? plan.battery.min_soc : null,
    battery_final_soc: hasBattery ? c.soc[grid.steps - 1] : null,
    battery_equivalent_full_cycles: hasBattery && capacityWh > 0 ? throughput / (2 * capacityWh) : 0,
    emissions_import_g: emis,
    avoided_emissions_g: avoided,
    mean_ci_g_per_kwh: ciInt / D,
    min_ci_g_per_kwh: ciMin,
    max_ci_g_per_kwh: ciMax,
    max_step_balance_error_wh: maxBalanceErrorWh(c, grid),
    solar_source: plan.solarSource,
    carbon_source: plan.carbonOrigin,
    vidur_energy_style: {
      note:
        "For comparison with Vidur-Energy only; misleading: gross charges the whole load at CI as if all of it came from the grid, " +
        "renewable_offset credits every solar kWh (exported, curtailed and stored included) at the grid's CI, so net can go negative " +
        "while the site still imports; the battery is ignored. Use emissions_import_g and avoided_emissions_g.",
      gross_g: gross,
      renewable_offset_g: offset,
      net_g: gross - offset,
      percentage_offset: gross > 0 ? (100 * offset) / gross : null,
    },
    metrics: {
      battery_charging_share: charging / D,
      battery_discharging_share: discharging / D,
      battery_idle_share: idle / D,
      average_soc: hasBattery ? socInt / D : null,
      hours_soc_below_50pct: socBelow50 / 3600,
      hours_soc_above_80pct: socAbove80 / 3600,
      hours_ci_below_low_threshold: plan.lowCarbonThreshold !== null ? ciLow / 3600 : null,
      hours_ci_above_high_threshold: plan.highCarbonThreshold !== null ? ciHigh / 3600 : null,
      renewable_penetration: load > 0 ? solar / load : null,
      grid_dependency: load > 0 ? imp / load : null,
      grid_import_kwh: kwh(imp),
      grid_export_kwh: kwh(exp),
      grid_net_kwh: kwh(imp - exp),
    },
    daily: dailyTotals(c, grid, plan),
    notes: plan.notes,
  };
  if (plan.lowCarbonThreshold !== null) out.low_carbon_threshold = plan.lowCarbonThreshold;
  if (plan.highCarbonThreshold !== null) out.high_carbon_threshold = plan.highCarbonThreshold;
  return out;
}

/** Totals per local calendar day (--timezone): a daylight-saving day has 23 or 25 hours. Needs a start. */
export function dailyTotals(c: MicrogridColumns, grid: StepGrid, plan: MicrogridPlan): Array<Record<string, unknown>> {
  if (plan.startMs === null) return [];
  const days: Array<Record<string, number | string>> = [];
  const start = plan.startMs;
  const offsetAt = offsetLookup(plan.zone);
  let cur: Record<string, number | string> | null = null;
  let dayIndex = Number.NaN;
  for (let k = 0; k < grid.steps; k++) {
    const ms = start + k * grid.step * 1000;
    const wall = ms + offsetAt(ms) * 60_000;
    const index = Math.floor(wall / 86_400_000);
    if (cur === null || index !== dayIndex) {
      dayIndex = index;
      const date = new Date(wall).toISOString().slice(0, 10);
      cur = { date, hours: 0, load_kwh: 0, solar_kwh: 0, grid_import_kwh: 0, grid_export_kwh: 0, emissions_import_g: 0 };
      days.push(cur);
    }
    const dt = stepLen(grid, k);
    (cur.hours as number) += dt / 3600;
    (cur.load_kwh as number) += (c.loadW[k] * dt) / KWH;
    (cur.solar_kwh as number) += (c.solarW[k] * dt) / KWH;
    (cur.grid_import_kwh as number) += (c.gridImportW[k] * dt) / KWH;
    (cur.grid_export_kwh as number) += (c.gridExportW[k] * dt) / KWH;
    (cur.emissions_import_g as number) += c.emissionsG[k];
  }
  return days;
}

/**
 * `microgrid_agg`: one row per --agg-freq period (aligned to the run start): mean powers (trend analysis) and
 * energies (total-power analysis, as kWh instead of Vidur-Energy's summed powers), mean SoC and CI, emissions.
 */
export function aggregateTable(c: MicrogridColumns, grid: StepGrid, plan: MicrogridPlan): ChunkedTable {
  const period = plan.aggSeconds;
  const n = Math.max(1, Math.ceil(grid.duration / period - 1e-9));
  const cols = ["load", "solar", "battery", "grid_import", "grid_export", "shortfall"] as const;
  const src = [c.loadW, c.solarW, c.batteryW, c.gridImportW, c.gridExportW, c.shortfallW];
  const energy = cols.map(() => new Float64Array(n));
  const len = new Float64Array(n),
    soc = new Float64Array(n),
    ci = new Float64Array(n),
    emis = new Float64Array(n);
  const nSrc = src.length;
  for (let k = 0; k < grid.steps; k++) {
    // a step straddling a period boundary is split by time (powers are constant over a step)
    let a = k * grid.step;
    const full = stepLen(grid, k);
    const b = a + full;
    while (a < b - 1e-9) {
      const i = Math.min(n - 1, Math.floor(a / period + 1e-9));
      const e = Math.min(b, (i + 1) * period);
      const w = e - a;
      for (let j = 0; j < nSrc; j++) energy[j][i] += src[j][k] * w;
      len[i] += w;
      soc[i] += c.soc[k] * w;
      ci[i] += c.ci[k] * w;
      emis[i] += (c.emissionsG[k] * w) / full;
      a = e;
    }
  }
  const t = Float64Array.from({ length: n }, (_, i) => i * period);
  const local = localTimeFormatter(plan.zone);
  const at = (i: number) => (plan.startMs === null ? null : plan.startMs + t[i] * 1000);
  return chunked({
    name: "microgrid_agg",
    columns: [
      column("t_s", "f64", t),
      column(
        "utc",
        "utf8",
        Array.from({ length: n }, (_, i) => (at(i) === null ? "" : utcString(at(i)!))),
      ),
      column(
        "local_time",
        "utf8",
        Array.from({ length: n }, (_, i) => (at(i) === null ? "" : local(at(i)!))),
      ),
      column("duration_s", "f64", len),
      ...cols.map((name, j) =>
        column(
          `${name}_w_mean`,
          "f64",
          energy[j].map((e, i) => e / len[i]),
        ),
      ),
      ...cols.map((name, j) =>
        column(
          `${name}_kwh`,
          "f64",
          energy[j].map((e) => e / KWH),
        ),
      ),
      column(
        "soc_mean",
        "f64",
        soc.map((s, i) => s / len[i]),
      ),
      column(
        "ci_g_per_kwh_mean",
        "f64",
        ci.map((x, i) => x / len[i]),
      ),
      column("emissions_g", "f64", emis),
    ],
  });
}
