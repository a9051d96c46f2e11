/**
 * `tokenwatt sweep`: runs every configuration of a spec (or one shard of them) on a piscina pool, persists
 * each finished run atomically, and writes summary.arrow / summary.parquet. Resumable: --resume skips runs
 * whose record exists; a worker that dies is replaced by the pool, its run retried once and then recorded as
 * failed. Results do not depend on the number of workers (each run is a pure function of its options).
 *
 * @example
 * const r = await runSweep({ spec: readSweepSpec("sweep.yaml"), outputDir: "out", workers: 2 });
 * r.ran; r.failed; r.summaryPaths;
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import type { Piscina } from "piscina";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import type { RunOutcome, RunTask } from "./execute.js";
import { expandPlan, planHash, runnableOptions, shardRuns, type PlannedRun, type SweepPlan } from "./plan.js";
import { createPool } from "./pool.js";
import { replicateFields } from "./replicates.js";
import { progressBar } from "./progress-bar.js";
import type { SweepSpec } from "./spec.js";
import {
  MANIFEST_FORMAT,
  prepareDir,
  readManifest,
  readRecords,
  writeManifest,
  writeRecord,
  type RunRecord,
  type SweepManifest,
} from "./store.js";
import { summaryTable, writeSummary } from "./summary-table.js";
import { optionChanges } from "./task-options.js";
import { outputFailure } from "../output/fs-errors.js";
import { OUTPUT_MANIFEST, openIncrementalOutput, writeOutputManifest } from "../output/transaction.js";
import { writerFor } from "../output/writers.js";

export interface SweepOptions {
  spec: SweepSpec;
  outputDir: string;
  workers: number;
  resume?: boolean;
  /** With --resume: run failed runs again too. */
  retryFailed?: boolean;
  shard?: { index: number; count: number };
  keepRuns?: boolean;
  /** Show a progress bar (default: when stderr is a terminal). */
  progress?: boolean;
  /** An existing pool to run on (kept open afterwards); default: a new pool of `workers` threads. */
  pool?: Piscina;
  /** Called after each run is persisted (tests, benchmark). */
  onRun?: (record: RunRecord, outcome: RunOutcome | null) => void;
}

export interface SweepReport {
  plan: SweepPlan;
  /** Runs in this shard. */
  planned: number;
  skipped: number;
  ran: number;
  failed: number;
  retried: number;
  wallMs: number;
  summaryPaths: string[];
}

export function manifestFor(plan: SweepPlan, shard: SweepOptions["shard"]): SweepManifest {
  const { source, baseDir, base, axes, exclude, replicates } = plan.spec;
  return {
    format: MANIFEST_FORMAT,
    plan_hash: planHash(plan.runs),
    total_runs: plan.runs.length,
    shard: shard ?? null,
    parameters: plan.parameters,
    spec: { source, baseDir, base, axes, exclude, ...(replicates !== undefined && replicates > 1 ? { replicates } : {}) },
  };
}

/** JSON-safe metrics: NaN/±Infinity → null. */
function toRecordMetrics(o: RunOutcome): RunRecord["metrics"] {
  const m: RunRecord["metrics"] = {};
  o.names.forEach((n, i) => (m[n] = Number.isFinite(o.values[i]) ? o.values[i] : null));
  Object.assign(m, o.booleans, o.strings);
  return m;
}

export function recordFor(run: PlannedRun, o: RunOutcome | null, attempts: number, crash?: string): RunRecord {
  return {
    run_id: run.id,
    run_index: run.index,
    status: o?.ok ? "ok" : "failed",
    error: o ? o.error : (crash ?? "worker died"),
    attempts,
    wall_time_s: o ? o.wallMs / 1000 : Number.NaN,
    params: run.params,
    ...replicateFields(run),
    metrics: o?.ok ? toRecordMetrics(o) : {},
    ...(o?.ok && o.sketches ? { sketches: o.sketches } : {}),
  };
}

export async function runSweep(opts: SweepOptions): Promise<SweepReport> {
  const t0 = performance.now();
  const plan = expandPlan(opts.spec);
  const mine = opts.shard ? shardRuns(plan.runs, opts.shard.index, opts.shard.count) : plan.runs;
  const manifest = manifestFor(plan, opts.shard);
  // The directory is locked for the whole sweep (a second sweep into it is refused, naming this one; a killed
  // sweep's lock is taken over). Each record is its own atomic write, so a kill loses at most runs in flight;
  // the summary tables and manifest.json are written last (docs/sweeps.md, "Reliability").
  const out = await openIncrementalOutput(opts.outputDir, "sweep");
  let wrote = false;
  try {
    const report = await sweepLocked(opts, out.dir, plan, mine, manifest, t0, () => (wrote = true));
    writeOutputManifest(out.dir, "sweep", manifest.plan_hash);
    return report;
  } catch (e) {
    throw outputFailure(e, out.dir, { state: "finished runs are kept; --resume continues", writtenBytes: 0 });
  } finally {
    out.release(!wrote && out.created);
  }
}

