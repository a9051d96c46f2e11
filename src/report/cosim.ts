/**
 * The co-simulation part of a report: power flow between load, solar, battery and grid, battery state of
 * charge against its floor, cumulative emissions, carbon intensity against the controller's thresholds, and
 * the controller's actions when it took any. Reads microgrid.{arrow,parquet,csv} (one row per grid step:
 * t_s, utc, load_w, solar_w, battery_w, soc, grid_import_w, grid_export_w, shortfall_w, ci_g_per_kwh,
 * emissions_g), optional control.{arrow,parquet,csv} (t_s, action, value, reason) and the `microgrid` object of
 * summary.json.
 *
 * @example
 * if (hasCosim(dir, summary)) sections.push(...(await cosimSections(dir, summary)));
 */
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { chart, fmt, scaled, timeUnit, type AxisSpec, type SectionItem, type SectionSpec, type TableSpec } from "./chart.js";
import { minMaxDownsample } from "./downsample.js";
import { findTable, isPlainObject, readTable } from "./read-output.js";
import { TIME_BUCKETS } from "./run.js";

const MICROGRID_COLUMNS = ["t_s", "load_w", "solar_w", "battery_w", "soc", "grid_import_w", "grid_export_w", "ci_g_per_kwh", "emissions_g"];
const SUMMARY_KEYS = [
  "load_kwh",
  "solar_kwh",
  "grid_import_kwh",
  "grid_export_kwh",
  "self_consumption_ratio",
  "self_sufficiency_ratio",
  "battery_final_soc",
  "battery_equivalent_full_cycles",
  "emissions_import_g",
  "shortfall_kwh",
];

