/**
 * Request counts, token totals and the four per-request latency distributions of summary.json, accumulated
 * chunk by chunk as request rows leave the engine (src/engine/engine.ts engineRun), so the summary of a
 * ten-million-request run needs no whole column. Latencies are exact up to the scenario's
 * exactQuantileSamples, then sketched (src/metrics/latency-accumulator.ts).
 *
 * @example
 * const stats = new RequestStats(scenario.requests.numPrefillTokens, scenario.requests.numDecodeTokens);
 * for (const chunk of chunks) stats.add(chunk);
 * stats.ttft.summary().p50;
 */
import type { RequestChunk } from "../engine/engine.js";
import type { RequestColumns } from "../engine/result.js";
import { DEFAULT_EXACT_QUANTILE_SAMPLES, LatencyAccumulator } from "./latency-accumulator.js";

/** The request columns summary.json reads (a RequestChunk, or whole columns with start 0). */
export type RequestRows = Pick<
  RequestChunk,
  | "start"
  | "rows"
  | "arrivedAt"
  | "scheduledAt"
  | "prefillCompletedAt"
  | "completedAt"
  | "numDecodeTokens"
  | "numRestarts"
  | "completed"
  | "inputs"
>;

export class RequestStats {
  requests = 0;
  completed = 0;
  prefillTokens = 0;
  decodeTokens = 0;
  restarts = 0;
  restarted = 0;
  maxRestarts = 0;
  firstArrival = Infinity;
  lastArrival = -Infinity;
  readonly ttft: LatencyAccumulator;
  readonly e2e: LatencyAccumulator;
  readonly schedulingDelay: LatencyAccumulator;
  /** Vidur's per-request normalised decode time (TPOT). */
  readonly decodeTime: LatencyAccumulator;

  /**
   * `originalPrefill` / `originalDecode`: token counts as generated, indexed by request id (rows that carry
   * their `inputs` are read from those instead).
   */
  constructor(
    private readonly originalPrefill: Int32Array,
    private readonly originalDecode: Int32Array,
    exactLimit = DEFAULT_EXACT_QUANTILE_SAMPLES,
  ) {
    this.ttft = new LatencyAccumulator(exactLimit);
    this.e2e = new LatencyAccumulator(exactLimit);
    this.schedulingDelay = new LatencyAccumulator(exactLimit);
    this.decodeTime = new LatencyAccumulator(exactLimit);
  }

  /** Statistics of whole request columns (the non-streaming path). */
  static of(q: RequestColumns, exactLimit?: number): RequestStats {
    const stats = new RequestStats(q.originalPrefillTokens, q.originalDecodeTokens, exactLimit);
    stats.add({ ...q, start: 0, rows: q.arrivedAt.length });
    return stats;
  }

  /** Rows [c.start, c.start + c.rows), index j of each column = request c.start + j. */
  add(c: RequestRows): void {
    this.requests += c.rows;
    // token counts as generated: the chunk's own inputs (index j), or the whole columns (index = id)
    const prefill0 = c.inputs?.numPrefillTokens ?? this.originalPrefill;
    const decode0 = c.inputs?.numDecodeTokens ?? this.originalDecode;
    const base = c.inputs ? 0 : c.start;
    for (let j = 0; j < c.rows; j++) {
      const a = c.arrivedAt[j];
      if (a < this.firstArrival) this.firstArrival = a;
      if (a > this.lastArrival) this.lastArrival = a;
      const r = c.numRestarts[j];
      this.restarts += r;
      if (r > 0) this.restarted++;
      if (r > this.maxRestarts) this.maxRestarts = r;
      if (!c.completed[j]) continue;
      this.completed++;
      this.prefillTokens += prefill0[base + j];
      this.decodeTokens += decode0[base + j];
      const fc = c.prefillCompletedAt[j],
        done = c.completedAt[j];
      this.ttft.add(fc - a);
      this.e2e.add(done - a);
      this.schedulingDelay.add(c.scheduledAt[j] - a);
      this.decodeTime.add((done - fc) / c.numDecodeTokens[j]);
    }
  }
}
