/**
 * Replicates: `tokenwatt sweep --replicates N` runs every configuration with N seeds and summarises each
 * metric over them (mean, sample standard deviation, 95 % confidence interval of the mean).
 *
 * Seeds: replicate 0 is the configuration as written (same options, same run id as without replicates);
 * replicate r ≥ 1 replaces the value s of each seed option (SEED_OPTIONS) by the first 31 bits of SHA-256("tokenwatt-replicate/s/r"),
 * deterministic and independent of the sweep, shard or machine. The derived seeds are part of the resolved
 * options, so each replicate has its own run id under the usual identity rule.
 *
 * @example
 * replicateSeed(42, 0);                         // 42
 * replicateSeed(42, 1);                         // a fixed value in [0, 2^31)
 * replicateStats([1.0, 1.2, 0.9]);              // { n: 3, mean: 1.0333…, std: 0.1527…, ci95Low: 0.654…, ci95High: 1.412… }
 */
import { createHash } from "node:crypto";
import { mean, sampleStandardDeviation } from "simple-statistics";
import type { PlannedRun } from "./plan.js";
import type { RunRecord } from "./store.js";
import { tQuantile } from "./t-quantile.js";

/**
 * The options a replicate re-seeds: Vidur's simulation seed and the request generators' seeds (which also
 * drive request classes). Not every `…_seed` flag: some are only allowed with the feature they seed (e.g. the
 * deferrable length generator's), and Vidur's interval/length `_seed` flags are never read.
 */
export const SEED_OPTIONS: readonly string[] = ["seed", "synthetic_request_generator_config_seed", "trace_request_generator_config_seed"];

export const MAX_REPLICATES = 1000;

export function replicateSeed(seed: number, replicate: number): number {
  if (replicate === 0) return seed;
  return createHash("sha256").update(`tokenwatt-replicate/${seed}/${replicate}`).digest().readUInt32BE(0) >>> 1;
}

/** The options of replicate `r` of a configuration. */
export function replicateOptions<T extends Readonly<Record<string, unknown>>>(options: T, replicate: number): T {
  if (replicate === 0) return options;
  const out: Record<string, unknown> = { ...options };
  for (const k of SEED_OPTIONS) {
    const v = out[k];
    if (typeof v === "number") out[k] = replicateSeed(v, replicate);
  }
  return out as T;
}

/** The seed that drives the run's workload: the generator's for synthetic workloads, else Vidur's `seed`. */
export function workloadSeed(options: Readonly<Record<string, unknown>>): number {
  const k =
    options.request_generator_config_type === "synthetic" || options.request_generator_config_type === undefined
      ? "synthetic_request_generator_config_seed"
      : "seed";
  return Number(options[k]);
}

export interface ReplicateStats {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN for one replicate. */
  std: number;
  /** mean ∓ t(0.975, n−1) · std / √n; NaN for one replicate. */
  ci95Low: number;
  ci95High: number;
}

/** Mean, sample standard deviation and the 95 % t confidence interval of the mean (finite values only). */
export function replicateStats(values: readonly number[]): ReplicateStats {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { n, mean: Number.NaN, std: Number.NaN, ci95Low: Number.NaN, ci95High: Number.NaN };
  const m = mean(xs);
  if (n === 1) return { n, mean: m, std: Number.NaN, ci95Low: Number.NaN, ci95High: Number.NaN };
  const std = sampleStandardDeviation(xs);
  const half = (tQuantile(0.975, n - 1) * std) / Math.sqrt(n);
  return { n, mean: m, std, ci95Low: m - half, ci95High: m + half };
}

/** The replicate fields of a run's record (none without replicates). */
export function replicateFields(run: PlannedRun): Pick<RunRecord, "replicate" | "replicate_seed" | "config_id"> {
  return run.replicate ? { replicate: run.replicate.index, replicate_seed: run.replicate.seed, config_id: run.replicate.configId } : {};
}
