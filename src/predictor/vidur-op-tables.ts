/**
 * Reads Vidur's precomputed per-operator predictions (its predictor cache, `<op>_<hash>_predictions.csv`, or
 * plain `<op>.csv` / `<op>.csv.gz`) into dense OpTables. Layout: vidur-parity/README.md — key columns plus
 * `prediction` in ms per layer per TP worker. Sparse files (only the keys a Vidur run looked up) are fine: cells
 * without a row are NaN, and the engine reports op and key only if a batch needs one of them.
 *
 * @example
 * const t = readVidurOpTables("fixture/op-tables", { tp: 2, pp: 1 });
 * t.tokenOps.mlp_up_proj![512]                   // ms at 512 tokens
 * t.attnPrefill[(1024 / 64) * t.prefillMaxChunk + (512 - 1)] // kv 1024, chunk 512
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { TOKEN_OPS, type OpTables, type TokenOp } from "../core/types.js";
import { readCsvRows } from "../core/csv.js";

export interface OpTableOptions {
  tp: number;
  pp: number;
  /** Token grid 1..maxTokens (and KV grid 0..maxTokens); default: the largest num_tokens in the token-op files. */
  maxTokens?: number;
  /** KV granularity g (default 64). */
  g?: number;
}

/** Finds the file for `op` in `dir`: `<op>.csv`, `<op>.csv.gz` or Vidur's `<op>_<hash>_predictions.csv[.gz]`. */
export function findOpFile(dir: string, op: string, names: readonly string[]): string | undefined {
  for (const n of [`${op}.csv`, `${op}.csv.gz`]) if (names.includes(n)) return join(dir, n);
  const re = new RegExp(`^${op}_[0-9a-f]+_predictions\\.csv(\\.gz)?$`);
  const hits = names.filter((n) => re.test(n));
  if (hits.length > 1) {
    throw InputError.at(dir, undefined, undefined, `has several prediction files for ${op} (${hits.join(", ")}); keep one`);
  }
  return hits.length ? join(dir, hits[0]!) : undefined;
}

export function readVidurOpTables(dir: string, opts: OpTableOptions): OpTables {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw InputError.at(dir, undefined, undefined, "is not a directory of op-table CSVs");
  const g = opts.g ?? 64;
  const names = readdirSync(dir);
  const need = (op: string): string => {
    const f = findOpFile(dir, op, names);
    if (!f)
      throw InputError.at(
        dir,
        undefined,
        undefined,
        `has no table for required op ${op} (expected ${op}.csv, ${op}.csv.gz or ${op}_<hash>_predictions.csv)`,
      );
    return f;
  };
  const sources: Record<string, string> = {};

  const tokenOpNames = TOKEN_OPS.filter((op) => (op === "all_reduce" ? opts.tp > 1 : op === "send_recv" ? opts.pp > 1 : true));
  const tokenData = tokenOpNames.map((op) => {
    const file = need(op);
    const c = readCsvRows(file, [{ name: "num_tokens" }, { name: "prediction" }]);
    return { op, file, keys: c.numbers.num_tokens!, values: c.numbers.prediction! };
  });
  let maxTokens = opts.maxTokens ?? 0;
  if (opts.maxTokens === undefined) for (const t of tokenData) for (const k of t.keys) if (k > maxTokens) maxTokens = k;
  if (!Number.isInteger(maxTokens) || maxTokens < 1)
    throw new InputError(`op tables: max tokens must be a positive integer, got ${maxTokens}`);

  const tokenOps: Partial<Record<TokenOp, Float64Array>> = {};
  for (const t of tokenData) {
    tokenOps[t.op] = denseByIndex(t.file, "num_tokens", t.keys, t.values, 1, maxTokens);
    sources[t.op] = `op-tables:${t.file}`;
  }

  const kvFile = need("attn_kv_cache_save");
  const kv = readCsvRows(kvFile, [{ name: "num_tokens" }, { name: "prediction" }]);
  const attnKvCacheSave = denseByIndex(kvFile, "num_tokens", kv.numbers.num_tokens!, kv.numbers.prediction!, 1, maxTokens);
  sources.attn_kv_cache_save = `op-tables:${kvFile}`;

  const kvSteps = Math.floor(maxTokens / g) + 1;

  const decFile = need("attn_decode");
  const dec = readCsvRows(decFile, [{ name: "batch_size" }, { name: "kv_cache_size" }, { name: "prediction" }]);
  let decodeMaxBatch = 0;
  for (const b of dec.numbers.batch_size!) if (b > decodeMaxBatch) decodeMaxBatch = b;
  const attnDecode = dense2d(
    decFile,
    dec.numbers.batch_size!,
    dec.numbers.kv_cache_size!,
    dec.numbers.prediction!,
    decodeMaxBatch,
    kvSteps,
    g,
    (b) => b - 1,
    false,
  );
  sources.attn_decode = `op-tables:${decFile}`;

  const preFile = need("attn_prefill");
  const pre = readCsvRows(preFile, [{ name: "kv_cache_size" }, { name: "prefill_chunk_size_squared" }, { name: "prediction" }]);
  const c2 = pre.numbers.prefill_chunk_size_squared!;
  const chunk = new Float64Array(c2.length);
  let prefillMaxChunk = 0;
  for (let i = 0; i < c2.length; i++) {
    const c = Math.round(Math.sqrt(c2[i]!));
    if (c * c !== c2[i]) throw InputError.at(preFile, pre.lines[i], "prefill_chunk_size_squared", `must be a perfect square, got ${c2[i]}`);
    chunk[i] = c;
    if (c > prefillMaxChunk) prefillMaxChunk = c;
  }
  // attn_prefill is stored kv-major: [(kv/g) * maxChunk + (c-1)].
  const attnPrefill = dense2d(
    preFile,
    chunk,
    pre.numbers.kv_cache_size!,
    pre.numbers.prediction!,
    prefillMaxChunk,
    kvSteps,
    g,
    (c) => c - 1,
    true,
  );
  sources.attn_prefill = `op-tables:${preFile}`;

  return {
    maxTokens,
    kvGranularity: g,
    tokenOps,
    attnKvCacheSave,
    attnDecode,
    decodeMaxBatch,
    decodeKvSteps: kvSteps,
    attnPrefill,
    prefillMaxChunk,
    prefillKvSteps: kvSteps,
    sources,
  };
}

