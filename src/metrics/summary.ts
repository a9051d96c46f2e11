/**
 * summary.json: headline latency percentiles (exact, linear interpolation as pandas/numpy), throughput,
 * batch statistics, utilisation (MFU, memory, busy time; replica/stage labels are 0-based and not rotated),
 * preemption counts and engine counters. Definitions: docs/metrics.md.
 */
import { findDevice, findNode } from "../profiles/catalog.js";
import { nodeMismatch } from "../profiles/node-check.js";
import type { EngineResult } from "../engine/result.js";
import { summarizeInPlace, summarizeWeighted, type Summary } from "../tables/quantiles.js";
import type { Scenario } from "../scenario/types.js";
import type { DDSketch, DDSketchJSON } from "../core/ddsketch.js";
import { RequestStats } from "./request-stats.js";

export interface LatencySummary extends Summary {}

/**
 * The sketches of the summary's latency metrics that went past --metrics_config_exact_quantile_samples, keyed
 * by summary.json name (none for exact metrics): what a sweep keeps per run so that the replicates of one
 * configuration, wherever they ran, give pooled quantiles from merged sketches (src/sweep/summary-table.ts).
 */
export function latencySketches(stats: RequestStats, r: EngineResult): Record<string, DDSketchJSON> {
  const out: Record<string, DDSketchJSON> = {};
  const put = (name: string, s: DDSketch | undefined) => {
    if (s) out[name] = s.toJSON();
  };
  put("ttft_s", stats.ttft.sketched);
  put("tbt_s", r.tbt.sketch);
  put("e2e_latency_s", stats.e2e.sketched);
  put("scheduling_delay_s", stats.schedulingDelay.sketched);
  put("per_request_normalized_decode_time_s", stats.decodeTime.sketched);
  return out;
}

/** Summary of the engine's TBT sketch (quantiles within its accuracy; mean, min, max and count exact). */
function sketchSummary(s: DDSketch): LatencySummary {
  return { p50: s.quantile(0.5), p90: s.quantile(0.9), p99: s.quantile(0.99), mean: s.mean(), min: s.min, max: s.max, count: s.count };
}

/**
 * numpy's mean of the finite values: a plain left-to-right sum, as np.mean does for these few (< 8) values per
 * replica or stage. simple-statistics' mean sums with compensation, which could change the last bit of
 * summary.json, so it is not used here.
 */
function mean(xs: number[]): number {
  const finite = xs.filter((x) => Number.isFinite(x));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
}

/** Batch execution times of the kept batch records. */
function batchExecutionTimes(b: EngineResult["batches"]): Float64Array {
  const execs = new Float64Array(b.id.length);
  for (let i = 0; i < execs.length; i++) execs[i] = b.completedAt[i] - b.scheduledAt[i];
  return execs;
}

/** `node_mismatch` when the node type does not fit the GPU (see profiles/node-check.ts); nothing otherwise. */
function nodeNote(scenario: Scenario): { node_mismatch?: string } {
  const note = nodeMismatch(findDevice(scenario.device.name), findNode(scenario.node.name));
  return note ? { node_mismatch: note } : {};
}

/**
 * summary.json. `stats`: the request statistics gathered while rows left the engine (streaming runs);
 * default: computed from the result's whole request columns.
 */
