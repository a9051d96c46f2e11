/**
 * A sweep directory on disk:
 *   sweep.json          manifest: plan hash, shard, the normalized spec (so merge can recompute the plan)
 *   records/<id>.json   one finished run (written atomically before the run is counted done)
 *   summary.arrow/.parquet, runs/<id>/ (with --keep-runs)
 * A crash or kill leaves only whole record files behind, so --resume knows exactly what is finished.
 */
import type { DDSketchJSON } from "../core/ddsketch.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { ensureDir, writeFileAtomic } from "../output/atomic.js";
import type { SweepSpec } from "./spec.js";

export const MANIFEST_FORMAT = "tokenwatt-sweep/1";

export interface SweepManifest {
  format: string;
  plan_hash: string;
  total_runs: number;
  shard: { index: number; count: number } | null;
  parameters: string[];
  spec: Pick<SweepSpec, "source" | "baseDir" | "base" | "axes" | "exclude" | "replicates">;
}

export interface RunRecord {
  run_id: string;
  run_index: number;
  status: "ok" | "failed";
  error: string | null;
  attempts: number;
  wall_time_s: number;
  params: Record<string, unknown>;
  /** With replicates: which replicate, the workload seed it used, and its configuration's id. */
  replicate?: number;
  replicate_seed?: number;
  config_id?: string;
  /** Flattened summary metrics; NaN/±Infinity stored as null. */
  metrics: Record<string, number | boolean | string | null>;
  /**
   * Sketches of the latency metrics that went past --metrics_config_exact_quantile_samples (summary.json names);
   * absent when every metric was exact. Replicates merge them into pooled quantiles (summary-table.ts).
   */
  sketches?: Record<string, DDSketchJSON>;
}

export const manifestPath = (dir: string): string => join(dir, "sweep.json");
export const recordsDir = (dir: string): string => join(dir, "records");

export function readManifest(dir: string): SweepManifest | undefined {
  const p = manifestPath(dir);
  if (!existsSync(p)) return undefined;
  let m: SweepManifest;
  try {
    m = JSON.parse(readFileSync(p, "utf8")) as SweepManifest;
  } catch (e) {
    throw new InputError(`${p}: not a readable sweep manifest (${(e as Error).message})`);
  }
  if (m.format !== MANIFEST_FORMAT) throw new InputError(`${p}: format ${JSON.stringify(m.format)} is not ${MANIFEST_FORMAT}`);
  return m;
}

export async function writeManifest(dir: string, m: SweepManifest): Promise<void> {
  await writeFileAtomic(manifestPath(dir), `${JSON.stringify(m, null, 2)}\n`);
}

/** Every complete record in DIR/records (temp files of an interrupted write are ignored). */
export function readRecords(dir: string): RunRecord[] {
  const rd = recordsDir(dir);
  if (!existsSync(rd)) return [];
  const out: RunRecord[] = [];
  for (const name of readdirSync(rd)) {
    if (!name.endsWith(".json") || name.startsWith(".")) continue;
    const path = join(rd, name);
    try {
      out.push(JSON.parse(readFileSync(path, "utf8")) as RunRecord);
    } catch (e) {
      throw new InputError(`${path}: corrupt run record (${(e as Error).message}); delete it to rerun that run`);
    }
  }
  return out.sort((a, b) => a.run_index - b.run_index);
}

export async function writeRecord(dir: string, r: RunRecord): Promise<void> {
  await writeFileAtomic(join(recordsDir(dir), `${r.run_id}.json`), JSON.stringify(r));
}

export async function prepareDir(dir: string): Promise<void> {
  await ensureDir(recordsDir(dir));
}
