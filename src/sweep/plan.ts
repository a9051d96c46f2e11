/**
 * Expands a sweep spec into runs: Cartesian product of the axes (first axis varies slowest, like
 * itertools.product), minus excluded points. Each run is identified by a stable hash of its resolved
 * configuration (the options that differ from their defaults, output-only options left out), so the same
 * configuration has the same id in every sweep, shard and machine.
 *
 * @example
 * const plan = expandPlan(readSweepSpec("sweep.yaml"));
 * plan.runs[0].id;          // "3f2a9c01d4e5b6a7"
 * shardRuns(plan.runs, 0, 3); // every third run, starting with the first
 */
import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { findOption, optionDefaults, type Options } from "../config/options.js";
import { resolveOptions, type OptionValues } from "../config/parse.js";
import { InputError } from "../core/errors.js";
import { replicateOptions, workloadSeed } from "./replicates.js";
import { OUTPUT_ONLY_OPTIONS, type SweepSpec } from "./spec.js";

export interface PlannedRun {
  /** Position in the whole (unsharded) plan, 0-based. */
  index: number;
  /** Stable hash of the resolved configuration (16 hex digits). */
  id: string;
  /** Values of the swept options for this run (canonical names). */
  params: Record<string, unknown>;
  /** Every option, resolved (defaults < base < swept values); paths as written in the spec. */
  options: Options;
  /** With replicates (spec.replicates > 1): which replicate, its workload seed, and its configuration's id. */
  replicate?: { index: number; seed: number; configId: string };
}

export interface SweepPlan {
  spec: SweepSpec;
  /** Swept option names in axis order: the parameter columns of the summary. */
  parameters: string[];
  runs: PlannedRun[];
  /** Points of the product removed by exclude rules. */
  excluded: number;
}

/** The options that define a run: those that differ from their defaults, without output-only options, sorted. */
export function identityOptions(options: OptionValues): Record<string, unknown> {
  const defaults = optionDefaults();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options).sort()) {
    if (OUTPUT_ONLY_OPTIONS.has(key)) continue;
    const v = options[key];
    if (v === undefined) continue;
    if (JSON.stringify(v) === JSON.stringify((defaults as Record<string, unknown>)[key] ?? null)) continue;
    out[key] = v;
  }
  return out;
}

/** The run id: first 16 hex digits of SHA-256 over the canonical JSON of `identityOptions`. */
export function runId(options: OptionValues): string {
  return createHash("sha256")
    .update(JSON.stringify(identityOptions(options)))
    .digest("hex")
    .slice(0, 16);
}

/** Hash of a whole plan (its run ids in order): sweeps, shards and resumes must agree on it. */
export function planHash(runs: readonly PlannedRun[]): string {
  const h = createHash("sha256");
  for (const r of runs) h.update(`${r.id}\n`);
  return h.digest("hex").slice(0, 16);
}

function excluded(options: OptionValues, rules: SweepSpec["exclude"]): boolean {
  return rules.some((rule) =>
    Object.entries(rule).every(([k, vals]) => vals.some((v) => JSON.stringify(v) === JSON.stringify(options[k]))),
  );
}

export function expandPlan(spec: SweepSpec): SweepPlan {
  const parameters = spec.axes.flatMap((a) => a.options);
  const sizes = spec.axes.map((a) => a.values.length);
  const total = sizes.reduce((p, n) => p * n, 1);
  const replicates = spec.replicates ?? 1;
  if (total * replicates > 10_000_000) {
    throw new InputError(
      `${spec.source}: the grid has ${total * replicates} runs${replicates > 1 ? ` (${total} points × ${replicates} replicates)` : ""}; split it into several specs (limit 10,000,000)`,
    );
  }
  const runs: PlannedRun[] = [];
  const byId = new Map<string, number>();
  let excludedCount = 0;
  const pos = new Array<number>(sizes.length).fill(0);
  for (let k = 0; k < total; k++) {
    const params: Record<string, unknown> = {};
    spec.axes.forEach((axis, a) => axis.options.forEach((name, j) => (params[name] = axis.values[pos[a]][j])));
    const options = resolveOptions({}, { ...spec.base, ...params });
    if (excluded(options, spec.exclude)) {
      excludedCount++;
    } else {
      const configId = runId(options);
      for (let r = 0; r < replicates; r++) {
        // replicate 0 is the configuration as written: the same run id as without replicates
        const ro = replicateOptions(options, r);
        const id = r === 0 ? configId : runId(ro);
        const prior = byId.get(id);
        if (prior !== undefined) {
          throw new InputError(
            `${spec.source}: runs ${prior} and ${runs.length} have the same configuration (${JSON.stringify(params)}); remove the duplicate values`,
          );
        }
        byId.set(id, runs.length);
        const run: PlannedRun = { index: runs.length, id, params, options: ro };
        if (replicates > 1) run.replicate = { index: r, seed: workloadSeed(ro), configId };
        runs.push(run);
      }
    }
    for (let a = sizes.length - 1; a >= 0; a--) {
      if (++pos[a] < sizes[a]) break;
      pos[a] = 0;
    }
  }
  if (runs.length === 0) throw new InputError(`${spec.source}: every point of the grid is excluded; nothing to run`);
  return { spec, parameters, runs, excluded: excludedCount };
}

/** Parses `i/N` (0 <= i < N). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || !(count >= 1) || !(index < count)) throw new InputError(`--shard must be i/N with 0 <= i < N (e.g. 0/4), got "${text}"`);
  return { index, count };
}

/** The deterministic 1/N of the runs in shard i: runs whose plan index ≡ i (mod N). */
export function shardRuns<T extends { index: number }>(runs: readonly T[], index: number, count: number): T[] {
  return runs.filter((r) => r.index % count === index);
}

/** Options as a worker runs them: path options made absolute against the spec's directory. */
export function runnableOptions(options: Options, baseDir: string): Options {
  const out: OptionValues = { ...options };
  for (const [k, v] of Object.entries(out)) {
    if (typeof v === "string" && v !== "" && findOption(k)?.type === "path" && !isAbsolute(v) && !OUTPUT_ONLY_OPTIONS.has(k)) {
      out[k] = resolve(baseDir, v);
    }
  }
  return out as Options;
}
