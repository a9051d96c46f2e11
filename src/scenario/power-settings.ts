/**
 * options → Scenario.power: the power model's parameters from profiles/power, the per-stage work coefficients,
 * host power, PUE, carbon intensity (region constant or trace), embodied carbon and prices. Undefined when
 * --no-energy.
 *
 * @example
 * const power = resolvePowerSettings(options, { model, device, node, tp: 1, pp: 1, timeLimit: 0 });
 */
import type { Options } from "../config/options.js";
import { InputError } from "../core/errors.js";
import type { ModelSpec } from "../core/types.js";
import { constantTable } from "../carbon/intensity.js";
import { findRegion } from "../carbon/regions.js";
import { parseZoned } from "../carbon/time.js";
import { readCarbonTrace } from "../carbon/trace.js";
import type { DeviceProfile, NodeProfile } from "../profiles/profile-types.js";
import { powerModelByName } from "../plugins/power-models/index.js";
import { loadPowerProfile } from "../profiles/power-profiles.js";
import type { CarbonSettings, PowerSettings } from "../energy/types.js";
import { workCoefficients } from "../energy/work.js";

export interface PowerContext {
  model: ModelSpec;
  device: DeviceProfile;
  node: NodeProfile;
  tp: number;
  pp: number;
  /** Simulated time limit (s), 0 = none: the accounting window is [0, max(makespan, limit)]. */
  timeLimit: number;
  baseDir?: string;
}

function hostPower(spec: string, device: DeviceProfile, node: NodeProfile): { w: number; source: string } {
  const v = spec.trim().toLowerCase();
  if (v === "none" || v === "0") return { w: 0, source: "host power not included (--host_power none)" };
  if (v === "node" || v === "dgx") {
    if (node.server_idle_w === undefined) {
      throw new InputError(
        `--host_power node: node "${node.name}" has no server_idle_w (only DGX nodes do); give watts per GPU instead, e.g. --host_power 275`,
      );
    }
    const n = node.num_devices_per_node;
    const w = (node.server_idle_w - n * (device.idle_w ?? 0)) / n;
    return {
      w,
      source: `(${node.name} server idle ${node.server_idle_w} W − ${n} × GPU idle ${device.idle_w} W) / ${n} = ${w.toFixed(1)} W per GPU, constant (profiles/nodes/${node.name}.json: Splitwise DGX data)`,
    };
  }
  const w = Number(v);
  if (!Number.isFinite(w) || w < 0) throw new InputError(`--host_power must be none, node, or watts per GPU >= 0, got "${spec}"`);
  return { w, source: `--host_power ${w} W per GPU` };
}

export function resolvePowerSettings(o: Options, ctx: PowerContext): PowerSettings | undefined {
  if (o.energy === false) return undefined;
  const { device, node } = ctx;
  const model = powerModelByName(o.power_model);
  const name = model.name;
  if (device.tdp_w === undefined || device.idle_w === undefined) {
    throw new InputError(`device "${device.name}" has no tdp_w/idle_w in profiles/devices: needed for energy (or pass --no-energy)`);
  }
  const profile = loadPowerProfile(device);
  const modelParams = model.params(device, profile);
  const host = hostPower(o.host_power, device, node);

  const region = findRegion(o.region);
  const pue = o.pue ?? region.pue;
  const startIso = o.start;
  let startMs: number | null = null;
  if (startIso !== null) {
    const p = parseZoned(startIso);
    if (!p) throw new InputError(`--start must be an ISO date-time like 2023-06-08T12:00:00Z, got "${startIso}"`);
    if (p.naive) throw new InputError(`--start "${startIso}" has no time zone: add Z or ±HH:MM (e.g. ${startIso}Z)`);
    startMs = p.ms;
  }
  let carbon: CarbonSettings;
  const tracePath = o.carbon_trace;
  const beyond = o.carbon_trace_beyond;
  if (tracePath) {
    const tr = readCarbonTrace(tracePath, {
      column: o.carbon_trace_column,
      unit: o.carbon_trace_unit,
      tz: o.carbon_trace_tz,
      fill: o.carbon_trace_fill,
      gaps: o.carbon_trace_gaps,
      startMs,
    });
    carbon = {
      origin: `trace:${tracePath} (column ${tr.column}, ${tr.rows} rows, unit ${tr.unit}, ${o.carbon_trace_fill})`,
      table: tr.table,
      beyond,
      startIso: tr.startMs !== null ? new Date(tr.startMs).toISOString() : null,
      notes: tr.notes,
    };
  } else {
    carbon = {
      origin: `region:${region.key} (${region.carbonIntensity} g/kWh; ${region.source})`,
      table: constantTable(region.carbonIntensity),
      beyond: "hold",
      startIso: startMs !== null ? new Date(startMs).toISOString() : null,
      notes: [],
    };
  }
  const dev = profile.device;
  const electricity = o.electricity_price ?? region.electricityUsdPerKwh;
  const gpuHour = o.gpu_hour_price ?? dev?.gpu_hour_usd ?? null;
  const cap = o.power_cap_w ?? 0;
  const clock = o.gpu_clock_fraction ?? 1;
  if (clock > 1) throw new InputError(`--gpu_clock_fraction must be <= 1 (a fraction of the nominal clock), got ${clock}`);
  if (cap > 0 && cap <= modelParams.baseW) {
    throw new InputError(
      `--power_cap_w ${cap} W is not above the ${name} model's idle-active power ${modelParams.baseW} W for ${device.name}`,
    );
  }
  return {
    model: name,
    modelParams,
    peakFlops: (device.vendor_fp16_tflops ?? device.fp16_tflops) * 1e12,
    memoryBandwidth: (device.memory_bandwidth_gbps ?? 1000) * 1e9,
    work: workCoefficients(ctx.model, ctx.tp, ctx.pp),
    gpusPerStage: ctx.tp,
    powerCapW: cap,
    clockFraction: clock,
    dvfsExponent: profile.dvfs.exponent,
    minClockFraction: profile.dvfs.min_clock_fraction,
    resolutionS: o.power_resolution,
    horizonS: ctx.timeLimit,
    hostWPerGpu: host.w,
    hostSource: host.source,
    pue,
    pueSource: o.pue != null ? `--pue ${pue}` : `region ${region.key}: ${region.source}`,
    carbon,
    embodiedKgPerGpu: dev?.embodied_kg ?? Number.NaN,
    embodiedSource: dev ? `${profile.file}: ${dev.embodied_source}` : `no embodied carbon for ${device.name} in ${profile.file}`,
    lifetimeYears: o.embodied_lifetime_years,
    electricityUsdPerKwh: electricity,
    gpuHourUsd: gpuHour,
    priceSources: [
      o.electricity_price != null
        ? `electricity: --electricity_price`
        : electricity === null
          ? `electricity: no price for region ${region.key} (pass --electricity_price)`
          : `electricity: ${region.source}`,
      o.gpu_hour_price != null
        ? `GPU-hour: --gpu_hour_price`
        : dev?.gpu_hour_source
          ? `GPU-hour: ${profile.file}: ${dev.gpu_hour_source}`
          : "GPU-hour: no price (pass --gpu_hour_price)",
    ],
  };
}
