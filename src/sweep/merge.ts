/**
 * `tokenwatt sweep merge DIR… --output-dir OUT`: combines shard outputs of one sweep into a complete sweep
 * directory (records, sweep.json, summary tables), identical to an unsharded run of the same spec.
 * Detects: directories of different sweeps, runs present in several directories (identical → kept once;
 * different results → error), and runs missing from every directory (error unless allowPartial, which
 * writes them as rows with status "missing").
 */
import { cpSync, existsSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { finishOutput, openOutput } from "../output/transaction.js";
import { InputError } from "../core/errors.js";
import { expandPlan } from "./plan.js";
import { MANIFEST_FORMAT, prepareDir, readManifest, readRecords, writeManifest, writeRecord, type RunRecord } from "./store.js";
import { summaryTable, TIMING_COLUMNS, writeSummary, type SummaryStatus } from "./summary-table.js";
import { replicateFields } from "./replicates.js";

export interface MergeReport {
  inputs: number;
  runs: number;
  duplicates: number;
  missing: string[];
  summaryPaths: string[];
}

function sameResult(a: RunRecord, b: RunRecord): boolean {
  const strip = (r: RunRecord) => {
    const m = { ...r.metrics };
    for (const k of TIMING_COLUMNS) delete m[k];
    return JSON.stringify([r.status, r.error, m]);
  };
  return strip(a) === strip(b);
}

export async function mergeSweeps(dirs: string[], outputDir: string, allowPartial = false): Promise<MergeReport> {
  if (dirs.length === 0) throw new InputError("sweep merge: name at least one sweep directory");
  const out = resolve(outputDir);
  const manifests = dirs.map((d) => {
    const m = readManifest(resolve(d));
    if (!m) throw new InputError(`sweep merge: ${d} has no sweep.json (not a tokenwatt sweep directory)`);
    return m;
  });
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (m.plan_hash !== first.plan_hash) {
      throw new InputError(`sweep merge: ${dirs[i]} is a different sweep (plan ${m.plan_hash}) from ${dirs[0]} (plan ${first.plan_hash})`);
    }
  });
  if (dirs.some((d) => resolve(d) === out)) throw new InputError("sweep merge: --output-dir must differ from the input directories");
  const plan = expandPlan({ ...first.spec });
  const byId = new Map<string, { record: RunRecord; dir: string }>();
  let duplicates = 0;
  for (const d of dirs) {
    for (const r of readRecords(resolve(d))) {
      const prior = byId.get(r.run_id);
      if (prior) {
        if (!sameResult(prior.record, r)) {
          throw new InputError(`sweep merge: run ${r.run_id} (index ${r.run_index}) has different results in ${prior.dir} and ${d}`);
        }
        duplicates++;
        continue;
      }
      byId.set(r.run_id, { record: r, dir: d });
    }
  }
  const planIds = new Set(plan.runs.map((r) => r.id));
  for (const id of byId.keys()) {
    if (!planIds.has(id)) throw new InputError(`sweep merge: run ${id} in ${byId.get(id)!.dir} is not part of the sweep's plan`);
  }
  const missingRuns = plan.runs.filter((r) => !byId.has(r.id));
  if (missingRuns.length > 0 && !allowPartial) {
    throw new InputError(
      `sweep merge: ${missingRuns.length} of ${plan.runs.length} runs are missing (first: ${missingRuns[0].id}, index ${missingRuns[0].index}, ` +
        `shard ${missingRuns[0].index % (first.shard?.count ?? 1)}/${first.shard?.count ?? 1}); run or resume that shard, or pass --allow-partial`,
    );
  }
  if (existsSync(join(out, "sweep.json")))
    throw new InputError(`sweep merge: --output-dir ${out} already holds a sweep; choose a new directory`);
  // the merged directory is one transaction: written beside --output-dir, swapped in whole (transaction.ts)
  const tx = await openOutput(out, { command: "sweep merge" });
  let summaryPaths: string[] = [];
  await finishOutput(
    tx,
    async () => {
      const at = tx.dir;
      await prepareDir(at);
      await writeManifest(at, {
        format: MANIFEST_FORMAT,
        plan_hash: first.plan_hash,
        total_runs: plan.runs.length,
        shard: null,
        parameters: plan.parameters,
        spec: first.spec,
      });
      const records: RunRecord[] = [];
      for (const { record, dir } of byId.values()) {
        await writeRecord(at, record);
        const kept = join(resolve(dir), "runs", record.run_id);
        if (existsSync(kept))
          cpSync(kept, join(at, "runs", record.run_id), { recursive: true, filter: (src) => !basename(src).startsWith(".") });
        records.push(record);
      }
      const status = new Map<string, SummaryStatus>();
      for (const r of missingRuns) {
        records.push({
          run_id: r.id,
          run_index: r.index,
          status: "failed",
          error: "missing from every merged directory",
          attempts: 0,
          wall_time_s: Number.NaN,
          params: r.params,
          ...replicateFields(r),
          metrics: {},
        });
        status.set(r.id, "missing");
      }
      summaryPaths = (await writeSummary(at, summaryTable(records, plan.parameters, status))).map((p) => join(out, relative(at, p)));
    },
    first.plan_hash,
  );
  return { inputs: dirs.length, runs: byId.size, duplicates, missing: missingRuns.map((r) => r.id), summaryPaths };
}
