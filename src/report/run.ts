/**
 * The report of one simulation (`tokenwatt simulate` output directory): latency CDFs and percentiles, load
 * over time, KV-cache and busy time per replica, power per replica, the energy breakdown, power and energy
 * per token against batch size, and emissions against carbon intensity. Reads summary.json, request_metrics,
 * and (when present) timeline and batch_metrics; a chart whose input the run did not produce is replaced by
 * a note saying which flag produces it.
 *
 * @example
 * const sections = await runSections("simulator_output", summary);
 */
import { InputError } from "../core/errors.js";
import { chart, fmt, timeUnit, type ChartSpec, type SectionItem, type SectionSpec, type TableSpec } from "./chart.js";
import { columnCdf } from "./cdf.js";
import { MinMaxDownsampler } from "./downsample.js";
import { findTable, isPlainObject, readTable, type ReportTable } from "./read-output.js";

/** Points per series in a time chart: two per bucket, about two per pixel of a full-width chart. */
export const TIME_BUCKETS = 1000;
const CDF_POINTS = 500;

const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Checks that summary.json is a simulate summary (the report reads these keys). */
export function checkRunSummary(summary: Record<string, unknown>, path: string): void {
  for (const key of ["num_requests", "ttft_s", "e2e_latency_s", "simulated_makespan_s"]) {
    if (!(key in summary)) throw new InputError(`${path}: no "${key}" field; not a tokenwatt simulate summary`);
  }
}

const LATENCIES: { column: string; key: string; title: string; what: string }[] = [
  { column: "prefill_e2e_time", key: "ttft_s", title: "Time to first token", what: "time from arrival to the first output token" },
  {
    column: "decode_time_execution_plus_preemption_normalized",
    key: "tbt_s",
    title: "Time between tokens (per-request mean)",
    what: "each request's mean time per output token after the first",
  },
  { column: "request_e2e_time", key: "e2e_latency_s", title: "End-to-end latency", what: "time from arrival to the last output token" },
  {
    column: "request_scheduling_delay",
    key: "scheduling_delay_s",
    title: "Scheduling delay",
    what: "time from arrival to first being scheduled",
  },
];

function latencySection(req: ReportTable, summary: Record<string, unknown>): SectionSpec {
  const items: SectionItem[] = [];
  for (const l of LATENCIES) {
    // the column is read a record batch at a time (twice: range, then counts), never held whole
    const c = columnCdf((visit) => req.scan([l.column], (rows, [v]) => visit(v, rows)), CDF_POINTS);
    items.push(
      chart(
        `cdf-${l.key}`,
        `${l.title} CDF`,
        `Fraction of the ${fmt(c.count)} completed requests whose ${l.what} is at most x (request_metrics.${l.column}).`,
        { label: "seconds" },
        { label: "fraction of requests", min: 0, max: 1 },
        [c.x, c.p],
        [{ label: l.title }],
      ),
    );
  }
  const rows: TableSpec["rows"] = [];
  for (const [key, label] of [
    ["ttft_s", "TTFT"],
    ["tbt_s", "TBT (every token)"],
    ["e2e_latency_s", "end-to-end"],
    ["scheduling_delay_s", "scheduling delay"],
    ["per_request_normalized_decode_time_s", "per-request mean TBT"],
  ]) {
    const s = obj(summary[key]);
    if (Object.keys(s).length === 0) continue;
    rows.push([label, num(s.p50), num(s.p90), num(s.p99), num(s.mean), num(s.min), num(s.max), num(s.count)]);
  }
  items.push({
    type: "table",
    id: "percentiles",
    title: "Latency percentiles (s)",
    caption: "Exact percentiles from summary.json (linear interpolation, numpy's default); TBT is over every output token.",
    columns: ["metric", "p50", "p90", "p99", "mean", "min", "max", "count"],
    rows,
  });
  return { id: "latency", title: "Latency", items };
}

