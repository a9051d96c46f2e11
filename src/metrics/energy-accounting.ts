/**
 * Engine energy → what users read: the `energy`, `carbon` and `cost` objects of summary.json, the `timeline`
 * table (power per replica and total, energy, carbon intensity, emissions per bucket), and energy / carbon
 * columns for the request and batch tables. GPU energy is exact from the engine; host power is a constant per
 * GPU; facility = (GPU + host) · PUE; operational emissions = PUE · ∫ (P_gpu + P_host) · CI dt.
 *
 * @example
 * const rep = energyReport(scenario, result);   // throws InputError if the run outlasts a carbon trace (policy error)
 * rep.summary.energy.gpu_energy_kwh; rep.timeline.name  // "timeline"
 */
import { InputError } from "../core/errors.js";
import { cumCi } from "../carbon/intensity.js";
import type { EngineResult } from "../engine/result.js";
import { ER_CI_J, ER_ENERGY_J, ER_FIELDS } from "../../assembly/abi.js";
import type { DerivedColumn } from "../tables/chunked.js";
import { column, type Column, type ResultTable } from "../tables/table.js";
import type { Scenario } from "../scenario/types.js";

const J_PER_KWH = 3.6e6;
const SECONDS_PER_YEAR = 365.25 * 86400;

export interface EnergyReport {
  summary: { energy: Record<string, unknown>; carbon: Record<string, unknown>; cost: Record<string, unknown> };
  timeline: ResultTable;
  /**
   * Per request: the engine's interleaved (energy J, CI integral) pairs; operational CO2 (g, with PUE) =
   * pue · CI integral / 3.6e6. Per batch row: GPU energy (J), CO2 (g) and mean power.
   */
  request: { pairs: Float64Array; pue: number };
  batch: { energyJ: Float64Array; co2G: Float64Array; avgPowerW: Float64Array };
  totals: { gpuJ: number; idleJ: number; busyJ: number; hostJ: number; facilityJ: number; operationalG: number; embodiedG: number };
}

/**
 * `tokens`: completed requests and their tokens when the result's request columns were streamed instead of
 * kept (src/metrics/request-stats.ts has them); default: counted from the columns.
 */
