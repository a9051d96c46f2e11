/**
 * Flattens a run's summary.json into columns generically: nested numeric fields join their keys with "_"
 * (`ttft_s.p50` → `ttft_s_p50`, `energy.total_kwh` → `energy_total_kwh`), so metrics added to the summary
 * later appear as columns without code changes. Numbers become f64 columns (NaN/±Infinity → null), booleans
 * bool columns; strings are descriptive notes and are left out, except the engine's `status` (→ `sim_status`).
 *
 * @example
 * flattenSummary({ ttft_s: { p50: 0.1 }, status: "ok", throughput: { note: "…" } });
 * // { numbers: { ttft_s_p50: 0.1 }, booleans: {}, strings: { sim_status: "ok" } }
 */

export interface FlatMetrics {
  numbers: Record<string, number>;
  booleans: Record<string, boolean>;
  strings: Record<string, string>;
}

/** String leaves kept as columns (summary path → column name). */
const STRING_FIELDS: Readonly<Record<string, string>> = { status: "sim_status" };

export function flattenSummary(summary: Record<string, unknown>): FlatMetrics {
  const out: FlatMetrics = { numbers: {}, booleans: {}, strings: {} };
  const walk = (value: unknown, path: string[]): void => {
    const name = path.join("_");
    if (typeof value === "number") out.numbers[name] = value;
    else if (typeof value === "bigint") out.numbers[name] = Number(value);
    else if (typeof value === "boolean") out.booleans[name] = value;
    else if (typeof value === "string") {
      const col = STRING_FIELDS[path.join(".")];
      if (col) out.strings[col] = value;
    } else if (value !== null && typeof value === "object" && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, [...path, k]);
    }
  };
  walk(summary, []);
  return out;
}

/** Last keys of summary.json leaves that count things (requests, GPUs, batches, blocks, bytes, events). */
const COUNT_LEAVES = [
  "count",
  "num_requests",
  "num_completed_requests",
  "num_gpus",
  "num_blocks_per_replica",
  "events",
  "batch_stages",
  "total_restarts",
  "requests_restarted",
  "max_restarts_one_request",
  "planner_max_batch_size",
  "kv_bytes_per_request",
  "param_bytes_per_device",
  "search_steps",
];

/**
 * Whether a flattened metric column holds a count (written as int64 in summary.parquet / summary.arrow): its
 * name is, or ends with "_" + , one of COUNT_LEAVES.
 *
 * @example
 * isCountColumn("batches_count")              // true
 * isCountColumn("batches_mean_batch_num_tokens") // false (a mean)
 */
export function isCountColumn(name: string): boolean {
  return COUNT_LEAVES.some((leaf) => name === leaf || name.endsWith(`_${leaf}`));
}
