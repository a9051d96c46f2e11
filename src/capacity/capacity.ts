/**
 * `tokenwatt capacity`: for every configuration of a sweep spec, the maximum QPS meeting an SLO (Vidur's
 * binary search, default P99 scheduling delay ≤ 5 s), searched in parallel across configurations on the
 * sweep worker pool. Writes capacity.arrow / capacity.parquet / capacity.json with capacity per GPU, per
 * dollar and per kWh, and marks the Pareto frontier of energy per token vs latency.
 *
 * Cost and energy come from the simulate summary when it has them (flattened fields matching `cost_…usd…`,
 * `energy_…kwh…`, `energy_…per_token…`); per-dollar figures can also come from --gpu-hour-price.
 *
 * @example
 * const r = await runCapacity({ spec, outputDir: "cap", workers: 2, slo: { metric: "scheduling_delay", quantile: 0.99, value: 5 } });
 * r.rows[0].max_qps;
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Piscina } from "piscina";
import { InputError } from "../core/errors.js";
import { ensureDir, writeFileAtomic } from "../output/atomic.js";
import { outputFailure } from "../output/fs-errors.js";
import { OUTPUT_MANIFEST, openIncrementalOutput, writeOutputManifest } from "../output/transaction.js";
import { writeJson } from "../output/json.js";
import { column, type Column, type ResultTable } from "../tables/table.js";
import { writeTableFormats } from "../output/writers.js";
import { expandPlan, planHash, runnableOptions, type PlannedRun, type SweepPlan } from "../sweep/plan.js";
import { createPool } from "../sweep/pool.js";
import { progressBar } from "../sweep/progress-bar.js";
import { boolColumn, int64Column, paramColumn, runColumns } from "../sweep/run-columns.js";
import type { SweepSpec } from "../sweep/spec.js";
import type { CapacityOutcome, CapacityTask } from "./execute.js";
import { qpsOption, type SearchStep, type SloMetric } from "./search.js";

export interface CapacityOptions {
  spec: SweepSpec;
  outputDir: string;
  workers: number;
  slo: { metric: SloMetric; quantile: number; value: number };
  /** Default: each configuration's own qps option value. */
  startQps?: number;
  maxIterations?: number;
  granularityPct?: number;
  /** USD per GPU-hour for the per-dollar column when the summary has no cost fields. */
  gpuHourPrice?: number;
  progress?: boolean;
  /** An existing pool to run on (kept open afterwards). */
  pool?: Piscina;
  /** Continue an interrupted search in outputDir: configurations with a finished search are not searched again. */
  resume?: boolean;
}

export interface CapacityRow {
  run_id: string;
  run_index: number;
  status: "ok" | "failed";
  error: string | null;
  params: Record<string, unknown>;
  max_qps: number | null;
  num_gpus: number | null;
  qps_per_gpu: number | null;
  /** Requests served per dollar at capacity. */
  requests_per_usd: number | null;
  /** Requests served per kWh at capacity. */
  requests_per_kwh: number | null;
  energy_per_token: number | null;
  /** SLO metric at capacity (seconds). */
  slo_metric_at_capacity: number | null;
  e2e_latency_s_p99: number | null;
  pareto: boolean;
  search_steps: number;
  steps: SearchStep[];
  wall_time_s: number;
}

export interface CapacityReport {
  rows: CapacityRow[];
  paths: string[];
  energySource: string | null;
  costSource: string | null;
  wallMs: number;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const findKey = (m: Record<string, unknown>, re: RegExp): string | null =>
  Object.keys(m).find((k) => re.test(k) && num(m[k]) !== null) ?? null;

/** Pareto frontier (minimise both): indices of points no other point dominates. */
export function paretoFrontier(points: ReadonlyArray<{ x: number; y: number } | null>): Set<number> {
  const out = new Set<number>();
  points.forEach((p, i) => {
    if (!p) return;
    const dominated = points.some((q, j) => q && j !== i && q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y));
    if (!dominated) out.add(i);
  });
  return out;
}

function rowFor(
  run: PlannedRun,
  o: CapacityOutcome | null,
  opts: CapacityOptions,
  crash: string,
  sources: { energy: string | null; energyPerToken: string | null; cost: string | null },
): CapacityRow {
  const b = o?.best ?? {};
  const maxQps = o?.search?.maxQps ?? null;
  const gpus = num(b.num_gpus);
  const completed = num(b.num_completed_requests);
  const makespan = num(b.simulated_makespan_s);
  const energyKwh = sources.energy ? num(b[sources.energy]) : null;
  let usd = sources.cost ? num(b[sources.cost]) : null;
  if (usd === null && opts.gpuHourPrice !== undefined && gpus !== null && makespan !== null)
    usd = (gpus * opts.gpuHourPrice * makespan) / 3600;
  const steps = o?.search?.steps ?? [];
  const atCap = steps.find((s) => s.qps === maxQps && s.underSlo);
  return {
    run_id: run.id,
    run_index: run.index,
    status: o?.ok ? "ok" : "failed",
    error: o ? o.error : crash,
    params: run.params,
    max_qps: maxQps,
    num_gpus: gpus,
    qps_per_gpu: maxQps !== null && gpus ? maxQps / gpus : null,
    requests_per_usd: completed !== null && usd ? completed / usd : null,
    requests_per_kwh: completed !== null && energyKwh ? completed / energyKwh : null,
    energy_per_token: sources.energyPerToken ? num(b[sources.energyPerToken]) : null,
    slo_metric_at_capacity: atCap?.value ?? null,
    e2e_latency_s_p99: num(b.e2e_latency_s_p99),
    pareto: false,
    search_steps: steps.length,
    steps,
    wall_time_s: o ? o.wallMs / 1000 : Number.NaN,
  };
}