export function energyReport(s: Scenario, r: EngineResult, tokens?: CompletedTokens): EnergyReport | undefined {
  const p = s.power;
  const e = r.energy;
  if (!p || !e) return undefined;
  const tb = p.carbon.table;
  const wrap = p.carbon.beyond === "wrap";
  const end = e.endS;
  const notes = [...p.carbon.notes];
  if (end > tb.end) {
    if (p.carbon.beyond === "error") {
      throw new InputError(
        `the run lasts ${end.toFixed(1)} s but the carbon trace covers only ${tb.end.toFixed(1)} s after --start: ` +
          `use a longer trace, an earlier --start, or --carbon_trace_beyond hold|wrap`,
      );
    }
    if (Number.isFinite(tb.end))
      notes.push(
        `run (${end.toFixed(1)} s) outlasts the trace (${tb.end.toFixed(1)} s): ${p.carbon.beyond === "wrap" ? "trace repeated" : "last value held"}`,
      );
  }
  const gpusPerReplica = s.tensorParallelSize * s.numPipelineStages;
  const G = gpusPerReplica * s.numReplicas;
  const pue = p.pue;
  const gap = p.modelParams.gapW;
  let busyJ = 0,
    idleJ = 0,
    busyX = 0,
    idleX = 0,
    busyGpuS = 0;
  for (const rep of e.replicas) {
    busyJ += rep.busyJ;
    idleJ += rep.idleJ;
    busyX += rep.busyCiJ;
    idleX += rep.idleCiJ;
    busyGpuS += rep.busyGpuS;
  }
  const gpuJ = busyJ + idleJ;
  const cEnd = cumCi(tb, end, wrap);
  const hostJ = p.hostWPerGpu * G * end;
  const hostX = p.hostWPerGpu * G * cEnd;
  const facilityJ = (gpuJ + hostJ) * pue;
  const operationalG = (pue * (busyX + idleX + hostX)) / J_PER_KWH;
  const embodiedG = (p.embodiedKgPerGpu * 1000 * G * end) / (p.lifetimeYears * SECONDS_PER_YEAR);

  // tokens and requests
  const { completed, outTokens, allTokens } = tokens ?? completedTokens(r.requests);
  const kwh = (j: number) => j / J_PER_KWH;
  // a cap below a stage's memory-bound power cannot be met by the SM clock alone (memory clocks are not
  // modelled): say so instead of leaving a peak above the cap unexplained
  const capMissed = p.powerCapW > 0 && e.peakPowerW > p.powerCapW * (1 + 1e-9);
  const energy = {
    power_model: p.model,
    duration_s: end,
    num_gpus: G,
    gpu_energy_kwh: kwh(gpuJ),
    busy_energy_kwh: kwh(busyJ),
    idle_energy_kwh: kwh(idleJ),
    host_energy_kwh: kwh(hostJ),
    facility_energy_kwh: kwh(facilityJ),
    pue,
    avg_power_w_per_gpu: end > 0 ? gpuJ / (G * end) : Number.NaN,
    avg_busy_power_w_per_gpu: busyGpuS > 0 ? busyJ / busyGpuS : Number.NaN,
    peak_power_w_per_gpu: e.peakPowerW > 0 ? e.peakPowerW : gap,
    idle_power_w_per_gpu: gap,
    busy_gpu_fraction: end > 0 ? busyGpuS / (G * end) : Number.NaN,
    j_per_output_token: gpuJ / outTokens,
    facility_j_per_output_token: facilityJ / outTokens,
    wh_per_request: gpuJ / 3600 / completed,
    facility_wh_per_request: facilityJ / 3600 / completed,
    power_cap_w: p.powerCapW || null,
    power_cap_attained: p.powerCapW ? !capMissed : null,
    gpu_clock_fraction: p.clockFraction,
    note:
      "GPU energy integrates every GPU (replicas x TP x PP) over [0, duration_s]: batch stages at the model's power, gaps at idle-but-serving power (idle_energy_kwh). Per-request energies (request table) split each stage by FLOP share and sum with idle_energy to gpu_energy. facility = (GPU + host) x PUE." +
      (capMissed
        ? ` The ${p.powerCapW} W cap was not attained by every stage (peak ${e.peakPowerW.toFixed(1)} W): a stage whose memory-bound power alone exceeds the cap runs at the lowest SM clock and keeps its memory power, since memory clocks are not modelled (docs/energy.md).`
        : ""),
    sources: { model: p.modelParams.sources, host: p.hostSource, pue: p.pueSource },
  };
  const carbon = {
    operational_g: operationalG,
    embodied_g: embodiedG,
    total_g: operationalG + embodiedG,
    g_per_request: (operationalG + embodiedG) / completed,
    operational_g_per_request: operationalG / completed,
    mean_intensity_g_per_kwh: end > 0 ? cEnd / end : tb.v[0],
    intensity_source: p.carbon.origin,
    start: p.carbon.startIso,
    embodied_kg_per_gpu: p.embodiedKgPerGpu,
    embodied_lifetime_years: p.lifetimeYears,
    embodied_source: p.embodiedSource,
    notes,
  };
  const elec = p.electricityUsdPerKwh;
  const gpuHours = (G * end) / 3600;
  const electricityUsd = elec === null ? Number.NaN : kwh(facilityJ) * elec;
  const gpuUsd = p.gpuHourUsd === null ? Number.NaN : gpuHours * p.gpuHourUsd;
  const total = (Number.isNaN(electricityUsd) ? 0 : electricityUsd) + (Number.isNaN(gpuUsd) ? 0 : gpuUsd);
  const cost = {
    electricity_usd: electricityUsd,
    electricity_usd_per_kwh: elec,
    gpu_hours: gpuHours,
    gpu_hour_usd: p.gpuHourUsd,
    gpu_usd: gpuUsd,
    total_usd: total,
    usd_per_million_output_tokens: (total / outTokens) * 1e6,
    usd_per_million_tokens: (total / allTokens) * 1e6,
    note: "gpu_usd rents the GPUs for the whole duration (it includes electricity in a cloud price); electricity_usd is the facility energy at the region's price. total_usd adds both (an upper bound for owned hardware).",
    sources: p.priceSources,
  };

  const timeline = timelineTable(s, e, end, G, gpusPerReplica);
  const toG = (x: Float64Array) => x.map((v) => (pue * v) / J_PER_KWH);
  return {
    summary: { energy, carbon, cost },
    timeline,
    request: { pairs: e.requestPairs, pue },
    batch: { energyJ: e.batchEnergyJ, co2G: toG(e.batchCiJ), avgPowerW: e.batchAvgPowerW },
    totals: { gpuJ, idleJ, busyJ, hostJ, facilityJ, operationalG, embodiedG },
  };
}

/** out[j] = pairs[(start + j)·ER_FIELDS + field] · mul / div for rows [start, end). */
function strided(pairs: Float64Array, field: number, mul: number, div: number, start: number, end: number, out: Float64Array): void {
  for (let i = start, k = start * ER_FIELDS + field; i < end; i++, k += ER_FIELDS) out[i - start] = (mul * pairs[k]) / div;
}

/**
 * The energy columns of the request_metrics and batch_metrics tables (appended after their own). The
 * request columns are derived chunk by chunk from the engine's interleaved per-request buffer.
 */
export function energyColumns(rep: EnergyReport): { request: DerivedColumn[]; batch: Column[] } {
  return {
    request: requestEnergyColumns(rep.request.pairs, rep.request.pue),
    batch: [
      column("gpu_energy_j", "f64", rep.batch.energyJ),
      column("avg_power_w_per_gpu", "f64", rep.batch.avgPowerW),
      column("operational_co2_g", "f64", rep.batch.co2G),
    ],
  };
}

