/**
 * Regenerates the small inputs the README and docs commands use (run from the repository root):
 *
 *   node --import tsx examples/generate.ts
 *
 * - trace.csv         30 requests replayable with trace_replay: tokenwatt's own synthetic generator
 *                     (uniform 64–128 prompt tokens, P:D 2, Poisson at 0.5 QPS, seed 7), as `requests.csv`
 * - op-tables/        Vidur-layout prediction tables (<op>.csv) for Llama-2-7B on one A100, from tokenwatt's
 *                     roofline, on a 512-token grid (Vidur's is 4096: big files for an example)
 * - carbon-trace.csv  a synthetic carbon-intensity curve (not measured data): 5-minute stamps, naive UTC,
 *                     2023-06-08 00:00 to 2023-06-10 00:00, 250 ± 120 g/kWh with a daily cycle
 * sweep.yaml and capacity.yaml are written by hand; test/docs/examples.test.ts checks these files are current.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveOptions } from "../src/config/parse.js";
import { TOKEN_OPS, type OpTables } from "../src/core/types.js";
import { buildRooflineOpTables } from "../src/predictor/roofline.js";
import { findDevice, findModel, findNode } from "../src/profiles/catalog.js";
import { simulate } from "../src/simulate.js";
import { materialize } from "../src/tables/chunked.js";

const here = dirname(fileURLToPath(import.meta.url));

export const TRACE_OPTIONS = {
  synthetic_request_generator_config_num_requests: 30,
  synthetic_request_generator_config_seed: 7,
  length_generator_config_type: "uniform",
  uniform_request_length_generator_config_min_tokens: 96,
  uniform_request_length_generator_config_max_tokens: 192,
  uniform_request_length_generator_config_prefill_to_decode_ratio: 2,
  poisson_request_interval_generator_config_qps: 0.5,
};

/** trace.csv: the request stream of a synthetic run, in the trace_replay layout. */
export function traceCsv(): string {
  const run = simulate(resolveOptions(TRACE_OPTIONS));
  const t = materialize(run.tables.find((x) => x.name === "requests")!);
  const col = (n: string) => t.columns.find((c) => c.name === n)!.data as ArrayLike<number>;
  const a = col("arrived_at"),
    p = col("num_prefill_tokens"),
    d = col("num_decode_tokens");
  let out = "arrived_at,num_prefill_tokens,num_decode_tokens\n";
  for (let i = 0; i < a.length; i++) out += `${a[i]},${p[i]},${d[i]}\n`;
  return out;
}

/** The roofline's op tables for Llama-2-7B on an A100, TP1, grid of 512 tokens. */
export function exampleOpTables(): OpTables {
  return buildRooflineOpTables(findModel("meta-llama/Llama-2-7b-hf"), findDevice("a100"), findNode("a100_pairwise_nvlink"), {
    tp: 1,
    pp: 1,
    maxTokens: 512,
    maxBatch: 128,
    maxChunk: 512,
    g: 64,
  });
}

/** Vidur's prediction-cache layout: <op>.csv with its key columns and `prediction` (ms per layer). */
export function opTableCsvs(t: OpTables): Record<string, string> {
  const files: Record<string, string> = {};
  const tokenOp = (a: Float64Array) => {
    let s = "num_tokens,prediction\n";
    for (let T = 1; T <= t.maxTokens; T++) s += `${T},${a[T]}\n`;
    return s;
  };
  for (const op of TOKEN_OPS) if (t.tokenOps[op]) files[op] = tokenOp(t.tokenOps[op]!);
  files.attn_kv_cache_save = tokenOp(t.attnKvCacheSave);
  let dec = "batch_size,kv_cache_size,prediction\n";
  for (let b = 1; b <= t.decodeMaxBatch; b++)
    for (let s = 0; s < t.decodeKvSteps; s++) dec += `${b},${s * t.kvGranularity},${t.attnDecode[(b - 1) * t.decodeKvSteps + s]}\n`;
  files.attn_decode = dec;
  let pre = "kv_cache_size,prefill_chunk_size_squared,prediction\n";
  for (let s = 0; s < t.prefillKvSteps; s++)
    for (let c = 1; c <= t.prefillMaxChunk; c++) pre += `${s * t.kvGranularity},${c * c},${t.attnPrefill[s * t.prefillMaxChunk + c - 1]}\n`;
  files.attn_prefill = pre;
  return files;
}

/** A synthetic daily carbon-intensity cycle (g/kWh), Vessim/WattTime layout `time,<column>`. */
export function carbonTraceCsv(): string {
  let out = "time,synthetic_grid\n";
  const start = Date.UTC(2023, 5, 8);
  for (let i = 0; i <= 2 * 24 * 12; i++) {
    const ms = start + i * 300_000;
    const hours = (ms - start) / 3_600_000;
    const g = 250 + 120 * Math.cos((2 * Math.PI * (hours - 4)) / 24); // dirtiest at 04:00 UTC, cleanest at 16:00
    out += `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")},${g.toFixed(2)}\n`;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(here, "trace.csv"), traceCsv());
  mkdirSync(join(here, "op-tables"), { recursive: true });
  for (const [op, text] of Object.entries(opTableCsvs(exampleOpTables()))) writeFileSync(join(here, "op-tables", `${op}.csv`), text);
  writeFileSync(join(here, "carbon-trace.csv"), carbonTraceCsv());
  console.log(`wrote ${here}/trace.csv, op-tables/, carbon-trace.csv`);
}
