/**
 * request_metrics: one row per request (row i = request id i) with Vidur's column names and definitions
 * (docs/metrics.md), then tokenwatt's extra columns (replica and absolute timestamps). Requests that did not
 * finish (time limit) have NaN in the time columns.
 *
 * The table is chunked: rows [start, end) are derived on demand from the engine's request columns (which may
 * be views on WASM memory), so a million-request run never holds the 26 derived columns whole.
 */
import type { RequestChunk } from "../engine/engine.js";
import type { EngineResult } from "../engine/result.js";
import { columnRows, reuseArray, type ChunkedTable, type DerivedColumn } from "../tables/chunked.js";
import { column, type Column, type ResultTable } from "../tables/table.js";

/**
 * request_metrics as a ChunkedTable; `extra` columns (stored or derived: energy, CO2) are appended to every chunk.
 *
 * @example
 * const t = requestMetrics(result);
 * t.chunk(0, 10).columns[1].name; // "request_e2e_time"
 */
export function requestMetrics(r: EngineResult, extra: (Column | DerivedColumn)[] = []): ChunkedTable {
  const q = r.requests;
  const n = q.arrivedAt.length;
  // inter-arrival delay follows the order in which arrivals were handled (by time, then id); with sorted
  // arrivals (open loop) it is the difference to the previous row, otherwise it is precomputed once
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = q.arrivedAt[i - 1] <= q.arrivedAt[i];
  let interArrival: Float64Array | undefined;
  if (!sorted) {
    // closed loop: ids are release order, arrivals were handled by time (ties by id)
    interArrival = new Float64Array(n).fill(Number.NaN);
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => q.arrivedAt[a] - q.arrivedAt[b] || a - b);
    for (let k = 1; k < n; k++) interArrival[order[k]] = q.arrivedAt[order[k]] - q.arrivedAt[order[k - 1]];
  }
  const slice = (start: number, end: number): RequestChunk => ({
    start,
    rows: end - start,
    arrivedAt: q.arrivedAt.subarray(start, end),
    scheduledAt: q.scheduledAt.subarray(start, end),
    prefillCompletedAt: q.prefillCompletedAt.subarray(start, end),
    completedAt: q.completedAt.subarray(start, end),
    executionTime: q.executionTime.subarray(start, end),
    preemptedTime: q.preemptedTime.subarray(start, end),
    numPrefillTokens: q.numPrefillTokens.subarray(start, end),
    numDecodeTokens: q.numDecodeTokens.subarray(start, end),
    numRestarts: q.numRestarts.subarray(start, end),
    replica: q.replica.subarray(start, end),
    completed: q.completed.subarray(start, end),
  });
  return {
    name: "request_metrics",
    numRows: n,
    chunk: (start, end, reuse) => {
      const previous = start === 0 ? Number.NaN : q.arrivedAt[start - 1];
      const t = requestMetricsRows(slice(start, end), q, previous, interArrival, reuse);
      const base = t.columns.length;
      extra.forEach((c, i) => t.columns.push(columnRows(c, start, end, reuse?.columns[base + i])));
      return t;
    },
  };
}

/**
 * Rows of request_metrics (Vidur's columns and tokenwatt's extras, no energy) for the request rows of `q`
 * (index j = request q.start + j), e.g. a chunk as it leaves the engine. `originals`: token counts as generated,
 * indexed by id; `previousArrival`: arrival of request q.start - 1 (NaN for the first), for the inter-arrival
 * delay of sorted (open-loop) arrivals; `interArrivalAll`: that delay for every id when arrivals are unsorted.
 */