function keyFigures(summary: Record<string, unknown>): TableSpec {
  const e = obj(summary.energy);
  const c = obj(summary.carbon);
  const cost = obj(summary.cost);
  const t = obj(summary.throughput);
  const rows: TableSpec["rows"] = [
    ["requests (completed / total)", `${fmt(summary.num_completed_requests)} / ${fmt(summary.num_requests)}`],
    ["GPUs", num(summary.num_gpus)],
    ["simulated makespan (s)", num(summary.simulated_makespan_s)],
    ["throughput (requests/s)", num(t.requests_per_s)],
    ["throughput (tokens/s)", num(t.total_tokens_per_s)],
  ];
  if (Object.keys(e).length)
    rows.push(
      ["GPU energy (kWh)", num(e.gpu_energy_kwh)],
      ["facility energy (kWh)", num(e.facility_energy_kwh)],
      ["J per output token (GPU)", num(e.j_per_output_token)],
      ["mean power (W per GPU)", num(e.avg_power_w_per_gpu)],
    );
  if (Object.keys(c).length)
    rows.push(
      ["operational CO2 (g)", num(c.operational_g)],
      ["total CO2 incl. embodied (g)", num(c.total_g)],
      ["gCO2 per request", num(c.g_per_request)],
    );
  if (Object.keys(cost).length)
    rows.push(["cost (USD)", num(cost.total_usd)], ["USD per million tokens", num(cost.usd_per_million_tokens)]);
  return { type: "table", id: "key-figures", title: "Key figures", caption: "From summary.json.", columns: ["quantity", "value"], rows };
}

/** Requests in service and tokens completed per second, from request_metrics (when batch_metrics is absent). */
function loadFromRequests(req: ReportTable, makespan: number): ChartSpec {
  const n = TIME_BUCKETS;
  const width = makespan / n || 1;
  const inService = new Float64Array(n + 1);
  const tokenSum = new Float64Array(n);
  req.scan(["scheduled_at", "completed_at", "request_num_tokens"], (rows, [sched, done, tokens]) => {
    for (let i = 0; i < rows; i++) {
      const s = sched[i];
      if (!(s >= 0)) continue;
      const c = done[i];
      inService[Math.min(n, Math.floor(s / width))] += 1;
      if (c >= 0) {
        inService[Math.min(n, Math.floor(c / width))] -= 1;
        tokenSum[Math.min(n - 1, Math.floor(c / width))] += tokens[i];
      }
    }
  });
  const unit = timeUnit(makespan);
  const x = Float64Array.from({ length: n }, (_, b) => (b * width) / unit.div);
  const running = new Float64Array(n);
  let acc = 0;
  for (let b = 0; b < n; b++) running[b] = acc += inService[b];
  const rate = Float64Array.from(tokenSum, (v) => v / width);
  return chart(
    "load",
    "Requests in service and tokens over time",
    `Requests scheduled but not finished (left) and tokens of requests completed per second (right), in ${n} buckets of ${fmt(width)} s; keep batch metrics (--metrics_config_keep_individual_batch_metrics) for batch sizes.`,
    { label: `simulated time (${unit.label})` },
    { label: "requests in service" },
    [x, running, rate],
    [
      { label: "requests in service", style: "step" },
      { label: "tokens/s completed", axis: "y2", style: "step" },
    ],
    { y2: { label: "tokens / s" } },
  );
}

function loadFromBatches(batches: ReportTable, makespan: number): ChartSpec {
  const unit = timeUnit(makespan);
  // tokens first, so the batch sizes are drawn over them (prefill and decode batches alternate, and their
  // token counts fill the band between them)
  const d = new MinMaxDownsampler(0, makespan / unit.div, TIME_BUCKETS, 2);
  let scaledX = new Float64Array(0);
  batches.scan(["scheduled_at", "batch_num_tokens", "batch_size"], (rows, [at, tokens, size]) => {
    if (scaledX.length < rows) scaledX = new Float64Array(rows);
    for (let i = 0; i < rows; i++) scaledX[i] = at[i] / unit.div;
    d.add(scaledX, [tokens, size], rows);
  });
  const r = d.result();
  return chart(
    "load",
    "Batch size and tokens over time",
    `Tokens (right) and size in requests (left) of every batch by its schedule time, ${fmt(batches.numRows)} batches drawn as min and max per pixel (batch_metrics).`,
    { label: `simulated time (${unit.label})` },
    { label: "batch size (requests)" },
    [r.x, ...r.ys],
    [
      { label: "batch tokens", axis: "y2", color: "#e69f00" },
      { label: "batch size", color: "#0072b2" },
    ],
    { y2: { label: "tokens per batch" } },
  );
}

