/**
 * Run records → the summary table (one row per run, ordered by run_index) written as summary.arrow and
 * summary.parquet. Columns: run_id, run_index, status, error, attempts, wall_time_s, then every swept
 * parameter typed by its option (int → int64, float → float64, bool → bool, others → string), then every
 * flattened summary metric (counts int64 — see isCountColumn —, other numbers float64 with null where a run has
 * none; bool; string). With replicates: config_id, replicate and replicate_seed after the run columns, and
 * per-configuration aggregates of every numeric metric (`<metric>_rep_mean`, `_rep_std`, `_rep_ci95_low`,
 * `_rep_ci95_high`, `replicates_ok`) and, for latency metrics the runs sketched, pooled quantiles of the
 * configuration from the replicates' merged sketches (`<metric>_pooled_p50/p90/p99`). See docs/sweeps.md.
 */
import { DDSketch } from "../core/ddsketch.js";
import { column, type Column, type ResultTable } from "../tables/table.js";
import { writeTableFormats } from "../output/writers.js";
import { isCountColumn } from "./flatten.js";
import { replicateStats, type ReplicateStats } from "./replicates.js";
import { boolColumn, int64Column, paramColumn, runColumns } from "./run-columns.js";
import type { RunRecord } from "./store.js";

/** Columns whose values depend on the machine and load, not on the configuration. */
export const TIMING_COLUMNS: readonly string[] = ["wall_time_s", "attempts", "engine_event_loop_s", "engine_batches_per_s"];

export type SummaryStatus = RunRecord["status"] | "missing";

function metricColumn(name: string, values: (number | boolean | string | null | undefined)[]): Column {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === "string")) {
    return column(
      name,
      "utf8",
      values.map((v) => (typeof v === "string" ? v : (null as unknown as string))),
      true,
    );
  }
  if (present.length === values.length && present.length > 0 && present.every((v) => typeof v === "boolean")) {
    return boolColumn(name, values);
  }
  // Counts are int64 (as in capacity.parquet); a count some run lacks (a failed run) stays a nullable float64.
  if (isCountColumn(name) && present.length === values.length && present.every((v) => Number.isSafeInteger(v))) {
    return int64Column(name, values);
  }
  return column(
    name,
    "f64",
    Float64Array.from(values, (v) => (typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : Number.NaN)),
    true,
  );
}

/** Builds the summary table. `rows` are records (or placeholders for missing runs), any order. */
export function summaryTable(
  records: readonly RunRecord[],
  parameters: readonly string[],
  extraStatus: Map<string, SummaryStatus> = new Map(),
): ResultTable {
  const rows = [...records].sort((a, b) => a.run_index - b.run_index);
  const metricNames: string[] = [];
  const seen = new Set<string>([
    "run_id",
    "run_index",
    "status",
    "error",
    "attempts",
    "wall_time_s",
    "config_id",
    "replicate",
    "replicate_seed",
    ...parameters,
  ]);
  for (const r of rows) {
    for (const k of Object.keys(r.metrics)) {
      if (!seen.has(k)) {
        seen.add(k);
        metricNames.push(k);
      }
    }
  }
  const replicated = rows.some((r) => r.replicate !== undefined);
  const metrics = metricNames.map((m) =>
    metricColumn(
      m,
      rows.map((r) => r.metrics[m]),
    ),
  );
  const columns: Column[] = [
    ...runColumns(rows, (r) => extraStatus.get(r.run_id) ?? r.status),
    int64Column(
      "attempts",
      rows.map((r) => r.attempts),
    ),
    column(
      "wall_time_s",
      "f64",
      Float64Array.from(rows, (r) => r.wall_time_s),
      true,
    ),
    ...(replicated ? replicateColumns(rows) : []),
    ...parameters.map((p) =>
      paramColumn(
        p,
        rows.map((r) => r.params[p]),
      ),
    ),
    ...metrics,
    ...(replicated ? aggregateColumns(rows, metrics) : []),
    ...(replicated ? pooledColumns(rows) : []),
  ];
  return { name: "summary", columns };
}

function replicateColumns(rows: readonly RunRecord[]): Column[] {
  return [
    column(
      "config_id",
      "utf8",
      rows.map((r) => r.config_id ?? r.run_id),
    ),
    column(
      "replicate",
      "i32",
      Int32Array.from(rows, (r) => r.replicate ?? 0),
    ),
    int64Column(
      "replicate_seed",
      rows.map((r) => r.replicate_seed ?? 0),
    ),
  ];
}