export function requestMetricsRows(
  q: RequestChunk,
  originals: { originalPrefillTokens: Int32Array; originalDecodeTokens: Int32Array },
  previousArrival: number,
  interArrivalAll?: Float64Array,
  reuse?: ResultTable,
): ResultTable {
  const start = q.start;
  const m = q.rows;
  const end = start + m;
  // arrays by output column index (see the column list below), on the reused chunk's memory if given
  const f = (col: number) => reuseArray(Float64Array, m, reuse?.columns[col]?.data);
  const i32 = (col: number) => reuseArray(Int32Array, m, reuse?.columns[col]?.data);
  const ids = i32(0),
    e2e = f(1),
    e2eN = f(2),
    exec = f(3),
    execN = f(4),
    model = f(5),
    modelN = f(6),
    preempt = f(7);
  const delay = f(8),
    execPre = f(9),
    execPreN = f(10),
    ttft = f(11),
    prefillEP = f(12),
    prefillEPN = f(13),
    decodeN = f(14);
  const interArrival = f(15),
    numTokens = i32(16),
    prefill = i32(17),
    decode = i32(18),
    pdRatio = f(19);
  const restarts = i32(20),
    replica = i32(21),
    arrived = f(22),
    scheduled = f(23),
    prefillDone = f(24),
    completedAt = f(25);
  if (interArrivalAll) interArrival.set(interArrivalAll.subarray(start, end));
  // token counts as generated: the chunk's own inputs (index j), or the whole columns (index = id)
  const prefill0 = q.inputs?.numPrefillTokens ?? originals.originalPrefillTokens;
  const decode0 = q.inputs?.numDecodeTokens ?? originals.originalDecodeTokens;
  const base = q.inputs ? start : 0;
  let previous = previousArrival;
  for (let j = 0; j < m; j++) {
    const i = start + j;
    const a = q.arrivedAt[j],
      s = q.scheduledAt[j],
      fc = q.prefillCompletedAt[j],
      c = q.completedAt[j];
    const P = q.numPrefillTokens[j],
      D = q.numDecodeTokens[j];
    const P0 = prefill0[i - base],
      D0 = decode0[i - base];
    ids[j] = i;
    if (!interArrivalAll) interArrival[j] = i === 0 ? Number.NaN : a - previous;
    previous = a;
    numTokens[j] = P0 + D0;
    prefill[j] = P0;
    decode[j] = D0;
    pdRatio[j] = P0 / D0;
    restarts[j] = q.numRestarts[j];
    replica[j] = q.replica[j];
    arrived[j] = a;
    if (q.completed[j] === 0) {
      for (const col of [
        e2e,
        e2eN,
        exec,
        execN,
        model,
        modelN,
        preempt,
        delay,
        execPre,
        execPreN,
        ttft,
        prefillEP,
        prefillEPN,
        decodeN,
        scheduled,
        prefillDone,
        completedAt,
      ]) {
        col[j] = Number.NaN;
      }
      continue;
    }
    scheduled[j] = s;
    prefillDone[j] = fc;
    completedAt[j] = c;
    e2e[j] = c - a;
    e2eN[j] = e2e[j] / D;
    // model execution time equals execution time (no CPU overheads), as in Vidur without them
    exec[j] = model[j] = q.executionTime[j];
    execN[j] = modelN[j] = exec[j] / D;
    preempt[j] = q.preemptedTime[j];
    // Vidur's scheduling delay: first schedule time - arrival
    delay[j] = s - a;
    execPre[j] = exec[j] + preempt[j];
    execPreN[j] = execPre[j] / D;
    ttft[j] = fc - a;
    prefillEP[j] = fc - s;
    prefillEPN[j] = prefillEP[j] / P;
    decodeN[j] = (c - fc) / D;
  }
  return {
    name: "request_metrics",
    columns: [
      column("Request Id", "i32", ids),
      column("request_e2e_time", "f64", e2e, true),
      column("request_e2e_time_normalized", "f64", e2eN, true),
      column("request_execution_time", "f64", exec, true),
      column("request_execution_time_normalized", "f64", execN, true),
      column("request_model_execution_time", "f64", model, true),
      column("request_model_execution_time_normalized", "f64", modelN, true),
      { ...column("request_preemption_time", "f64", preempt, true), csvFloat: true }, // Vidur writes 0.0
      column("request_scheduling_delay", "f64", delay, true),
      column("request_execution_plus_preemption_time", "f64", execPre, true),
      column("request_execution_plus_preemption_time_normalized", "f64", execPreN, true),
      column("prefill_e2e_time", "f64", ttft, true),
      column("prefill_time_execution_plus_preemption", "f64", prefillEP, true),
      column("prefill_time_execution_plus_preemption_normalized", "f64", prefillEPN, true),
      column("decode_time_execution_plus_preemption_normalized", "f64", decodeN, true),
      column("request_inter_arrival_delay", "f64", interArrival, true),
      column("request_num_tokens", "i32", numTokens),
      column("request_num_prefill_tokens", "i32", prefill),
      column("request_num_decode_tokens", "i32", decode),
      column("request_pd_ratio", "f64", pdRatio),
      column("request_num_restarts", "i32", restarts),
      column("replica_id", "i32", replica),
      column("arrived_at", "f64", arrived),
      column("scheduled_at", "f64", scheduled, true),
      column("prefill_completed_at", "f64", prefillDone, true),
      column("completed_at", "f64", completedAt, true),
    ],
  };
}
