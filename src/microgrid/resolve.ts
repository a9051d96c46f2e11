/**
 * Microgrid flags → a plan: validated engine settings (battery, grid mode, step), the run's anchor in real time and its local zone, and the
 * solar and carbon-intensity step means for any step grid (the in-loop case knows its duration only after
 * the engine ran). Every trace is read here, before anything runs or is written, so bad input fails first.
 *
 * @example
 * const plan = planMicrogrid(options, { startMs: null, carbon: null });
 * plan.solarFor(stepGrid(300, 86_400));
 */
import { constantTable, stepMeans, type CiTable } from "../carbon/intensity.js";
import { readSeries, type Series } from "../carbon/series.js";
import { checkZone, parseZoned } from "../carbon/time.js";
import { InputError } from "../core/errors.js";
import { type BatteryDescription, type BatterySettings, resolveBattery } from "./battery.js";
import { findLocation, type Location } from "./locations.js";
import type { GRID_MODES } from "./options.js";
import { solarStepMeans, type PanelSettings } from "./solar-physics.js";
import { checkCoverage, seriesStepMeans, seriesTable, stepGrid, type StepGrid } from "./traces.js";

export interface CarbonSource {
  table: CiTable;
  /** Run longer than the trace: error, hold the last value, wrap around. */
  beyond: "error" | "hold" | "wrap";
  /** Where the CI comes from ("trace:<file>", "region:<key>"). */
  origin: string;
}

/**
 * What the engine's microgrid reads (written through the microgrid settings block,
 * src/engine/settings/microgrid.ts). `inLoop` is set for a simulation's in-loop microgrid only.
 */
export interface MicrogridSettings {
  battery: BatterySettings;
  mode: (typeof GRID_MODES)[number];
  /** Fixed battery setpoint in W (+ charge), null = dispatch by the default policy. */
  chargePowerW: number | null;
  stepS: number;
  inLoop: { pue: number; hostW: number; solarEndS: number } | null;
}

export interface MicrogridPlan {
  settings: MicrogridSettings;
  battery: BatteryDescription;
  mode: typeof import("./options.js").GRID_MODES[number];
  step: number;
  startMs: number | null;
  zone: string;
  location: Location | null;
  solarSource: string;
  solarFor(grid: StepGrid): Float64Array;
  /**
   * The solar power as a piecewise table over [0, horizon] for the in-loop run (a trace: the whole trace;
   * physics: the step means up to the horizon) and a check that it covers a run of `duration` s.
   */
  solarTable(horizon: number): { table: CiTable; check(duration: number): void };
  ciFor(grid: StepGrid): Float64Array;
  carbonOrigin: string;
  lowCarbonThreshold: number | null;
  highCarbonThreshold: number | null;
  aggSeconds: number;
  notes: string[];
}

/** Parses --start: ISO with Z/±HH:MM, or a naive stamp in --timezone. */
export function parseStart(start: unknown, zone: string | null): number | null {
  if (start == null) return null;
  const s = String(start);
  let p: ReturnType<typeof parseZoned>;
  try {
    p = parseZoned(s, zone ?? undefined);
  } catch (e) {
    throw new InputError(`--start: ${(e as Error).message}`);
  }
  if (!p) throw new InputError(`--start must be an ISO date-time like 2023-06-08T12:00:00Z, got "${s}"`);
  if (p.naive && zone === null) throw new InputError(`--start "${s}" has no time zone: add Z or ±HH:MM, or give --timezone / --location`);
  return p.ms;
}

/** --agg-freq: pandas-style 1min / 15min / 1h / 1d / 30s, or plain seconds. */
export function parseAggFreq(v: unknown): number {
  const s = String(v ?? "1h")
    .trim()
    .toLowerCase();
  const m = /^(\d+(?:\.\d+)?)?\s*(s|sec|min|t|h|d)?$/.exec(s);
  const unit: Record<string, number> = { s: 1, sec: 1, min: 60, t: 60, h: 3600, d: 86400 };
  const secs = m ? Number(m[1] ?? 1) * (m[2] ? unit[m[2]] : 1) : Number.NaN;
  if (!(secs > 0)) throw new InputError(`--agg-freq must be a period such as 1min, 15min, 1h, 1d or seconds, got "${v}"`);
  return secs;
}

function num(o: Record<string, unknown>, k: string): number | null {
  return o[k] == null ? null : Number(o[k]);
}