export function capacityTable(rows: CapacityRow[], parameters: string[]): ResultTable {
  const f = (name: string, get: (r: CapacityRow) => number | null): Column =>
    column(
      name,
      "f64",
      Float64Array.from(rows, (r) => get(r) ?? Number.NaN),
      true,
    );
  return {
    name: "capacity",
    columns: [
      ...runColumns(rows, (r) => r.status),
      ...parameters.map((p) =>
        paramColumn(
          p,
          rows.map((r) => r.params[p]),
          { nullableFloats: false },
        ),
      ),
      f("max_qps", (r) => r.max_qps),
      rows.every((r) => r.num_gpus !== null && Number.isSafeInteger(r.num_gpus))
        ? int64Column(
            "num_gpus",
            rows.map((r) => r.num_gpus),
          )
        : f("num_gpus", (r) => r.num_gpus), // a failed configuration has no count: nullable float64

      f("qps_per_gpu", (r) => r.qps_per_gpu),
      f("requests_per_usd", (r) => r.requests_per_usd),
      f("requests_per_kwh", (r) => r.requests_per_kwh),
      f("energy_per_token", (r) => r.energy_per_token),
      f("slo_metric_at_capacity_s", (r) => r.slo_metric_at_capacity),
      f("e2e_latency_s_p99", (r) => r.e2e_latency_s_p99),
      boolColumn(
        "pareto",
        rows.map((r) => r.pareto),
      ),
      int64Column(
        "search_steps",
        rows.map((r) => r.search_steps),
      ),
      f("wall_time_s", (r) => r.wall_time_s),
    ],
  };
}

export async function runCapacity(opts: CapacityOptions): Promise<CapacityReport> {
  const t0 = performance.now();
  if ((opts.spec.replicates ?? 1) > 1)
    throw new InputError(`${opts.spec.source}: replicates are for tokenwatt sweep; capacity searches each configuration once`);
  const plan = expandPlan(opts.spec);
  const qpsKeys = new Set(plan.runs.map((r) => qpsOption(r.options)));
  for (const k of qpsKeys) {
    if (plan.parameters.includes(k))
      throw new InputError(`${opts.spec.source}: ${k} is what capacity search varies; remove it from grid/zip`);
  }
  // Locked for the whole search; each configuration's finished search is persisted at once (records/<id>.json),
  // so a crash, kill or full disk loses at most the searches in flight and --resume continues.
  const out = await openIncrementalOutput(opts.outputDir, "capacity");
  let wrote = false;
  try {
    const report = await capacityLocked(opts, out.dir, plan, t0, () => (wrote = true));
    writeOutputManifest(out.dir, "capacity", planHash(plan.runs));
    return report;
  } catch (e) {
    throw outputFailure(e, out.dir, {
      state: wrote ? "finished searches are kept in records/; --resume continues" : "nothing was written",
    });
  } finally {
    out.release(!wrote && out.created);
  }
}

const CAPACITY_FORMAT = "tokenwatt-capacity/1";

interface CapacityRecord {
  run_id: string;
  outcome: CapacityOutcome | null;
  crash: string;
}

