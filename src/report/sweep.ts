/**
 * The report of a sweep directory: a sortable, filterable table of the runs, Pareto fronts (GPU energy per
 * output token and gCO2 per request against P99 TTFT; cost per million tokens against throughput) with each
 * run's configuration on hover, and the failed runs with their errors. With replicates (`--replicates N`)
 * each configuration is one point at its mean with its 95 % confidence interval as an error bar. Reads
 * sweep.json (parameter names) and summary.{arrow,parquet}.
 *
 * @example
 * const sections = await sweepSections("sweep-out");
 */
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { chart, fmt, type Cell, type SectionItem, type SectionSpec } from "./chart.js";
import { paretoFront } from "./pareto.js";
import { isPlainObject, readJson, readTable } from "./read-output.js";

interface FrontSpec {
  id: string;
  title: string;
  x: { column: string; label: string; goal: "min" | "max" };
  y: { column: string; label: string; goal: "min" | "max" };
  what: string;
}

const FRONTS: FrontSpec[] = [
  {
    id: "pareto-energy",
    title: "Energy per token against P99 TTFT",
    x: { column: "ttft_s_p99", label: "P99 TTFT (s)", goal: "min" },
    y: { column: "energy_j_per_output_token", label: "GPU J per output token", goal: "min" },
    what: "lower energy per output token for a lower P99 time to first token",
  },
  {
    id: "pareto-carbon",
    title: "Emissions per request against P99 TTFT",
    x: { column: "ttft_s_p99", label: "P99 TTFT (s)", goal: "min" },
    y: { column: "carbon_g_per_request", label: "gCO2 per request", goal: "min" },
    what: "lower emissions per request (operational + embodied) for a lower P99 TTFT",
  },
  {
    id: "pareto-cost",
    title: "Cost against throughput",
    x: { column: "throughput_total_tokens_per_s", label: "throughput (tokens/s)", goal: "max" },
    y: { column: "cost_usd_per_million_tokens", label: "USD per million tokens", goal: "min" },
    what: "lower cost per million tokens for a higher throughput",
  },
];

/** Rows of the runs table at most (about 100 bytes of HTML per cell; the Pareto charts show every run). */
const MAX_TABLE_ROWS = 5000;

/** Metric columns shown in the runs table, when the summary has them. */
const TABLE_METRICS = [
  "ttft_s_p99",
  "tbt_s_p99",
  "e2e_latency_s_p99",
  "scheduling_delay_s_p99",
  "throughput_requests_per_s",
  "throughput_total_tokens_per_s",
  "energy_j_per_output_token",
  "carbon_g_per_request",
  "cost_usd_per_million_tokens",
  "num_gpus",
];

/** One point of a Pareto chart: a run, or a configuration's replicates summarised. */
interface Point {
  label: string;
  x: number;
  y: number;
  lo: number;
  hi: number;
}

function describe(params: string[], i: number, strs: Map<string, (string | null)[]>): string {
  const lines = [`run ${strs.get("run_id")![i]}`];
  for (const p of params) lines.push(`${p} = ${strs.get(p)![i] ?? "–"}`);
  return lines.join("\n");
}