function replicaChart(summary: Record<string, unknown>): ChartSpec | null {
  const kv = obj(obj(summary.memory_usage_percent).per_replica_time_weighted);
  const busy = obj(obj(summary.busy_time_percent).per_replica_stage);
  const replicas = Object.keys(kv)
    .map((k) => Number(k.replace("replica_", "")))
    .filter(Number.isInteger)
    .sort((a, b) => a - b);
  if (replicas.length === 0) return null;
  const busyOf = (r: number): number => {
    const vals = Object.entries(busy)
      .filter(([k]) => k.startsWith(`replica_${r}_stage_`))
      .map(([, v]) => num(v))
      .filter((v): v is number => v !== null);
    return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : Number.NaN;
  };
  return chart(
    "replicas",
    "KV-cache use and busy time per replica",
    "Time-weighted mean share of KV-cache blocks allocated and share of time busy (mean over pipeline stages), per replica (summary.json).",
    { label: "replica", kind: "category", categories: replicas.map((r) => `replica ${r}`) },
    { label: "percent", min: 0 },
    [
      Float64Array.from(replicas, (_, i) => i),
      Float64Array.from(replicas, (r) => num(kv[`replica_${r}`]) ?? Number.NaN),
      Float64Array.from(replicas, busyOf),
    ],
    [
      { label: "KV cache used (%)", style: "bars" },
      { label: "busy (%)", style: "bars" },
    ],
  );
}

