/** requests: the stream actually simulated, in Vidur's trace-replay layout (replayable with trace_replay). */
import type { EngineResult } from "../engine/result.js";
import { column, type ResultTable } from "../tables/table.js";

export function requestsTable(r: EngineResult): ResultTable {
  return {
    name: "requests",
    columns: [
      column("arrived_at", "f64", r.requests.arrivedAt),
      column("num_prefill_tokens", "i32", r.requests.originalPrefillTokens),
      column("num_decode_tokens", "i32", r.requests.originalDecodeTokens),
    ],
  };
}