export async function sweepSections(dir: string): Promise<SectionSpec[]> {
  const manifest = readJson(dir, "sweep.json", "every sweep directory has it");
  if (typeof manifest.format !== "string" || !manifest.format.startsWith("tokenwatt-sweep/") || !Array.isArray(manifest.parameters)) {
    throw new InputError(
      `${join(dir, "sweep.json")}: not a tokenwatt sweep manifest (needs "format": "tokenwatt-sweep/…" and "parameters")`,
    );
  }
  const params = (manifest.parameters as unknown[]).map(String);
  const table = await readTable(dir, "summary", {
    need: ["run_id", "status", "error"],
    purpose: "the sweep writes it when its runs finish",
  });
  const n = table.numRows;
  const strs = new Map<string, (string | null)[]>();
  for (const c of ["run_id", "status", "error", ...params.filter((p) => table.has(p))]) strs.set(c, table.str(c));
  for (const p of params) if (!strs.has(p)) strs.set(p, new Array(n).fill(null));
  const status = strs.get("status")!;
  const ok = (i: number) => status[i] === "ok";
  const replicated = table.has("replicate") && table.has("config_id");
  const items: SectionItem[] = [];

  const okCount = status.filter((s) => s === "ok").length;
  items.push({
    type: "note",
    text:
      `${n} runs: ${okCount} ok, ${n - okCount} failed or missing; ${params.length} swept parameters (${params.join(", ") || "none"}).` +
      (replicated
        ? ` Replicates: configurations run with several seeds; charts show each configuration's mean with its 95 % confidence interval.`
        : ""),
  });

  // Pareto fronts
  const configIds = replicated ? table.str("config_id") : null;
  const replicate = replicated ? table.num("replicate") : null;
  for (const f of FRONTS) {
    if (!table.has(f.x.column) || !table.has(f.y.column)) {
      items.push({
        type: "note",
        text: `${f.title}: the summary has no ${!table.has(f.x.column) ? f.x.column : f.y.column} column (energy accounting off?), so this front is not drawn.`,
      });
      continue;
    }
    const xs = table.num(f.x.column);
    const ys = table.num(f.y.column);
    const ciY = replicated && table.has(`${f.y.column}_rep_ci95_low`);
    const meanX = replicated && table.has(`${f.x.column}_rep_mean`) ? table.num(`${f.x.column}_rep_mean`) : xs;
    const meanY = ciY ? table.num(`${f.y.column}_rep_mean`) : ys;
    const lo = ciY ? table.num(`${f.y.column}_rep_ci95_low`) : ys;
    const hi = ciY ? table.num(`${f.y.column}_rep_ci95_high`) : ys;
    const pts: Point[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      if (!ok(i)) continue;
      if (configIds && replicate) {
        // one point per configuration, from its first successful replicate row (which carries the aggregates)
        const id = configIds[i] ?? "";
        if (seen.has(id)) continue;
        seen.add(id);
      }
      const x = meanX[i];
      const y = meanY[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const label = `${describe(params, i, strs)}\n${f.x.label}: ${fmt(x)}\n${f.y.label}: ${fmt(y)}${ciY ? ` (95 % CI ${fmt(lo[i])} – ${fmt(hi[i])})` : ""}`;
      pts.push({ label, x, y, lo: lo[i], hi: hi[i] });
    }
    if (pts.length === 0) {
      items.push({ type: "note", text: `${f.title}: no successful run has both ${f.x.column} and ${f.y.column}.` });
      continue;
    }
    pts.sort((a, b) => a.x - b.x || a.y - b.y);
    const front = paretoFront(pts, f.x.goal, f.y.goal);
    const all = Float64Array.from(pts, (p) => p.y);
    const onFront = Float64Array.from(pts, (p, i) => (front.has(i) ? p.y : Number.NaN));
    items.push(
      chart(
        f.id,
        f.title,
        `Each ${replicated ? "configuration (mean over replicates, bar = 95 % CI)" : "successful run"} as a point; the line joins the Pareto front, the runs no other run beats on both: ${f.what}. Hover for the configuration.`,
        // log axes when every value is positive: sweeps span orders of magnitude (TTFT from ms to minutes)
        { label: f.x.label, log: pts.every((p) => p.x > 0) },
        { label: f.y.label, log: pts.every((p) => p.y > 0 && !(p.lo <= 0)) },
        [Float64Array.from(pts, (p) => p.x), all, onFront],
        [
          { label: replicated ? "configurations" : "runs", style: "points" },
          { label: "Pareto front", spanGaps: true, color: "#d55e00" },
        ],
        {
          hover: pts.map((p) => p.label),
          errorBars: ciY
            ? [
                {
                  series: 1,
                  lo: pts.map((p) => (Number.isFinite(p.lo) ? p.lo : null)),
                  hi: pts.map((p) => (Number.isFinite(p.hi) ? p.hi : null)),
                },
              ]
            : undefined,
        },
      ),
    );
  }

  // the runs table
  const metrics = TABLE_METRICS.filter((m) => table.has(m));
  const extra = replicated ? ["config_id", "replicate", "replicate_seed"].filter((c) => table.has(c)) : [];
  const columns = ["run_id", "status", ...extra, ...params, ...metrics, ...(table.has("wall_time_s") ? ["wall_time_s"] : [])];
  const numeric = new Map<string, Float64Array>();
  const paramNumeric = new Set<string>();
  for (const c of columns) {
    if (c === "run_id" || c === "status" || c === "config_id") continue;
    if (params.includes(c)) {
      const v = strs.get(c)!;
      if (v.every((s) => s === null || (s.trim() !== "" && Number.isFinite(Number(s))))) paramNumeric.add(c);
      else continue;
    }
    if (table.has(c)) numeric.set(c, table.num(c));
  }
  const configStr = configIds;
  const rows: Cell[][] = [];
  const shown = Math.min(n, MAX_TABLE_ROWS);
  for (let i = 0; i < shown; i++) {
    rows.push(
      columns.map((c) => {
        if (c === "config_id") return configStr ? configStr[i] : null;
        const v = numeric.get(c);
        if (v && (!params.includes(c) || paramNumeric.has(c))) return Number.isFinite(v[i]) ? v[i] : null;
        return strs.get(c)?.[i] ?? null;
      }),
    );
  }
  items.push({
    type: "table",
    id: "runs",
    title: "Runs",
    interactive: true,
    caption:
      `${shown < n ? `The first ${shown} of ${n} runs` : "Every run of the sweep"} (summary.parquet has all runs and metric columns). ` +
      "Click a header to sort; type in a filter box: text, or >x, <x, =x for numbers.",
    columns,
    rows,
  });

  const failed = [...Array(n).keys()].filter((i) => !ok(i));
  if (failed.length) {
    items.push({
      type: "table",
      id: "failed",
      title: "Failed runs",
      interactive: true,
      caption: `${failed.length} runs did not finish${failed.length > MAX_TABLE_ROWS ? ` (the first ${MAX_TABLE_ROWS} listed)` : ""}; the error is what the run reported.`,
      columns: ["run_id", "status", ...params, "error"],
      rows: failed
        .slice(0, MAX_TABLE_ROWS)
        .map((i) => [strs.get("run_id")![i], status[i], ...params.map((p) => strs.get(p)![i]), strs.get("error")![i]]),
    });
  } else {
    items.push({ type: "note", text: "No failed runs." });
  }
  const spec = isPlainObject(manifest.spec) ? manifest.spec : {};
  return [{ id: "sweep", title: `Sweep${typeof spec.source === "string" ? ` of ${spec.source}` : ""}`, items }];
}
