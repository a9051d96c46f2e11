/**
 * Vidur's capacity search (config_optimizer/config_explorer/capacity_search.py), reproduced step for step:
 * a binary search on QPS for the largest load whose SLO metric (default: P99 scheduling delay) stays at or
 * under the SLO value. left = 0, right = 2·start_qps; each step simulates qps = (left + right)/2. Under the
 * SLO: left = qps and right grows (×4 if the metric < SLO/8, ×2 if < SLO/4 or qps > 0.8·right), capped by the
 * smallest failing qps. Over it: right = qps/2 if the metric > 500 s, else right = qps. Stops after
 * max_iterations or when |left − right| < granularity% · qps. (Vidur's "> 1000 s" branch is unreachable
 * behind "> 500 s" and is reproduced as such.)
 *
 * @example
 * const r = capacitySearch((qps) => simulateP99Delay(qps), { slo: 5, startQps: 1 });
 * r.maxQps;   // largest qps evaluated under the SLO (null if none)
 */
import type { OptionValues } from "../config/parse.js";
import { InputError } from "../core/errors.js";
import { quantile, weightedQuantile } from "../tables/quantiles.js";
import type { SimulationRun } from "../simulate.js";

export type SloMetric = "scheduling_delay" | "ttft" | "tbt" | "e2e";
export const SLO_METRICS: readonly SloMetric[] = ["scheduling_delay", "ttft", "tbt", "e2e"];

export interface SearchParams {
  /** SLO value in seconds (Vidur: scheduling_delay_slo_value = 5). */
  slo: number;
  /** Search starts with right = 2·startQps (Vidur: the trace's start_qps). */
  startQps: number;
  /** Vidur: max_iterations = 20. */
  maxIterations?: number;
  /** Percent of qps (Vidur: min_search_granularity = 2.5). */
  granularityPct?: number;
}

export interface SearchStep {
  qps: number;
  /** SLO metric at this qps (null if the simulation failed). */
  value: number | null;
  underSlo: boolean;
}

export interface SearchResult {
  /** Largest qps found under the SLO (Vidur's max_qps_under_sla); null if none was. */
  maxQps: number | null;
  /** Smallest qps found over the SLO (2^32 if none, as Vidur). */
  minQpsOverSlo: number;
  steps: SearchStep[];
  /** Why the search ended: "granularity", "iterations" or "failed" (a simulation failed, as Vidur stops). */
  stop: "granularity" | "iterations" | "failed";
}

export function capacitySearch(evaluate: (qps: number) => number | null, p: SearchParams): SearchResult {
  const maxIterations = p.maxIterations ?? 20;
  const granularity = p.granularityPct ?? 2.5;
  let left = 0;
  let right = p.startQps * 2;
  let qps = 0;
  let maxQps: number | null = null;
  let minOver = 2 ** 32;
  const steps: SearchStep[] = [];
  let stop: SearchResult["stop"] = "iterations";
  for (let i = 0; i < maxIterations; i++) {
    if (Math.abs(left - right) < (granularity * qps) / 100) {
      stop = "granularity";
      break;
    }
    qps = (left + right) / 2;
    const value = evaluate(qps);
    if (value === null || Number.isNaN(value)) {
      steps.push({ qps, value: null, underSlo: false });
      stop = "failed";
      break;
    }
    const under = value <= p.slo;
    steps.push({ qps, value, underSlo: under });
    if (under) {
      maxQps = qps;
      if (value < p.slo / 8) right = Math.min(right * 4, minOver);
      else if (value < p.slo / 4) right = Math.min(right * 2, minOver);
      else if (qps > 0.8 * right) right = Math.min(right * 2, minOver);
      left = qps;
    } else {
      if (value > 500) right = qps / 2;
      else if (value > 1000) right = qps / 4;
      else right = qps;
      minOver = Math.min(minOver, qps);
    }
  }
  return { maxQps, minQpsOverSlo: minOver, steps, stop };
}

/** The SLO metric of a finished simulation: quantile q of the metric over completed requests. */
export function sloMetric(run: SimulationRun, metric: SloMetric, q: number): number {
  const r = run.result.requests;
  const n = r.arrivedAt.length;
  if (metric === "tbt") return weightedQuantile(run.result.tbt.values, run.result.tbt.counts, q);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!r.completed[i]) {
      xs[i] = Number.NaN;
      continue;
    }
    xs[i] =
      metric === "scheduling_delay"
        ? r.schedulingDelay[i]
        : metric === "ttft"
          ? r.prefillCompletedAt[i] - r.arrivedAt[i]
          : r.completedAt[i] - r.arrivedAt[i];
  }
  return quantile(xs, q);
}

/** The option carrying the arrival rate: the poisson or gamma interval generator's qps. */
export function qpsOption(options: OptionValues): string {
  if (options.request_generator_config_type !== "synthetic") {
    throw new InputError(
      `capacity search varies the arrival rate: request_generator_config_type must be synthetic, got ${String(options.request_generator_config_type)}`,
    );
  }
  const t = options.interval_generator_config_type;
  if (t === "poisson") return "poisson_request_interval_generator_config_qps";
  if (t === "gamma") return "gamma_request_interval_generator_config_qps";
  throw new InputError(
    `capacity search varies the arrival rate: interval_generator_config_type must be poisson or gamma, got ${String(t)}`,
  );
}