/**
 * `carbon` is the run's carbon source (the simulation's power settings, or cosim's --carbon-trace / --region);
 * `startMs` its anchor. `cosimDefaults`: naive solar stamps read as UTC (Vessim/Solcast convention), noted.
 */
export function planMicrogrid(
  o: Record<string, unknown>,
  ctx: { startMs: number | null; carbon: CarbonSource | null; cosim: boolean },
): MicrogridPlan {
  const notes: string[] = [];
  const step = Number(o.grid_step ?? 60);
  if (!(step > 0)) throw new InputError(`--grid-step must be > 0 seconds, got ${o.grid_step}`);
  const location = o.location != null ? findLocation(String(o.location)) : null;
  const zone = o.timezone != null ? String(o.timezone) : (location?.zone ?? "UTC");
  try {
    checkZone(zone);
  } catch (e) {
    throw new InputError(`--timezone: ${(e as Error).message}`);
  }
  const startMs = ctx.startMs;
  const battery = resolveBattery(o);
  const mode = String(o.grid_mode ?? "grid-connected") as MicrogridPlan["mode"];
  if (mode === "islanded" && battery.model === "none") {
    throw new InputError("--grid-mode islanded needs storage: add --battery simple|clc (without it every deficit is shortfall)");
  }
  const chargePower = num(o, "charge_power_w");
  if (chargePower !== null && battery.model === "none") throw new InputError("--charge-power-w needs a battery (--battery simple|clc)");
  const settings: MicrogridSettings = { battery, mode, chargePowerW: chargePower, stepS: step, inLoop: null };

  // solar: a trace, physics, or none
  const peak = num(o, "solar_peak_w");
  const lat = num(o, "lat") ?? location?.lat ?? null;
  const lon = num(o, "lon") ?? location?.lon ?? null;
  if (lat !== null && !(lat >= -90 && lat <= 90)) throw new InputError(`--lat must be in [-90, 90], got ${lat}`);
  if (lon !== null && !(lon >= -180 && lon <= 180)) throw new InputError(`--lon must be in [-180, 180], got ${lon}`);
  if ((o.lat == null) !== (o.lon == null)) throw new InputError("--lat and --lon go together");
  let solarFor: (g: StepGrid) => Float64Array = (g) => new Float64Array(g.steps);
  let solarTable: MicrogridPlan["solarTable"] = () => ({ table: constantTable(0), check: () => undefined });
  let solarSource = "none";
  const physicsWanted = o.lat != null || (location !== null && o.solar_trace == null && peak !== null);
  if (o.solar_trace != null) {
    const path = String(o.solar_trace);
    if (peak === null) throw new InputError("--solar-trace needs --solar-peak-w (trace values are fractions of the peak)");
    const column = (o.solar_column as string | null) ?? location?.solcastColumn ?? null;
    const series = readSeries(path, {
      flag: "--solar-trace",
      column,
      columnFlag: "--solar-column",
      tz: (o.solar_trace_tz as string | null) ?? (ctx.cosim ? "UTC" : null),
      tzFlag: "--solar-trace-tz",
      gaps: "error",
      gapsHint: "repair the trace (gaps are not bridged silently)",
      check: (v) => (v < 0 ? `must be >= 0 (solar output), got ${v}` : undefined),
    });
    notes.push(...series.notes);
    const fill = String(o.solar_fill ?? "ffill") as "ffill" | "bfill";
    const indexing = series.offsetIndexed ? ", offset-indexed: t = 0 is the run start" : "";
    solarSource = `trace:${path}#${series.column} × ${peak} W (${fill}${indexing})`;
    const anchor = { startMs, fill, scale: peak, what: "solar trace", flag: "--solar-trace", path };
    solarFor = (g) => seriesStepMeans(series, anchor, g);
    solarTable = () => {
      const table = seriesTable(series, anchor);
      return { table, check: (d) => checkCoverage(table, anchor, d) };
    };
  } else if (physicsWanted) {
    if (lat === null || lon === null) throw new InputError("physics solar needs --lat and --lon (or --location)");
    if (peak === null) throw new InputError("physics solar needs --solar-peak-w (DC nameplate in W)");
    if (startMs === null)
      throw new InputError("physics solar needs --start (ISO date-time with zone): the sun's position depends on the real time");
    const losses = Number(o.solar_losses ?? 0.14);
    if (!(losses >= 0 && losses < 1)) throw new InputError(`--solar-losses must be in [0, 1), got ${losses}`);
    const eff = Number(o.inverter_efficiency ?? 0.96);
    if (!(eff > 0 && eff <= 1)) throw new InputError(`--inverter-efficiency must be in (0, 1], got ${eff}`);
    const panel: PanelSettings = {
      lat,
      lon,
      peakW: peak,
      losses,
      inverterEfficiency: eff,
      tilt: num(o, "panel_tilt") ?? Math.min(60, Math.abs(lat)),
      azimuth: num(o, "panel_azimuth") ?? (lat >= 0 ? 180 : 0),
      linkeTurbidity: Number(o.linke_turbidity ?? 3),
    };
    if (!(panel.tilt <= 90)) throw new InputError(`--panel-tilt must be in [0, 90], got ${panel.tilt}`);
    if (!(panel.azimuth < 360)) throw new InputError(`--panel-azimuth must be in [0, 360), got ${panel.azimuth}`);
    let clearness: Series | null = null;
    const cPath = o.clearness_trace != null ? String(o.clearness_trace) : null;
    if (cPath !== null) {
      clearness = readSeries(cPath, {
        flag: "--clearness-trace",
        column: null,
        columnFlag: "--clearness-trace (one value column)",
        tz: ctx.cosim ? "UTC" : null,
        tzFlag: "--clearness-trace",
        tzHint: "stamps need Z or ±HH:MM",
        gaps: "error",
        gapsHint: "repair the trace",
        check: (v) => (v < 0 || v > 1 ? `must be in [0, 1] (clearness), got ${v}` : undefined),
      });
    }
    solarSource =
      `physics: ${lat}, ${lon}; tilt ${panel.tilt}°, azimuth ${panel.azimuth}°, ${peak} W DC, losses ${losses}, inverter ${eff}, ` +
      `Linke turbidity ${panel.linkeTurbidity}${cPath ? `, clearness ${cPath}` : ""}`;
    solarFor = (g) => {
      const c = clearness
        ? seriesStepMeans(
            clearness,
            { startMs, fill: "ffill", scale: 1, what: "clearness trace", flag: "--clearness-trace", path: cPath! },
            g,
          )
        : undefined;
      return solarStepMeans(startMs, g, panel, c);
    };
    solarTable = (horizon) => {
      const g = stepGrid(step, horizon);
      const means = solarFor(g);
      const t = Float64Array.from(means, (_, k) => k * step);
      const c = new Float64Array(g.steps);
      for (let k = 1; k < g.steps; k++) c[k] = c[k - 1] + means[k - 1] * step;
      return {
        table: { t, v: means, s: new Float64Array(g.steps), c, end: horizon },
        check: (d) => {
          if (d > horizon + 1e-9) {
            throw new InputError(
              `physics solar was tabulated for ${horizon} s but the run lasted ${d} s: set --time_limit to the run's length (or longer)`,
            );
          }
        },
      };
    };
  } else {
    for (const f of ["solar_column", "clearness_trace", "panel_tilt", "panel_azimuth"]) {
      if (o[f] != null)
        throw new InputError(
          `--${f.replace(/_/g, "-")} needs a solar source: --solar-trace, --lat/--lon or --location with --solar-peak-w`,
        );
    }
  }

  const carbon: CarbonSource = ctx.carbon ?? { table: constantTable(0), beyond: "error", origin: "none" };
  const ciFor = (g: StepGrid): Float64Array => {
    if (g.duration > carbon.table.end + 1e-9 && carbon.beyond === "error") {
      throw new InputError(
        `--carbon-trace ${carbon.origin.slice(6)}: covers ${carbon.table.end} s of the ${g.duration} s run; ` +
          "give a longer trace, an earlier --start, or --carbon-trace-beyond hold|wrap",
      );
    }
    return stepMeans(carbon.table, g.step, g.steps, g.duration, carbon.beyond === "wrap");
  };
  const low = num(o, "low_carbon_threshold");
  const high = num(o, "high_carbon_threshold");
  const { model, capacity_wh, cells, initial_soc, min_soc, c_rate } = battery;
  return {
    settings,
    battery: { model, capacity_wh, cells, initial_soc, min_soc, c_rate },
    mode,
    step,
    startMs,
    zone,
    location,
    solarSource,
    solarFor,
    solarTable,
    ciFor,
    carbonOrigin: carbon.origin,
    lowCarbonThreshold: low,
    highCarbonThreshold: high,
    aggSeconds: parseAggFreq(o.agg_freq),
    notes,
  };
}