async function capacityLocked(
  opts: CapacityOptions,
  dir: string,
  plan: SweepPlan,
  t0: number,
  onWrite: () => void,
): Promise<CapacityReport> {
  const search = {
    slo: opts.slo,
    start_qps: opts.startQps ?? null,
    max_iterations: opts.maxIterations ?? 20,
    granularity_pct: opts.granularityPct ?? 2.5,
  };
  const identity = { format: CAPACITY_FORMAT, plan_hash: planHash(plan.runs), search };
  const planPath = join(dir, "capacity-plan.json");
  const recDir = join(dir, "records");
  const prior = existsSync(planPath) ? (JSON.parse(readFileSync(planPath, "utf8")) as typeof identity) : undefined;
  const done = new Map<string, CapacityRecord>();
  if (existsSync(recDir)) {
    for (const name of readdirSync(recDir)) {
      if (!name.endsWith(".json") || name.startsWith(".")) continue;
      try {
        const r = JSON.parse(readFileSync(join(recDir, name), "utf8")) as CapacityRecord;
        done.set(r.run_id, r);
      } catch (e) {
        throw new InputError(
          `${join(recDir, name)}: corrupt capacity record (${(e as Error).message.slice(0, 120)}); delete it to search that configuration again`,
        );
      }
    }
  }
  if (prior) {
    if (JSON.stringify(prior) !== JSON.stringify(identity)) {
      throw new InputError(
        `--output-dir ${dir} holds a capacity search of a different spec or SLO (${planPath}); choose another directory`,
      );
    }
    if (done.size > 0 && !opts.resume) {
      throw new InputError(
        `--output-dir ${dir} already holds ${done.size} finished searches of this capacity run; pass --resume to continue, or choose another directory`,
      );
    }
  } else {
    const foreign = existsSync(dir) ? readdirSync(dir).find((f) => !f.startsWith(".")) : undefined;
    if (foreign)
      throw new InputError(`--output-dir ${dir} holds files of something else (e.g. ${foreign}); choose a new or empty directory`);
  }
  if (!opts.resume) done.clear();
  onWrite();
  rmSync(join(dir, OUTPUT_MANIFEST), { force: true });
  await writeFileAtomic(planPath, `${JSON.stringify(identity, null, 2)}\n`);
  await ensureDir(recDir);
  const outcomes = new Map<string, { o: CapacityOutcome | null; crash: string }>();
  for (const r of done.values()) outcomes.set(r.run_id, { o: r.outcome, crash: r.crash });
  const pending = plan.runs.filter((r) => !outcomes.has(r.id));
  const bar = progressBar("capacity", opts.progress === false ? 0 : plan.runs.length);
  const workers = Math.max(1, Math.min(opts.workers, Math.max(1, pending.length)));
  const pool = pending.length > 0 ? (opts.pool ?? createPool(workers)) : undefined;
  let finished = outcomes.size;
  let failed = [...outcomes.values()].filter((x) => !x.o?.ok).length;
  bar.update(finished, failed);
  try {
    await Promise.all(
      pending.map(async (run) => {
        const options = runnableOptions(run.options, opts.spec.baseDir);
        const task: CapacityTask = {
          kind: "capacity",
          index: run.index,
          id: run.id,
          options,
          baseDir: opts.spec.baseDir,
          metric: opts.slo.metric,
          quantile: opts.slo.quantile,
          slo: opts.slo.value,
          startQps: opts.startQps ?? ((options as Record<string, unknown>)[qpsOption(options)] as number),
          maxIterations: opts.maxIterations ?? 20,
          granularityPct: opts.granularityPct ?? 2.5,
        };
        let o: CapacityOutcome | null = null;
        let crash = "";
        for (let attempt = 1; attempt <= 2 && o === null; attempt++) {
          try {
            o = (await pool!.run(task)) as CapacityOutcome;
          } catch (e) {
            crash = `worker died: ${e instanceof Error ? e.message : String(e)}`;
          }
        }
        const record: CapacityRecord = { run_id: run.id, outcome: o, crash };
        await writeFileAtomic(join(recDir, `${run.id}.json`), JSON.stringify(record)); // persisted before counted
        outcomes.set(run.id, { o, crash });
        finished++;
        if (!o?.ok) failed++;
        bar.update(finished, failed);
      }),
    );
  } finally {
    bar.done();
    if (pool && !opts.pool) await pool.destroy();
  }
  const bests = [...outcomes.values()].map((x) => x.o?.best ?? {});
  const pick = (re: RegExp): string | null => bests.map((b) => findKey(b, re)).find((k) => k !== null) ?? null;
  // exact summary fields first (GPU energy, J per output token, GPU-hour cost as in Vidur's analyzer), then any lookalike
  const sources = {
    energy: pick(/^energy_gpu_energy_kwh$/) ?? pick(/^energy_.*kwh/),
    energyPerToken: pick(/^energy_j_per_output_token$/) ?? pick(/^energy_.*per_.*token/),
    cost: pick(/^cost_gpu_usd$/) ?? pick(/^cost_.*usd/),
  };
  const rows = plan.runs.map((run) => rowFor(run, outcomes.get(run.id)!.o, opts, outcomes.get(run.id)!.crash, sources));
  const latency = rows.map((r) =>
    r.energy_per_token !== null && r.e2e_latency_s_p99 !== null ? { x: r.energy_per_token, y: r.e2e_latency_s_p99 } : null,
  );
  for (const i of paretoFrontier(latency)) rows[i].pareto = true;
  const table = capacityTable(rows, plan.parameters);
  const paths = await writeTableFormats(table, dir, "capacity", ["arrow", "parquet"]);
  const jsonPath = join(dir, "capacity.json");
  await writeJson(
    {
      slo: opts.slo,
      max_iterations: opts.maxIterations ?? 20,
      granularity_pct: opts.granularityPct ?? 2.5,
      energy_source: sources.energy,
      energy_per_token_source: sources.energyPerToken,
      cost_source: sources.cost ?? (opts.gpuHourPrice !== undefined ? `--gpu-hour-price ${opts.gpuHourPrice}` : null),
      configurations: rows,
    },
    jsonPath,
  );
  paths.push(jsonPath);
  return { rows, paths, energySource: sources.energy, costSource: sources.cost, wallMs: performance.now() - t0 };
}