export function buildSummary(
  scenario: Scenario,
  r: EngineResult,
  stats: RequestStats = RequestStats.of(r.requests, scenario.exactQuantileSamples),
): Record<string, unknown> {
  const n = stats.requests;
  const { completed, prefillTokens, decodeTokens, restarts, restarted, maxRestarts, firstArrival, lastArrival } = stats;
  const ttft = stats.ttft.summary();
  const e2e = stats.e2e.summary();
  const delay = stats.schedulingDelay.summary();
  const tpot = stats.decodeTime.summary();
  const tbt = r.tbt.sketch ? sketchSummary(r.tbt.sketch) : summarizeWeighted(r.tbt.values, r.tbt.counts);
  const makespan = r.makespan;
  // counts and means come from the engine's running sums; percentiles need the per-batch records
  const nb = r.counters.batches;
  const b = r.batches;
  const execSummary = summarizeInPlace(batchExecutionTimes(b));
  const stages = scenario.numPipelineStages;
  const perStage = (list: { weightedMean: number }[]) =>
    Object.fromEntries(list.map((m, i) => [`replica_${Math.floor(i / stages)}_stage_${i % stages}`, m.weightedMean]));
  const gpus = scenario.numReplicas * scenario.tensorParallelSize * scenario.numPipelineStages;
  return {
    status: r.status,
    percentile_method:
      "exact: linear interpolation between order statistics (numpy/pandas default) over all samples; sketch (past " +
      "--metrics_config_exact_quantile_samples samples): the sample at rank floor(q*(n-1)) within 0.5 % relative error (DDSketch); mean, min, max, count always exact",
    quantile_method: {
      ttft_s: stats.ttft.method,
      tbt_s: r.tbt.sketch ? "sketch" : "exact",
      e2e_latency_s: stats.e2e.method,
      scheduling_delay_s: stats.schedulingDelay.method,
      per_request_normalized_decode_time_s: stats.decodeTime.method,
    },
    num_requests: n,
    num_completed_requests: completed,
    num_gpus: gpus,
    ...nodeNote(scenario),
    ttft_s: ttft,
    tbt_s: tbt,
    e2e_latency_s: e2e,
    scheduling_delay_s: delay,
    per_request_normalized_decode_time_s: tpot,
    simulated_makespan_s: makespan,
    first_request_arrival_s: n ? firstArrival : Number.NaN,
    last_request_arrival_s: n ? lastArrival : Number.NaN,
    throughput: {
      requests_per_s: completed / makespan,
      total_tokens_per_s: (prefillTokens + decodeTokens) / makespan,
      prefill_tokens_per_s: prefillTokens / makespan,
      decode_tokens_per_s: decodeTokens / makespan,
      note: "totals over completed requests / simulated makespan (time of the last event)",
    },
    batches: {
      count: nb,
      mean_batch_size: r.counters.batchSizeSum / nb,
      mean_batch_num_tokens: r.counters.batchTokensSum / nb,
      mean_batch_execution_time_s: r.counters.batchExecutionTimeSum / nb,
      p50_batch_execution_time_s: execSummary.p50,
      p99_batch_execution_time_s: execSummary.p99,
      ...(b.id.length === 0 ? { note: "batch execution-time percentiles need --metrics_config_keep_individual_batch_metrics" } : {}),
    },
    mfu_percent: { mean_over_replica_stages: mean(r.meters.mfu.map((m) => m.weightedMean)), per_replica_stage: perStage(r.meters.mfu) },
    // Vidur's memory figure is the plain mean over meter updates (see MeterStats.updateMean); the
    // time-weighted mean is the one to use for capacity questions
    memory_usage_percent: {
      mean_over_replicas: mean(r.meters.memory.map((m) => m.updateMean)),
      time_weighted_mean_over_replicas: mean(r.meters.memory.map((m) => m.weightedMean)),
      max: Math.max(...r.meters.memory.map((m) => m.max)),
      per_replica: Object.fromEntries(r.meters.memory.map((m, i) => [`replica_${i}`, m.updateMean])),
      per_replica_time_weighted: Object.fromEntries(r.meters.memory.map((m, i) => [`replica_${i}`, m.weightedMean])),
    },
    busy_time_percent: {
      mean_over_replica_stages: mean(r.meters.busy.map((m) => m.weightedMean)),
      per_replica_stage: perStage(r.meters.busy),
    },
    preemption: { total_restarts: restarts, requests_restarted: restarted, max_restarts_one_request: maxRestarts },
    memory_plan: {
      num_blocks_per_replica: scenario.replicaScheduler.numBlocks,
      planner_max_batch_size: scenario.memory.maxBatchSize,
      kv_bytes_per_request: scenario.memory.kvBytesPerRequest,
      param_bytes_per_device: scenario.memory.paramBytesPerDevice,
    },
    engine: {
      events: r.counters.events,
      batch_stages: r.counters.stages,
      event_loop_s: r.timings.loopMs / 1000,
      batches_per_s: nb / (r.timings.loopMs / 1000),
    },
  };
}
