/** batch_metrics: one row per finished batch, in completion order; Vidur's six columns, then tokenwatt's. */
import type { EngineResult } from "../engine/result.js";
import { column, type ResultTable } from "../tables/table.js";

export function batchMetricsTable(r: EngineResult): ResultTable {
  const b = r.batches;
  const n = b.id.length;
  const decode = new Int32Array(n);
  const exec = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    decode[i] = b.numTokens[i] - b.numPrefillTokens[i];
    exec[i] = b.completedAt[i] - b.scheduledAt[i];
  }
  return {
    name: "batch_metrics",
    columns: [
      column("Batch Id", "i32", b.id),
      column("batch_num_tokens", "i32", b.numTokens),
      column("batch_num_prefill_tokens", "i32", b.numPrefillTokens),
      column("batch_num_decode_tokens", "i32", decode),
      column("batch_size", "i32", b.size),
      column("batch_execution_time", "f64", exec),
      column("replica_id", "i32", b.replica),
      column("scheduled_at", "f64", b.scheduledAt),
      column("completed_at", "f64", b.completedAt),
    ],
  };
}
