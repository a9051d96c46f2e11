/**
 * request_metrics: one row per request (row i = request id i) with Vidur's column names and definitions
 * (docs/metrics.md), then tokenwatt's extra columns (replica and absolute timestamps). Requests that did not
 * finish (time limit) have NaN in the time columns.
 */
import type { EngineResult } from "../engine/result.js";
import { column, type ResultTable } from "../output/table.js";

export function requestMetricsTable(r: EngineResult): ResultTable {
  const q = r.requests;
  const n = q.arrivedAt.length;
  const f = () => new Float64Array(n);
  const e2e = f(), e2eN = f(), exec = f(), execN = f(), model = f(), modelN = f(), preempt = f(), delay = f();
  const execPre = f(), execPreN = f(), ttft = f(), prefillEP = f(), prefillEPN = f(), decodeN = f();
  const interArrival = f(), pdRatio = f();
  const numTokens = new Int32Array(n);
  // inter-arrival delay follows the order in which arrivals were handled (by time, then id)
  interArrival.fill(Number.NaN);
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = q.arrivedAt[i - 1] <= q.arrivedAt[i];
  if (sorted) {
    for (let i = 1; i < n; i++) interArrival[i] = q.arrivedAt[i] - q.arrivedAt[i - 1];
  } else {
    // closed loop: ids are release order, arrivals were handled by time (ties by id)
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => q.arrivedAt[a] - q.arrivedAt[b] || a - b);
    for (let k = 1; k < n; k++) interArrival[order[k]] = q.arrivedAt[order[k]] - q.arrivedAt[order[k - 1]];
  }
  for (let i = 0; i < n; i++) {
    const a = q.arrivedAt[i], s = q.scheduledAt[i], fc = q.prefillCompletedAt[i], c = q.completedAt[i];
    const P = q.numPrefillTokens[i], D = q.numDecodeTokens[i];
    const P0 = q.originalPrefillTokens[i], D0 = q.originalDecodeTokens[i];
    numTokens[i] = P0 + D0;
    pdRatio[i] = P0 / D0;
    if (q.completed[i] === 0) {
      for (const col of [e2e, e2eN, exec, execN, model, modelN, preempt, delay, execPre, execPreN, ttft, prefillEP, prefillEPN, decodeN]) col[i] = Number.NaN;
      continue;
    }
    e2e[i] = c - a;
    e2eN[i] = e2e[i] / D;
    exec[i] = q.executionTime[i];
    execN[i] = exec[i] / D;
    model[i] = q.modelExecutionTime[i];
    modelN[i] = model[i] / D;
    preempt[i] = q.preemptedTime[i];
    delay[i] = q.schedulingDelay[i];
    execPre[i] = exec[i] + preempt[i];
    execPreN[i] = execPre[i] / D;
    ttft[i] = fc - a;
    prefillEP[i] = fc - s;
    prefillEPN[i] = prefillEP[i] / P;
    decodeN[i] = (c - fc) / D;
  }
  const allDone = q.completed.every((c) => c !== 0);
  const nanIfUnfinished = (src: Float64Array): Float64Array => (allDone ? src : src.map((v, i) => (q.completed[i] ? v : Number.NaN)));
  return {
    name: "request_metrics",
    columns: [
      column("Request Id", "i32", Int32Array.from({ length: n }, (_, i) => i)),
      column("request_e2e_time", "f64", e2e, true),
      column("request_e2e_time_normalized", "f64", e2eN, true),
      column("request_execution_time", "f64", exec, true),
      column("request_execution_time_normalized", "f64", execN, true),
      column("request_model_execution_time", "f64", model, true),
      column("request_model_execution_time_normalized", "f64", modelN, true),
      column("request_preemption_time", "f64", preempt, true),
      column("request_scheduling_delay", "f64", delay, true),
      column("request_execution_plus_preemption_time", "f64", execPre, true),
      column("request_execution_plus_preemption_time_normalized", "f64", execPreN, true),
      column("prefill_e2e_time", "f64", ttft, true),
      column("prefill_time_execution_plus_preemption", "f64", prefillEP, true),
      column("prefill_time_execution_plus_preemption_normalized", "f64", prefillEPN, true),
      column("decode_time_execution_plus_preemption_normalized", "f64", decodeN, true),
      column("request_inter_arrival_delay", "f64", interArrival, true),
      column("request_num_tokens", "i32", numTokens),
      column("request_num_prefill_tokens", "i32", q.originalPrefillTokens),
      column("request_num_decode_tokens", "i32", q.originalDecodeTokens),
      column("request_pd_ratio", "f64", pdRatio),
      column("request_num_restarts", "i32", q.numRestarts),
      column("replica_id", "i32", q.replica),
      column("arrived_at", "f64", q.arrivedAt),
      column("scheduled_at", "f64", nanIfUnfinished(q.scheduledAt), true),
      column("prefill_completed_at", "f64", nanIfUnfinished(q.prefillCompletedAt), true),
      column("completed_at", "f64", nanIfUnfinished(q.completedAt), true),
    ],
  };
}