/**
 * The request table's energy columns from interleaved (energy J, CI integral) pairs whose first pair is row
 * `firstRow` (0 for a whole run, the chunk's first id for a chunk leaving the engine).
 *
 * @example
 * requestEnergyColumns(Float64Array.of(2, 3.6e6), 1.5, 10)[1].fill(10, 11, out); // out[0] = 1.5 g
 */
export function requestEnergyColumns(pairs: Float64Array, pue: number, firstRow = 0): DerivedColumn[] {
  return [
    {
      name: "gpu_energy_j",
      type: "f64",
      fill: (start, end, out) => strided(pairs, ER_ENERGY_J, 1, 1, start - firstRow, end - firstRow, out),
    },
    {
      name: "operational_co2_g",
      type: "f64",
      fill: (start, end, out) => strided(pairs, ER_CI_J, pue, J_PER_KWH, start - firstRow, end - firstRow, out),
    },
  ];
}

export interface CompletedTokens {
  completed: number;
  outTokens: number;
  allTokens: number;
}

/** Completed requests and their tokens (hot loops live in small functions: V8 optimises them once). */
function completedTokens(q: EngineResult["requests"]): CompletedTokens {
  let completed = 0,
    outTokens = 0,
    allTokens = 0;
  for (let i = 0; i < q.completed.length; i++) {
    if (!q.completed[i]) continue;
    completed++;
    outTokens += q.originalDecodeTokens[i];
    allTokens += q.originalDecodeTokens[i] + q.originalPrefillTokens[i];
  }
  return { completed, outTokens, allTokens };
}

/** The timeline table: power, energy, carbon intensity and emissions per `resolutionS` bucket. */
function timelineTable(s: Scenario, e: NonNullable<EngineResult["energy"]>, end: number, G: number, gpusPerReplica: number): ResultTable {
  const p = s.power!;
  const tb = p.carbon.table;
  const wrap = p.carbon.beyond === "wrap";
  const pue = p.pue;
  const gap = p.modelParams.gapW;
  const step = p.resolutionS;
  const nBuckets = Math.max(Math.ceil(end / step - 1e-12), ...e.timeline.map((t) => t.excessJ.length), end > 0 ? 1 : 0);
  const t0 = new Float64Array(nBuckets),
    t1 = new Float64Array(nBuckets);
  const perReplica = e.timeline.map(() => new Float64Array(nBuckets));
  const totalW = new Float64Array(nBuckets),
    gpuEnergy = new Float64Array(nBuckets),
    facEnergy = new Float64Array(nBuckets);
  const ci = new Float64Array(nBuckets),
    emis = new Float64Array(nBuckets),
    cumEnergy = new Float64Array(nBuckets);
  let acc = 0;
  for (let k = 0; k < nBuckets; k++) {
    const a = k * step;
    const b = Math.min(end, (k + 1) * step);
    const w = Math.max(0, b - a);
    t0[k] = a;
    t1[k] = b;
    const dc = cumCi(tb, b, wrap) - cumCi(tb, a, wrap);
    let eK = 0,
      xK = 0;
    e.timeline.forEach((tl, rep) => {
      const ex = k < tl.excessJ.length ? tl.excessJ[k] : 0;
      const exX = k < tl.excessCiJ.length ? tl.excessCiJ[k] : 0;
      const ej = gap * gpusPerReplica * w + ex;
      perReplica[rep][k] = w > 0 ? ej / w : Number.NaN;
      eK += ej;
      xK += gap * gpusPerReplica * dc + exX;
    });
    gpuEnergy[k] = eK;
    totalW[k] = w > 0 ? eK / w : Number.NaN;
    facEnergy[k] = (eK + p.hostWPerGpu * G * w) * pue;
    ci[k] = w > 0 ? dc / w : Number.NaN;
    emis[k] = (pue * (xK + p.hostWPerGpu * G * dc)) / J_PER_KWH;
    acc += eK;
    cumEnergy[k] = acc;
  }
  return {
    name: "timeline",
    columns: [
      column("t_start_s", "f64", t0),
      column("t_end_s", "f64", t1),
      ...perReplica.map((col, rep) => column(`power_w_replica_${rep}`, "f64", col, true)),
      column("power_w_gpus", "f64", totalW, true),
      column(
        "power_w_per_gpu",
        "f64",
        totalW.map((x) => x / G),
        true,
      ),
      column("gpu_energy_j", "f64", gpuEnergy),
      column("facility_energy_j", "f64", facEnergy),
      column("cumulative_gpu_energy_j", "f64", cumEnergy),
      column("carbon_intensity_g_per_kwh", "f64", ci, true),
      column("operational_co2_g", "f64", emis),
    ],
  };
}