/** A co-simulation directory: it has a microgrid table, or its summary has a microgrid object (then the table must be there). */
export function hasCosim(dir: string, summary: Record<string, unknown>): boolean {
  return findTable(dir, "microgrid") !== undefined || "microgrid" in summary;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export async function cosimSections(dir: string, summary: Record<string, unknown>): Promise<SectionSpec[]> {
  const grid = await readTable(dir, "microgrid", { need: MICROGRID_COLUMNS, purpose: "the co-simulation writes it" });
  const mg = summary.microgrid;
  if (!isPlainObject(mg))
    throw new InputError(`${join(dir, "summary.json")}: no "microgrid" object, but ${grid.path} is there; not a co-simulation summary`);
  for (const k of SUMMARY_KEYS) {
    if (!(k in mg))
      throw new InputError(
        `${join(dir, "summary.json")}: microgrid has no "${k}" field (a co-simulation summary has ${SUMMARY_KEYS.join(", ")})`,
      );
  }
  const t = grid.num("t_s");
  // wall-clock axis when the steps carry UTC timestamps, else simulated time
  const utc = grid.has("utc") ? grid.str("utc") : null;
  const epoch0 = utc?.length ? Date.parse(utc[0] ?? "") : Number.NaN;
  const wall = Number.isFinite(epoch0);
  const unit = timeUnit(t.length ? t[t.length - 1] : 0);
  const toX = (ts: number): number => (wall ? epoch0 / 1000 + (ts - t[0]) : ts / unit.div);
  const x = wall ? Float64Array.from(t, toX) : scaled(t, unit.div);
  const xAxis: AxisSpec = wall ? { label: "time (UTC)", kind: "time" } : { label: `simulated time (${unit.label})` };
  const step = t.length > 1 ? t[1] - t[0] : 0;
  const kw = (c: string) => scaled(grid.num(c), 1000);
  const items: SectionItem[] = [];

  const rows: TableSpec["rows"] = SUMMARY_KEYS.map((k) => [k, num(mg[k])]);
  for (const k of ["battery_min_soc", "low_carbon_threshold", "high_carbon_threshold"]) if (k in mg) rows.push([k, num(mg[k])]);
  items.push({
    type: "table",
    id: "microgrid-figures",
    title: "Microgrid totals",
    caption: "The microgrid object of summary.json.",
    columns: ["quantity", "value"],
    rows,
  });

  const flow = minMaxDownsample(x, [kw("load_w"), kw("solar_w"), kw("battery_w"), kw("grid_import_w"), kw("grid_export_w")], TIME_BUCKETS);
  items.push(
    chart(
      "power-flow",
      "Power flow",
      `Mean power per ${fmt(step)} s grid step: datacenter load, solar output, battery (+ charging, − discharging), grid import and export (microgrid).`,
      xAxis,
      { label: "kW" },
      [flow.x, ...flow.ys],
      [
        { label: "load", style: "step" },
        { label: "solar", style: "step" },
        { label: "battery", style: "step" },
        { label: "grid import", style: "step" },
        { label: "grid export", style: "step", dash: [4, 3] },
      ],
    ),
  );

  const minSoc = num(mg.battery_min_soc);
  const soc = minMaxDownsample(x, [scaled(grid.num("soc"), 0.01)], TIME_BUCKETS);
  items.push(
    chart(
      "soc",
      "Battery state of charge",
      `State of charge at each grid step${minSoc !== null ? `, with the ${fmt(100 * minSoc)} % floor the battery never goes below` : ""}.`,
      xAxis,
      { label: "state of charge (%)", min: 0, max: 100 },
      [soc.x, ...soc.ys],
      [{ label: "SoC (%)" }],
      { lines: minSoc !== null ? [{ value: 100 * minSoc, label: `min SoC ${fmt(100 * minSoc)} %`, color: "#d55e00" }] : [] },
    ),
  );

  const emissions = grid.num("emissions_g");
  const cumulative = new Float64Array(emissions.length);
  let acc = 0;
  for (let i = 0; i < emissions.length; i++) cumulative[i] = acc += Number.isFinite(emissions[i]) ? emissions[i] / 1000 : 0;
  const cum = minMaxDownsample(x, [cumulative], TIME_BUCKETS);
  items.push(
    chart(
      "cumulative-emissions",
      "Cumulative emissions",
      `CO2 of the energy imported from the grid, summed over the steps: ${fmt(acc)} kg in total.`,
      xAxis,
      { label: "kg CO2" },
      [cum.x, ...cum.ys],
      [{ label: "cumulative CO2 (kg)" }],
    ),
  );

  const lines: { value: number; label: string; color: string }[] = [];
  const low = num(mg.low_carbon_threshold);
  const high = num(mg.high_carbon_threshold);
  if (low !== null) lines.push({ value: low, label: `low-carbon threshold ${fmt(low)} g/kWh`, color: "#009e73" });
  if (high !== null) lines.push({ value: high, label: `high-carbon threshold ${fmt(high)} g/kWh`, color: "#d55e00" });
  const ci = minMaxDownsample(x, [grid.num("ci_g_per_kwh")], TIME_BUCKETS);
  items.push(
    chart(
      "carbon-intensity",
      "Grid carbon intensity",
      `Carbon intensity of grid electricity at each step${lines.length ? ", with the controller's thresholds" : ""}.`,
      xAxis,
      { label: "g CO2 / kWh" },
      [ci.x, ...ci.ys],
      [{ label: "carbon intensity", style: "step" }],
      { lines },
    ),
  );

  const controlPath = findTable(dir, "control");
  if (controlPath) {
    const control = await readTable(dir, "control", { need: ["t_s", "action", "value", "reason"] });
    const ts = control.num("t_s");
    const actions = control.str("action");
    const values = control.num("value");
    const reasons = control.str("reason");
    const kinds = [...new Set(actions.map((a) => a ?? ""))].sort();
    const order = Uint32Array.from({ length: ts.length }, (_, i) => i).sort((a, b) => ts[a] - ts[b]);
    const cx = Float64Array.from(order, (i) => toX(ts[i]));
    const cols = kinds.map((k) => Float64Array.from(order, (i) => (actions[i] === k ? values[i] : Number.NaN)));
    items.push(
      chart(
        "control",
        "Controller actions",
        `Each of the ${fmt(ts.length)} actions the controller took, at its time, with its value; hover for the reason (control).`,
        xAxis,
        { label: "value" },
        [cx, ...cols],
        kinds.map((k) => ({ label: k, style: "points" as const })),
        { hover: Array.from(order, (i) => `${actions[i]} = ${fmt(values[i])}\n${reasons[i] ?? ""}`) },
      ),
    );
    const shown = Math.min(order.length, 2000);
    items.push({
      type: "table",
      id: "control-table",
      title: "Controller actions",
      interactive: true,
      caption: `The controller's actions in time order${shown < order.length ? ` (first ${shown} of ${order.length})` : ""}.`,
      columns: ["t_s", "action", "value", "reason"],
      rows: Array.from(order.subarray(0, shown), (i) => [ts[i], actions[i], values[i], reasons[i]]),
    });
  }
  return [{ id: "microgrid", title: "Co-simulation: microgrid", items }];
}