/**
 * Per configuration, over its successful replicates, for every numeric metric m (machine timings left out):
 * m_rep_mean, m_rep_std (sample), m_rep_ci95_low / m_rep_ci95_high (t interval of the mean); repeated on each
 * replicate's row, so any row of a configuration carries its aggregates. Plus replicates_ok.
 */
function aggregateColumns(rows: readonly RunRecord[], metrics: readonly Column[]): Column[] {
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    if (r.status !== "ok") return;
    const id = r.config_id ?? r.run_id;
    const g = groups.get(id) ?? [];
    g.push(i);
    groups.set(id, g);
  });
  const groupOf = rows.map((r) => groups.get(r.config_id ?? r.run_id) ?? []);
  const out: Column[] = [
    column(
      "replicates_ok",
      "i32",
      Int32Array.from(groupOf, (g) => g.length),
    ),
  ];
  for (const m of metrics) {
    if (m.type !== "f64" || TIMING_COLUMNS.includes(m.name)) continue;
    const values = m.data as Float64Array;
    const stats = new Map<readonly number[], ReplicateStats>();
    const of = (g: readonly number[]): ReplicateStats => {
      let s = stats.get(g);
      if (!s) stats.set(g, (s = replicateStats(g.map((i) => values[i]))));
      return s;
    };
    const col = (suffix: string, pick: (s: ReplicateStats) => number) =>
      column(
        `${m.name}_rep_${suffix}`,
        "f64",
        Float64Array.from(groupOf, (g) => pick(of(g))),
        true,
      );
    out.push(
      col("mean", (s) => s.mean),
      col("std", (s) => s.std),
      col("ci95_low", (s) => s.ci95Low),
      col("ci95_high", (s) => s.ci95High),
    );
  }
  return out;
}

/** Quantiles of the pooled columns (`<metric>_pooled_p50` …). */
const POOLED_QUANTILES: readonly [string, number][] = [
  ["p50", 0.5],
  ["p90", 0.9],
  ["p99", 0.99],
];

/**
 * Per configuration, for every latency metric its runs sketched (past --metrics_config_exact_quantile_samples):
 * `<metric>_pooled_p50 / _p90 / _p99`, quantiles of all the samples of its successful replicates, from their
 * merged DDSketches (bucket counts add, so the merge is the sketch of the pooled samples, whichever shard or
 * worker ran each replicate: the sample at rank floor(q·(n−1)) of the pooled samples within the sketch's
 * relative accuracy, 0.5 %). Null for a configuration where a replicate kept that metric exact. Repeated on each
 * replicate's row like the _rep_ aggregates.
 */
function pooledColumns(rows: readonly RunRecord[]): Column[] {
  const names: string[] = [];
  for (const r of rows) for (const m of Object.keys(r.sketches ?? {})) if (!names.includes(m)) names.push(m);
  if (names.length === 0) return [];
  const groups = new Map<string, RunRecord[]>();
  for (const r of rows) {
    if (r.status !== "ok") continue;
    const id = r.config_id ?? r.run_id;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  const out: Column[] = [];
  for (const m of names) {
    const pooled = new Map<string, DDSketch | null>();
    for (const [id, g] of groups) {
      if (!g.every((r) => r.sketches?.[m])) {
        pooled.set(id, null);
        continue;
      }
      const merged = DDSketch.fromJSON(g[0].sketches![m]);
      for (const r of g.slice(1)) merged.merge(DDSketch.fromJSON(r.sketches![m]));
      pooled.set(id, merged);
    }
    for (const [suffix, q] of POOLED_QUANTILES) {
      const data = Float64Array.from(rows, (r) => pooled.get(r.config_id ?? r.run_id)?.quantile(q) ?? Number.NaN);
      out.push(column(`${m}_pooled_${suffix}`, "f64", data, true));
    }
  }
  return out;
}

/** Writes summary.arrow and summary.parquet into `dir` (each atomically). */
export async function writeSummary(dir: string, table: ResultTable): Promise<string[]> {
  return writeTableFormats(table, dir, "summary", ["arrow", "parquet"]);
}
