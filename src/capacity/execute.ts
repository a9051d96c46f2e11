/**
 * One capacity-search job as a worker runs it: Vidur's binary search on the arrival rate, every step a full
 * simulation on the worker's engine instance with cached op tables and workloads, plus the flattened
 * summary of the best run under the SLO.
 */
import type { Options } from "../config/options.js";
import { simulateShared } from "../sweep/execute.js";
import { flattenSummary } from "../sweep/flatten.js";
import { capacitySearch, qpsOption, sloMetric, type SearchResult, type SloMetric } from "./search.js";

export interface CapacityTask {
  kind: "capacity";
  index: number;
  id: string;
  options: Options;
  baseDir: string;
  metric: SloMetric;
  quantile: number;
  slo: number;
  startQps: number;
  maxIterations: number;
  granularityPct: number;
}

export interface CapacityOutcome {
  index: number;
  id: string;
  ok: boolean;
  error: string | null;
  wallMs: number;
  search: SearchResult | null;
  /** Summary metrics of the simulation at maxQps (flattened; empty if none met the SLO). */
  best: Record<string, number | boolean | string>;
}

export function executeCapacity(task: CapacityTask): CapacityOutcome {
  const t0 = performance.now();
  let best: Record<string, number | boolean | string> = {};
  let firstError: string | null = null;
  try {
    const key = qpsOption(task.options);
    const search = capacitySearch(
      (qps) => {
        try {
          const run = simulateShared({ ...task.options, [key]: qps }, task.baseDir);
          const value = sloMetric(run, task.metric, task.quantile);
          if (value <= task.slo) {
            const flat = flattenSummary(run.summary);
            best = { ...flat.numbers, ...flat.booleans, ...flat.strings };
          }
          return value;
        } catch (e) {
          firstError ??= e instanceof Error ? e.message : String(e);
          return null;
        }
      },
      { slo: task.slo, startQps: task.startQps, maxIterations: task.maxIterations, granularityPct: task.granularityPct },
    );
    const failed = search.stop === "failed" && search.maxQps === null;
    return { index: task.index, id: task.id, ok: !failed, error: failed ? firstError : null, wallMs: performance.now() - t0, search, best };
  } catch (e) {
    return {
      index: task.index,
      id: task.id,
      ok: false,
      error: e instanceof Error ? e.message : String(e),
      wallMs: performance.now() - t0,
      search: null,
      best,
    };
  }
}