function energyCharts(summary: Record<string, unknown>, timeline: ReportTable | null, batches: ReportTable | null): SectionItem[] {
  const items: SectionItem[] = [];
  const e = obj(summary.energy);
  if (timeline) {
    const duration = num(e.duration_s) ?? num(summary.simulated_makespan_s) ?? 0;
    const unit = timeUnit(duration);
    const replicaCols = timeline.columnNames
      .filter((c) => /^power_w_replica_\d+$/.test(c))
      .sort((a, b) => Number(a.slice(16)) - Number(b.slice(16)));
    const withCo2 = timeline.has("operational_co2_g") && timeline.has("carbon_intensity_g_per_kwh");
    const power = new MinMaxDownsampler(0, duration / unit.div, TIME_BUCKETS, replicaCols.length);
    const co2 = new MinMaxDownsampler(0, duration / unit.div, TIME_BUCKETS, 2);
    let bucket = Number.NaN;
    let x = new Float64Array(0);
    let rate = new Float64Array(0);
    const cols = ["t_start_s", "t_end_s", ...(withCo2 ? ["operational_co2_g", "carbon_intensity_g_per_kwh"] : []), ...replicaCols];
    timeline.scan(cols, (rows, v) => {
      const [t0, t1] = v;
      if (x.length < rows) {
        x = new Float64Array(rows);
        rate = new Float64Array(rows);
      }
      if (bucket !== bucket && rows > 0) bucket = t1[0] - t0[0];
      for (let i = 0; i < rows; i++) x[i] = t0[i] / unit.div;
      power.add(x, v.slice(withCo2 ? 4 : 2), rows);
      if (withCo2) {
        for (let i = 0; i < rows; i++) rate[i] = (v[2][i] / Math.max(1e-12, t1[i] - t0[i])) * 3600;
        co2.add(x, [rate, v[3]], rows);
      }
    });
    const p = power.result();
    items.push(
      chart(
        "power",
        "Power per replica over time",
        `Mean GPU power of each replica (all its GPUs) per ${fmt(bucket)} s bucket, min and max per pixel kept (timeline).`,
        { label: `simulated time (${unit.label})` },
        { label: "W" },
        [p.x, ...p.ys],
        replicaCols.map((c) => ({ label: c.replace("power_w_", "").replace("_", " "), style: "step" as const })),
      ),
    );
    if (withCo2) {
      const d = co2.result();
      items.push(
        chart(
          "emissions",
          "Emissions against carbon intensity",
          "Operational CO2 emission rate (GPU + host energy × PUE × intensity, left) and the grid's carbon intensity (right), per timeline bucket.",
          { label: `simulated time (${unit.label})` },
          { label: "gCO2 per hour" },
          [d.x, ...d.ys],
          [
            { label: "emissions (g/h)", style: "step" },
            { label: "carbon intensity (g/kWh)", axis: "y2", style: "step", dash: [5, 3] },
          ],
          { y2: { label: "g/kWh" } },
        ),
      );
    }
  } else {
    items.push({
      type: "note",
      text: "No timeline table in this directory (energy accounting off with --no-energy): power and emissions over time are not drawn.",
    });
  }
  if (Object.keys(e).length) {
    const gpu = num(e.gpu_energy_kwh) ?? 0;
    const host = num(e.host_energy_kwh) ?? 0;
    const facility = num(e.facility_energy_kwh) ?? 0;
    const cats = ["GPU busy", "GPU idle", "host", "PUE overhead"];
    const values = [num(e.busy_energy_kwh) ?? Number.NaN, num(e.idle_energy_kwh) ?? Number.NaN, host, facility - gpu - host];
    items.push(
      chart(
        "energy-breakdown",
        "Energy breakdown",
        `Where the ${fmt(facility)} kWh of facility energy went: GPUs running batches, GPUs idle between them, host, and the facility's overhead (PUE ${fmt(e.pue)}).`,
        { label: "component", kind: "category", categories: cats },
        { label: "kWh", min: 0 },
        [Float64Array.from(cats, (_, i) => i), Float64Array.from(values)],
        [{ label: "energy (kWh)", style: "bars" }],
      ),
    );
  }
  if (batches?.has("avg_power_w_per_gpu") && batches.has("gpu_energy_j")) {
    const stats = new Map<number, { n: number; p: number; e: number; t: number }>();
    batches.scan(["batch_size", "avg_power_w_per_gpu", "gpu_energy_j", "batch_num_tokens"], (rows, [size, power, energy, tokens]) => {
      for (let i = 0; i < rows; i++) {
        let s = stats.get(size[i]);
        if (!s) stats.set(size[i], (s = { n: 0, p: 0, e: 0, t: 0 }));
        s.n++;
        s.p += power[i];
        s.e += energy[i];
        s.t += tokens[i];
      }
    });
    const sizes = [...stats.keys()].filter(Number.isFinite).sort((a, b) => a - b);
    items.push(
      chart(
        "power-vs-batch",
        "Power and energy per token against batch size",
        `Mean GPU power (W per GPU, left) and GPU energy per batch token (J, right) of the ${fmt(batches.numRows)} batches, grouped by batch size (batch_metrics).`,
        { label: "batch size (requests)" },
        { label: "W per GPU" },
        [
          Float64Array.from(sizes),
          Float64Array.from(sizes, (s) => stats.get(s)!.p / stats.get(s)!.n),
          Float64Array.from(sizes, (s) => stats.get(s)!.e / Math.max(1, stats.get(s)!.t)),
        ],
        [{ label: "W per GPU" }, { label: "J per token", axis: "y2" }],
        { y2: { label: "J per token" } },
      ),
    );
  } else if (Object.keys(e).length) {
    items.push({
      type: "note",
      text: "W/GPU and J/token against batch size need per-batch records: rerun with --metrics_config_keep_individual_batch_metrics.",
    });
  }
  return items;
}

export async function runSections(dir: string, summary: Record<string, unknown>): Promise<SectionSpec[]> {
  const req = await readTable(dir, "request_metrics", {
    need: [...LATENCIES.map((l) => l.column), "scheduled_at", "completed_at", "request_num_tokens"],
    purpose: "simulate writes it; the latency charts are drawn from it",
  });
  const timeline = findTable(dir, "timeline") ? await readTable(dir, "timeline", { need: ["t_start_s", "t_end_s"] }) : null;
  const batches = findTable(dir, "batch_metrics")
    ? await readTable(dir, "batch_metrics", { need: ["scheduled_at", "batch_size", "batch_num_tokens"] })
    : null;
  const makespan = num(summary.simulated_makespan_s) ?? 0;
  const overview: SectionSpec = { id: "overview", title: "Overview", items: [keyFigures(summary)] };
  const load: SectionItem[] = [batches ? loadFromBatches(batches, makespan) : loadFromRequests(req, makespan)];
  const rep = replicaChart(summary);
  if (rep) load.push(rep);
  return [
    overview,
    latencySection(req, summary),
    { id: "load", title: "Load and replicas", items: load },
    { id: "energy", title: "Power, energy and emissions", items: energyCharts(summary, timeline, batches) },
  ];
}
