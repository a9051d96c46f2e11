/**
 * requests: the stream actually simulated, in Vidur's trace-replay layout (replayable with trace_replay).
 * `arrivedAt`: the arrivals, when the result's request columns were streamed (open loop: the scenario's).
 */
import type { EngineResult } from "../engine/result.js";
import { column, type ResultTable } from "../tables/table.js";

export function requestsTable(r: EngineResult, arrivedAt: Float64Array = r.requests.arrivedAt): ResultTable {
  return {
    name: "requests",
    columns: [
      column("arrived_at", "f64", arrivedAt),
      column("num_prefill_tokens", "i32", r.requests.originalPrefillTokens),
      column("num_decode_tokens", "i32", r.requests.originalDecodeTokens),
    ],
  };
}
