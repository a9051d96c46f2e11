/**
 * `tokenwatt cosim`: the microgrid on a given load (constant, load trace or a finished run's timeline), with
 * the same solar, storage, dispatch and carbon as in-loop runs. The host builds the per-step inputs once,
 * one WASM call runs every step (assembly/microgrid/), and the results become the `microgrid` table, the
 * `microgrid_agg` table and summary.json's `microgrid` object.
 *
 * @example
 * const r = runCosim(resolveCosimOptions({ load_w: 700, duration: 86400, ... }));
 * r.summary.microgrid.grid_import_kwh;
 */
import { constantTable } from "../carbon/intensity.js";
import { findRegion } from "../carbon/regions.js";
import { readCarbonTrace, type CiUnit } from "../carbon/trace.js";
import { findOption, type OptionDef } from "../config/options.js";
import { coerceOption } from "../config/parse.js";
import { InputError } from "../core/errors.js";
import { defaultEngine } from "../engine/engine.js";
import type { EngineExports } from "../engine/wasm.js";
import type { ChunkedTable } from "../tables/chunked.js";
import { microgridExports, runMicrogridSteps, type MicrogridColumns } from "./engine.js";
import { loadTraceStepMeans, readRunTimeline, runStepMeans } from "../microgrid/load.js";
import { COSIM_ONLY_OPTIONS, MICROGRID_OPTIONS } from "../microgrid/options.js";
import { parseStart, planMicrogrid, type CarbonSource, type MicrogridPlan } from "../microgrid/resolve.js";
import { aggregateTable, microgridSummary } from "./summary.js";
import { microgridTable } from "./table.js";
import { stepGrid, type StepGrid } from "../microgrid/traces.js";

/** Options of `simulate` that cosim shares (carbon, start, outputs). */
const SHARED = [
  "carbon_trace",
  "carbon_trace_column",
  "carbon_trace_unit",
  "carbon_trace_tz",
  "carbon_trace_fill",
  "carbon_trace_gaps",
  "carbon_trace_beyond",
  "start",
  "region",
  "formats",
  "parquet_compression",
];

export function cosimOptionDefs(): OptionDef[] {
  const shared = SHARED.map((n) => findOption(n)!).map((d) =>
    d.name === "carbon_trace_tz" ? { ...d, default: "UTC", help: `${d.help} (cosim default UTC: Vessim and WattTime stamps are UTC)` } : d,
  );
  return [
    ...COSIM_ONLY_OPTIONS,
    ...MICROGRID_OPTIONS,
    ...shared,
    {
      name: "output_dir",
      type: "path",
      default: "cosim_output",
      group: "outputs",
      help: "directory for microgrid.{csv,arrow,parquet}, microgrid_agg.* and summary.json",
    },
  ];
}

/** Defaults, then the given values (raw strings or typed), each validated against its definition. */
export function resolveCosimOptions(given: Record<string, unknown>): Record<string, unknown> {
  const defs = cosimOptionDefs();
  const out: Record<string, unknown> = {};
  for (const d of defs) out[d.name] = d.default;
  for (const [k, v] of Object.entries(given)) {
    const d = defs.find((x) => x.name === k.replace(/-/g, "_"));
    if (!d) throw new InputError(`cosim: unknown option --${k}`);
    if (v !== undefined) out[d.name] = coerceOption({ ...d, name: d.name.replace(/_/g, "-") }, v, "");
  }
  return out;
}

export interface CosimResult {
  plan: MicrogridPlan;
  grid: StepGrid;
  columns: MicrogridColumns;
  tables: ChunkedTable[];
  summary: Record<string, unknown>;
}

function carbonSource(
  o: Record<string, unknown>,
  startMs: number | null,
): { source: CarbonSource; startMs: number | null; notes: string[] } {
  if (o.carbon_trace != null) {
    const path = String(o.carbon_trace);
    const tr = readCarbonTrace(path, {
      column: o.carbon_trace_column as string | null,
      unit: o.carbon_trace_unit as CiUnit | null,
      tz: o.carbon_trace_tz as string | null,
      fill: (o.carbon_trace_fill ?? "ffill") as "ffill" | "bfill" | "linear",
      gaps: (o.carbon_trace_gaps ?? "error") as "error" | "fill",
      startMs,
    });
    return {
      source: { table: tr.table, beyond: (o.carbon_trace_beyond ?? "error") as CarbonSource["beyond"], origin: `trace:${path}` },
      startMs: tr.startMs,
      notes: tr.notes,
    };
  }
  const r = findRegion(String(o.region ?? "california"));
  return {
    source: { table: constantTable(r.carbonIntensity), beyond: "hold", origin: `region:${r.key} (${r.carbonIntensity} g/kWh)` },
    startMs,
    notes: [],
  };
}

/**
 * Runs the co-simulation; throws InputError (nothing written) for any bad input. `copyResults: false` leaves the
 * columns as views on the engine's memory (valid until it runs again; the CLI writes them first).
 */
export function runCosim(
  o: Record<string, unknown>,
  engine: EngineExports = defaultEngine(),
  opts: { copyResults?: boolean } = {},
): CosimResult {
  const loads = ["load_w", "load_trace", "from_run"].filter((k) => o[k] != null);
  if (loads.length !== 1)
    throw new InputError(
      `cosim needs exactly one load: --load-w W, --load-trace FILE or --from-run DIR` +
        `${loads.length ? ` (got ${loads.map((k) => `--${k.replace(/_/g, "-")}`).join(" and ")})` : ""}`,
    );
  const run = o.from_run != null ? readRunTimeline(String(o.from_run)) : null;
  const zoneHint = o.timezone != null ? String(o.timezone) : null;
  let startMs = parseStart(o.start ?? run?.startIso ?? null, zoneHint);
  const carbon = carbonSource(o, startMs);
  startMs = carbon.startMs ?? startMs;
  const duration = o.duration != null ? Number(o.duration) : (run?.durationS ?? null);
  if (duration === null) throw new InputError("--duration (seconds) is required with --load-w or --load-trace");
  if (!(duration > 0)) throw new InputError(`--duration must be > 0, got ${duration}`);
  const plan = planMicrogrid(o, { startMs, carbon: carbon.source, cosim: true });
  plan.notes.push(...carbon.notes);
  const grid = stepGrid(plan.step, duration);
  let load: Float64Array;
  if (o.load_w != null) load = new Float64Array(grid.steps).fill(Number(o.load_w));
  else if (run) load = runStepMeans(run, grid);
  else
    load = loadTraceStepMeans(
      String(o.load_trace),
      { column: (o.load_column as string | null) ?? null, scale: Number(o.load_scale ?? 1), startMs },
      grid,
    );
  const solar = plan.solarFor(grid);
  const ci = plan.ciFor(grid);
  const x = microgridExports(engine);
  const columns = runMicrogridSteps(x, plan.settings, { load, solar, ci }, grid, opts.copyResults !== false);
  const initialStored = plan.battery.capacity_wh * plan.battery.initial_soc;
  const summary = {
    microgrid: {
      load_source:
        o.load_w != null
          ? `constant ${o.load_w} W`
          : run
            ? `run ${o.from_run} (facility power timeline)`
            : `trace:${o.load_trace}#${o.load_column ?? ""} × ${o.load_scale}`,
      ...microgridSummary(columns, grid, plan, initialStored, plan.battery.capacity_wh),
    },
  };
  return {
    plan,
    grid,
    columns,
    tables: [microgridTable(columns, grid, plan.startMs, plan.zone), aggregateTable(columns, grid, plan)],
    summary,
  };
}
