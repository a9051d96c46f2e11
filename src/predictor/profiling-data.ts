/**
 * Readers for Vidur's profiling CSVs (spec §7): compute/<device>/<org>/<model>/{mlp,attention}.csv and
 * network/<node>/{all_reduce,send_recv}.csv. Only the `median` statistic is used, as in Vidur. Times are
 * milliseconds; files whose medians look like seconds or microseconds are rejected.
 *
 * @example
 * const rows = readMlpProfile("data/profiling/compute/a100/meta-llama/Llama-2-7b-hf/mlp.csv");
 * rows.tp[0], rows.numTokens[0], rows.ops.mlp_up_proj[0] // 1, 4096, 3.3655 (ms)
 */
import { InputError } from "../core/errors.js";
import { readCsvRows } from "../core/csv.js";

/** Ops profiled in mlp.csv, keyed by num_tokens (Vidur's names). */
export const MLP_OPS = [
  "input_layernorm",
  "attn_pre_proj",
  "attn_rope",
  "attn_post_proj",
  "post_attention_layernorm",
  "mlp_up_proj",
  "mlp_act",
  "mlp_down_proj",
  "add",
] as const;
export type MlpOp = (typeof MLP_OPS)[number];

export interface MlpProfile {
  file: string;
  rows: number;
  nHead: Float64Array;
  nKvHead: Float64Array;
  nEmbd: Float64Array;
  nExpanded: Float64Array;
  gated: boolean[];
  numTokens: Float64Array;
  tp: Float64Array;
  /** Median ms per op; NaN where the file has no column for the op (Vidur then predicts 0). */
  ops: Record<MlpOp, Float64Array>;
}

export function readMlpProfile(file: string): MlpProfile {
  const c = readCsvRows(file, [
    { name: "n_head" },
    { name: "n_kv_head" },
    { name: "n_embd" },
    { name: "n_expanded_embd" },
    { name: "use_gated_mlp", kind: "string" },
    { name: "num_tokens" },
    { name: "num_tensor_parallel_workers" },
    ...MLP_OPS.map((op) => ({ name: `time_stats.${op}.median`, optional: op === "post_attention_layernorm" || op === "add", fill: NaN })),
  ]);
  const gated = c.strings.use_gated_mlp!.map((v, i) => {
    if (v === "True" || v === "true" || v === "1") return true;
    if (v === "False" || v === "false" || v === "0") return false;
    throw InputError.at(file, c.lines[i], "use_gated_mlp", `must be True or False, got "${v}"`);
  });
  const ops = {} as Record<MlpOp, Float64Array>;
  for (const op of MLP_OPS) {
    ops[op] = c.numbers[`time_stats.${op}.median`]!;
    checkMillis(file, `time_stats.${op}.median`, ops[op]);
  }
  return {
    file,
    rows: c.rows,
    nHead: c.numbers.n_head!,
    nKvHead: c.numbers.n_kv_head!,
    nEmbd: c.numbers.n_embd!,
    nExpanded: c.numbers.n_expanded_embd!,
    gated,
    numTokens: positive(file, "num_tokens", c.numbers.num_tokens!),
    tp: positive(file, "num_tensor_parallel_workers", c.numbers.num_tensor_parallel_workers!),
    ops,
  };
}

export interface AttentionProfile {
  file: string;
  rows: number;
  nEmbd: Float64Array;
  nQHead: Float64Array;
  nKvHead: Float64Array;
  blockSize: Float64Array;
  tp: Float64Array;
  batchSize: Float64Array;
  chunk: Float64Array;
  kv: Float64Array;
  prefill: Float64Array;
  decode: Float64Array;
  /** NaN-filled when the file predates attn_kv_cache_save (Vidur then predicts 0). */
  kvSave: Float64Array;
}

export function readAttentionProfile(file: string): AttentionProfile {
  const c = readCsvRows(file, [
    { name: "n_embd" },
    { name: "n_q_head" },
    { name: "n_kv_head" },
    { name: "block_size" },
    { name: "num_tensor_parallel_workers" },
    { name: "batch_size" },
    { name: "prefill_chunk_size" },
    { name: "kv_cache_size" },
    { name: "time_stats.attn_prefill.median", allowEmpty: true },
    { name: "time_stats.attn_decode.median", allowEmpty: true },
    { name: "time_stats.attn_kv_cache_save.median", allowEmpty: true, optional: true, fill: NaN },
  ]);
  const r: AttentionProfile = {
    file,
    rows: c.rows,
    nEmbd: c.numbers.n_embd!,
    nQHead: c.numbers.n_q_head!,
    nKvHead: c.numbers.n_kv_head!,
    blockSize: c.numbers.block_size!,
    tp: c.numbers.num_tensor_parallel_workers!,
    batchSize: c.numbers.batch_size!,
    chunk: c.numbers.prefill_chunk_size!,
    kv: c.numbers.kv_cache_size!,
    prefill: c.numbers["time_stats.attn_prefill.median"]!,
    decode: c.numbers["time_stats.attn_decode.median"]!,
    kvSave: c.numbers["time_stats.attn_kv_cache_save.median"]!,
  };
  checkMillis(file, "time_stats.attn_prefill.median", r.prefill);
  checkMillis(file, "time_stats.attn_decode.median", r.decode);
  return r;
}

export interface CollectiveProfile {
  file: string;
  rows: number;
  median: Float64Array;
  numWorkers: Float64Array;
  sizeBytes: Float64Array;
  devicesPerNode: Float64Array;
}

export function readCollectiveProfile(file: string, collective: "all_reduce" | "send_recv"): CollectiveProfile {
  const c = readCsvRows(file, [
    { name: `time_stats.${collective}.median` },
    { name: "num_workers" },
    { name: "size" },
    { name: "collective", kind: "string" },
    { name: "devices_per_node" },
  ]);
  c.strings.collective!.forEach((v, i) => {
    if (v !== collective) throw InputError.at(file, c.lines[i], "collective", `must be "${collective}", got "${v}"`);
  });
  const median = c.numbers[`time_stats.${collective}.median`]!;
  checkMillis(file, `time_stats.${collective}.median`, median);
  return {
    file,
    rows: c.rows,
    median,
    numWorkers: c.numbers.num_workers!,
    sizeBytes: positive(file, "size", c.numbers.size!),
    devicesPerNode: c.numbers.devices_per_node!,
  };
}

/** Rejects negative times and columns whose typical value is implausible for milliseconds. */
function checkMillis(file: string, column: string, v: Float64Array): void {
  const vals: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (Number.isNaN(x)) continue;
    if (x < 0) throw InputError.at(file, i + 2, column, `must be a time in ms >= 0, got ${x}`);
    vals.push(x);
  }
  if (vals.length === 0) return;
  vals.sort((a, b) => a - b);
  const med = vals[vals.length >> 1]!;
  // GPU kernels of a layer take µs..s; a median below 1e-5 ms suggests seconds, above 1e5 ms microseconds.
  if (med > 0 && med < 1e-5)
    throw InputError.at(file, undefined, column, `median ${med} looks like seconds; profiling times must be milliseconds`);
  if (med > 1e5)
    throw InputError.at(
      file,
      undefined,
      column,
      `median ${med} looks like microseconds or nanoseconds; profiling times must be milliseconds`,
    );
}

function positive(file: string, column: string, v: Float64Array): Float64Array {
  for (let i = 0; i < v.length; i++) if (!(v[i]! > 0)) throw InputError.at(file, i + 2, column, `must be > 0, got ${v[i]}`);
  return v;
}