/**
 * out[k] = value for k in lo..hi; keys outside are ignored. A key the file does not hold stays NaN: Vidur's
 * prediction cache is often sparse (only the keys a run looked up), so a gap is an error only when the
 * engine actually needs that key (it checks for NaN where it reads, and reports op and key).
 */
function denseByIndex(file: string, keyName: string, keys: Float64Array, values: Float64Array, lo: number, hi: number): Float64Array {
  const out = new Float64Array(hi + 1).fill(NaN);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (!Number.isInteger(k)) throw InputError.at(file, i + 2, keyName, `must be an integer, got ${k}`);
    if (Number.isNaN(values[i]!)) throw InputError.at(file, i + 2, "prediction", "must be a number");
    if (k >= lo && k <= hi) out[k] = values[i]!;
  }
  if (lo > 0) out[0] = 0;
  return out;
}

/**
 * Dense 2-D table over (a in 1..aMax, kv in 0..(kvSteps-1)·g), NaN where the file has no row. Decode is
 * a-major ([(a-1)·kvSteps + kv/g]), prefill kv-major ([kv/g · aMax + (a-1)]).
 */
function dense2d(
  file: string,
  a: Float64Array,
  kv: Float64Array,
  values: Float64Array,
  aMax: number,
  kvSteps: number,
  g: number,
  slot: (a: number) => number,
  kvMajor: boolean,
): Float64Array {
  const out = new Float64Array(aMax * kvSteps).fill(NaN); // NaN = key not in the file (sparse cache)
  for (let i = 0; i < a.length; i++) {
    const k = kv[i]!;
    if (Number.isNaN(values[i]!)) throw InputError.at(file, i + 2, "prediction", "must be a number");
    if (k % g !== 0) throw InputError.at(file, i + 2, "kv_cache_size", `must be a multiple of the KV granularity ${g}, got ${k}`);
    const s = k / g;
    const ai = slot(a[i]!);
    if (s >= kvSteps || ai < 0) continue; // outside the grid asked for
    out[kvMajor ? s * aMax + ai : ai * kvSteps + s] = values[i]!;
  }
  return out;
}
