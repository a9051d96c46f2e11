/**
 * summary.json: headline latency percentiles (exact, linear interpolation as pandas/numpy), throughput,
 * batch statistics, utilisation (MFU, memory, busy time; replica/stage labels are 0-based and not rotated),
 * preemption counts and engine counters. Definitions: docs/metrics.md.
 */
import { findDevice, findNode } from "../profiles/catalog.js";
import { nodeMismatch } from "../profiles/node-check.js";
import type { EngineResult } from "../engine/result.js";
import { summarizeInPlace, summarizeWeighted, type Summary } from "../output/quantiles.js";
import type { Scenario } from "../scenario/types.js";

export interface LatencySummary extends Summary {}

/** Fills `scratch` with metric(i) for completed requests (NaN otherwise) and summarises it (sorting it). */
function latency(scratch: Float64Array, completed: Int32Array, metric: (i: number) => number): LatencySummary {
  for (let i = 0; i < scratch.length; i++) scratch[i] = completed[i] ? metric(i) : Number.NaN;
  return summarizeInPlace(scratch);
}

function mean(xs: number[]): number {
  const finite = xs.filter((x) => Number.isFinite(x));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
}

/** Request counts and token totals (its own function: hot loops inside a large function make V8 re-run OSR compiles per run). */
function requestTotals(q: EngineResult["requests"]) {
  const n = q.arrivedAt.length;
  let completed = 0, prefillTokens = 0, decodeTokens = 0, restarts = 0, restarted = 0, maxRestarts = 0;
  let firstArrival = Infinity, lastArrival = -Infinity;
  for (let i = 0; i < n; i++) {
    firstArrival = Math.min(firstArrival, q.arrivedAt[i]);
    lastArrival = Math.max(lastArrival, q.arrivedAt[i]);
    restarts += q.numRestarts[i];
    if (q.numRestarts[i] > 0) restarted++;
    maxRestarts = Math.max(maxRestarts, q.numRestarts[i]);
    if (!q.completed[i]) continue;
    completed++;
    prefillTokens += q.originalPrefillTokens[i];
    decodeTokens += q.originalDecodeTokens[i];
  }
  return { completed, prefillTokens, decodeTokens, restarts, restarted, maxRestarts, firstArrival, lastArrival };
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

export function buildSummary(scenario: Scenario, r: EngineResult): Record<string, unknown> {
  const q = r.requests;
  const n = q.arrivedAt.length;
  const { completed, prefillTokens, decodeTokens, restarts, restarted, maxRestarts, firstArrival, lastArrival } = requestTotals(q);
  // one scratch array for every latency metric, summarised one after the other (memory: n doubles, not 8n)
  const scratch = new Float64Array(n);
  const ttft = latency(scratch, q.completed, (i) => q.prefillCompletedAt[i] - q.arrivedAt[i]);
  const e2e = latency(scratch, q.completed, (i) => q.completedAt[i] - q.arrivedAt[i]);
  const delay = latency(scratch, q.completed, (i) => q.scheduledAt[i] - q.arrivedAt[i]);
  const tpot = latency(scratch, q.completed, (i) => (q.completedAt[i] - q.prefillCompletedAt[i]) / q.numDecodeTokens[i]);
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
    percentile_method: "linear interpolation between order statistics (numpy/pandas default), exact over all samples",
    num_requests: n,
    num_completed_requests: completed,
    num_gpus: gpus,
    ...nodeNote(scenario),
    ttft_s: ttft,
    tbt_s: summarizeWeighted(r.tbt.values, r.tbt.counts),
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
    busy_time_percent: { mean_over_replica_stages: mean(r.meters.busy.map((m) => m.weightedMean)), per_replica_stage: perStage(r.meters.busy) },
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
