/**
 * Predictor registry and the two entry points the rest of tokenwatt uses:
 * `buildOpTables(source, opts)` (dense tables for the engine) and `predictBatch(source, opts, batch)`
 * (one batch stage, Vidur's §6 formula, with per-op ms, FLOPs and bytes for `tokenwatt predict`).
 *
 * @example
 * const opts = { model, device, node, tp: 1, pp: 1, maxTokens: 4096, maxBatch: 128, maxChunk: 4096, g: 64 };
 * buildOpTables("roofline", opts);
 * predictBatch("roofline", opts, { requests: [{ tokens: 512, processed: 0, prefill: true }] }).total_ms
 */
import { InputError } from "../core/errors.js";
import type { OpTables, TokenOp } from "../core/types.js";
import { decodeAttnCost, prefillAttnCost, shardModel, tokenOpCost, type OpCost } from "./op-costs.js";
import { opTablesSource } from "./sources/op-tables.js";
import { profileSource } from "./sources/profile.js";
import { rooflineSource } from "./sources/roofline.js";
import type { PredictorOptions, PredictorSource } from "./source-types.js";

export type { PredictorOptions, PredictorSource, ShapeEstimator } from "./source-types.js";

export const SOURCES: Record<PredictorSource["name"], PredictorSource> = {
  roofline: rooflineSource,
  profile: profileSource,
  "op-tables": opTablesSource,
};

export function getSource(name: string): PredictorSource {
  const s = (SOURCES as Record<string, PredictorSource | undefined>)[name];
  if (!s) throw new InputError(`unknown predictor source "${name}"; allowed: ${Object.keys(SOURCES).join(", ")}`);
  return s;
}

export function buildOpTables(source: string, opts: PredictorOptions): OpTables {
  return getSource(source).build(opts);
}

/** One request's part of a batch: tokens this iteration, tokens processed before it, prefill or decode. */
export interface BatchRequest {
  tokens: number;
  processed: number;
  prefill: boolean;
}

export interface BatchInput {
  requests: BatchRequest[];
  /** Pipeline stage 0..PP-1 (every stage but the last adds send_recv). Default 0. */
  stage?: number;
  /** Vidur's predictor constants. */
  ncclCpuLaunchOverheadMs?: number;
  ncclCpuSkewOverheadPerDeviceMs?: number;
  attentionBatchingOverheadFraction?: number;
}

export interface OpPrediction {
  /** Time of this op summed over the stage's layers (all_reduce counted twice per layer, as Vidur). */
  ms: number;
  flops: number;
  bytes: number;
  source: string;
}

export interface BatchPrediction {
  total_ms: number;
  ops: Record<string, OpPrediction>;
  flops: number;
  bytes: number;
}

const ceil8 = (x: number) => Math.ceil(x / 8) * 8;

export function predictBatch(source: string, opts: PredictorOptions, batch: BatchInput): BatchPrediction {
  if (batch.requests.length === 0) throw new InputError("predict: the batch has no requests");
  for (const r of batch.requests) {
    if (!(Number.isInteger(r.tokens) && r.tokens >= 1))
      throw new InputError(`predict: tokens per request must be integers >= 1, got ${r.tokens}`);
    if (!(Number.isInteger(r.processed) && r.processed >= 0))
      throw new InputError(`predict: processed tokens must be integers >= 0, got ${r.processed}`);
  }
  const est = getSource(source).estimator(opts);
  const m = opts.model;
  const shard = shardModel(m, opts.tp, opts.precision);
  const layers = m.num_layers / opts.pp;
  const g = opts.g;
  const roundG = (x: number) => Math.ceil(x / g) * g;
  const gqa = m.num_q_heads > m.num_kv_heads;
  const overhead = batch.attentionBatchingOverheadFraction ?? 0.1;
  const T = batch.requests.reduce((s, r) => s + r.tokens, 0);
  const key = ceil8(T);
  const ops: Record<string, OpPrediction> = {};
  const put = (name: string, perLayerMs: number, cost: OpCost, times = 1) => {
    ops[name] = {
      ms: perLayerMs * layers * times,
      flops: cost.flops * layers * times,
      bytes: cost.bytes * layers * times,
      source: est.sources[name] ?? source,
    };
  };

  const tokenOps: TokenOp[] = [
    "attn_pre_proj",
    "attn_post_proj",
    "attn_rope",
    "input_layernorm",
    "mlp_up_proj",
    "mlp_down_proj",
    "mlp_act",
    "add",
  ];
  if (m.post_attn_norm) tokenOps.push("post_attention_layernorm");
  for (const op of tokenOps) put(op, est.tokenOp(op, key), tokenOpCost(shard, op, T));
  put("attn_kv_cache_save", est.tokenOp("attn_kv_cache_save", T), tokenOpCost(shard, "attn_kv_cache_save", T));

  const decodes = batch.requests.filter((r) => !r.prefill);
  if (decodes.length) {
    const b = decodes.length;
    const k = roundG(Math.trunc(decodes.reduce((s, r) => s + r.processed, 0) / b));
    const cost = decodes.reduce<OpCost>((c, r) => add(c, decodeAttnCost(shard, 1, r.processed)), { flops: 0, bytes: 0 });
    put("attn_decode", est.decode(b, k) * (gqa && b > 1 ? 1 + overhead : 1), cost);
  }
  const prefills = batch.requests.filter((r) => r.prefill);
  if (prefills.length) {
    const kv = prefills.reduce((s, r) => s + roundG(r.processed), 0);
    const c = Math.round(Math.sqrt(prefills.reduce((s, r) => s + r.tokens * r.tokens, 0)));
    const cost = prefills.reduce<OpCost>((acc, r) => add(acc, prefillAttnCost(shard, r.processed, r.tokens)), { flops: 0, bytes: 0 });
    put("attn_prefill", est.prefill(kv, c) * (gqa && prefills.length > 1 ? 1 + overhead : 1), cost);
  }
  if (opts.tp > 1) {
    const extra = (batch.ncclCpuLaunchOverheadMs ?? 0.02) + (batch.ncclCpuSkewOverheadPerDeviceMs ?? 0) * opts.tp ** 1.25;
    put("all_reduce", est.tokenOp("all_reduce", key) + extra, tokenOpCost(shard, "all_reduce", T), 2);
  }
  let ppMs = 0;
  const stage = batch.stage ?? 0;
  if (opts.pp > 1 && stage < opts.pp - 1) {
    ppMs = est.tokenOp("send_recv", key);
    const c = tokenOpCost(shard, "send_recv", T);
    ops.send_recv = { ms: ppMs, flops: c.flops, bytes: c.bytes, source: est.sources.send_recv ?? source };
  }
  let total = 0;
  let flops = 0;
  let bytes = 0;
  for (const o of Object.values(ops)) {
    total += o.ms;
    flops += o.flops;
    bytes += o.bytes;
  }
  return { total_ms: total, ops, flops, bytes };
}

function add(a: OpCost, b: OpCost): OpCost {
  return { flops: a.flops + b.flops, bytes: a.bytes + b.bytes };
}