async function sweepLocked(
  opts: SweepOptions,
  dir: string,
  plan: SweepPlan,
  mine: PlannedRun[],
  manifest: SweepManifest,
  t0: number,
  onWrite: () => void,
): Promise<SweepReport> {
  const prior = readManifest(dir);
  const existing = readRecords(dir);
  if (prior) {
    if (prior.plan_hash !== manifest.plan_hash) {
      throw new InputError(
        `--output-dir ${dir} holds a different sweep (plan ${prior.plan_hash}, this spec ${manifest.plan_hash}); choose another directory`,
      );
    }
    if (JSON.stringify(prior.shard) !== JSON.stringify(manifest.shard)) {
      const s = (x: SweepManifest["shard"]) => (x ? `${x.index}/${x.count}` : "unsharded");
      throw new InputError(`--output-dir ${dir} holds shard ${s(prior.shard)} of this sweep, not ${s(manifest.shard)}`);
    }
    if (existing.length > 0 && !opts.resume) {
      throw new InputError(
        `--output-dir ${dir} already holds ${existing.length} finished runs of this sweep; pass --resume to continue, or choose another directory`,
      );
    }
  } else if (existsSync(dir) && readdirSync(dir).some((f) => !f.startsWith("."))) {
    if (existing.length > 0 || existsSync(join(dir, "summary.parquet"))) {
      throw new InputError(`--output-dir ${dir} holds sweep results without a sweep.json; choose another directory`);
    }
    const foreign = readdirSync(dir).find((f) => !f.startsWith(".") && f !== "records" && f !== "runs");
    if (foreign)
      throw new InputError(`--output-dir ${dir} holds files tokenwatt did not write (e.g. ${foreign}); choose a new or empty directory`);
  }
  onWrite();
  rmSync(join(dir, OUTPUT_MANIFEST), { force: true }); // a manifest marks a finished sweep; this one is not yet
  await prepareDir(dir);
  await writeManifest(dir, manifest);

  const mineIds = new Set(mine.map((r) => r.id));
  const records = new Map<string, RunRecord>();
  for (const r of existing) {
    if (!mineIds.has(r.run_id)) continue; // e.g. a record of a run this spec no longer has: ignored
    if (r.status === "failed" && opts.retryFailed) continue;
    records.set(r.run_id, r);
  }
  const pending = mine.filter((r) => !records.has(r.id));
  const skipped = mine.length - pending.length;

  const bar = opts.progress === false ? progressBar("sweep", 0) : progressBar("sweep", mine.length);
  let failed = [...records.values()].filter((r) => r.status === "failed").length;
  let retried = 0;
  let ran = 0;
  bar.update(records.size, failed);

  if (pending.length > 0) {
    const workers = Math.max(1, Math.min(opts.pool?.maxThreads ?? opts.workers, pending.length));
    const pool = opts.pool ?? createPool(workers);
    // the summary writers' libraries load while the runs go (they are needed only at the end)
    void writerFor("arrow")
      .load?.()
      .catch(() => undefined);
    try {
      let next = 0;
      const taskFor = (run: PlannedRun): RunTask => ({
        kind: "run",
        index: run.index,
        id: run.id,
        options: optionChanges(runnableOptions(run.options, opts.spec.baseDir)),
        baseDir: opts.spec.baseDir,
        keepDir: opts.keepRuns ? join(dir, "runs", run.id) : null,
        outputDir: dir,
      });
      const one = async (run: PlannedRun): Promise<void> => {
        let outcome: RunOutcome | null = null;
        let attempts = 0;
        let crash = "";
        while (attempts < 2 && outcome === null) {
          attempts++;
          try {
            outcome = (await pool.run(taskFor(run))) as RunOutcome;
          } catch (e) {
            crash = `worker died${attempts > 1 ? " twice" : ""}: ${e instanceof Error ? e.message : String(e)}`;
            if (attempts < 2) retried++;
          }
        }
        if (outcome?.fatal) throw new InputError(outcome.fatal); // no record: --resume runs it again
        const record = recordFor(run, outcome, attempts, crash);
        await writeRecord(dir, record); // persisted before it is counted done
        records.set(run.id, record);
        ran++;
        if (record.status === "failed") failed++;
        opts.onRun?.(record, outcome);
        bar.update(records.size, failed);
      };
      // a bounded number of runs in flight keeps memory flat however long the sweep is
      const lane = async (): Promise<void> => {
        while (next < pending.length) await one(pending[next++]);
      };
      await Promise.all(Array.from({ length: workers * 2 }, lane));
    } finally {
      bar.done();
      if (!opts.pool) await pool.destroy();
    }
  }

  const table = summaryTable([...records.values()], plan.parameters);
  const summaryPaths = await writeSummary(dir, table);
  return { plan, planned: mine.length, skipped, ran, failed, retried, wallMs: performance.now() - t0, summaryPaths };
}
