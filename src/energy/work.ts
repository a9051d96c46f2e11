/**
 * Per-GPU work of a batch stage as affine coefficients, derived from the roofline's FLOP and byte counts
 * (predictor/op-costs.ts) so the energy model and the roofline agree. Every token op is linear in T (GEMMs,
 * norms, adds, rope, KV save: FLOPs ∝ T, bytes = weights + ∝ T); attention is exact per request from its new
 * tokens c and cached tokens kv. Collectives (all-reduce, send/recv) move bytes over links, not HBM, and are
 * left out of the utilisations (their time is in the stage time).
 *
 * @example
 * const w = workCoefficients(findModel("llama-3.1-8b"), 1, 1);
 * w.fixedBytes  // ≈ 32 layers × 436 MB of FP16 weights
 */
import type { ModelSpec, TokenOp } from "../core/types.js";
import { prefillAttnCost, shardModel, tokenOpCost, type Precision } from "../predictor/op-costs.js";
import type { WorkCoefficients } from "./types.js";

const LINEAR_OPS: (TokenOp | "attn_kv_cache_save")[] = [
  "attn_pre_proj",
  "attn_post_proj",
  "attn_rope",
  "input_layernorm",
  "mlp_up_proj",
  "mlp_down_proj",
  "mlp_act",
  "post_attention_layernorm",
  "add",
  "attn_kv_cache_save",
];

/** Coefficients for one pipeline stage (floor(layers / PP) layers, as the engine's stage time) on one TP worker. */
export function workCoefficients(model: ModelSpec, tp: number, pp: number, precision: Precision = "fp16"): WorkCoefficients {
  const s = shardModel(model, tp, precision);
  const layers = Math.floor(model.num_layers / pp);
  let f1 = 0,
    b1 = 0,
    b2 = 0;
  for (const op of LINEAR_OPS) {
    if (op === "post_attention_layernorm" && !model.post_attn_norm) continue;
    const c1 = tokenOpCost(s, op, 1);
    const c2 = tokenOpCost(s, op, 2);
    f1 += c1.flops;
    b1 += c1.bytes;
    b2 += c2.bytes;
  }
  // attention: bytes = q/o per new token + K,V per attended token; FLOPs = 4·qHeads·headDim per pair
  const a10 = prefillAttnCost(s, 0, 1); // c = 1, kv = 0: one pair, q/o of 1 token, K/V of 1 token
  const a11 = prefillAttnCost(s, 1, 1); // one more attended token
  const ctxBytes = a11.bytes - a10.bytes;
  const qoBytes = a10.bytes - ctxBytes;
  return {
    tokenFlops: layers * f1,
    pairFlops: layers * a10.flops,
    tokenBytes: layers * (b2 - b1 + qoBytes),
    ctxBytes: layers * ctxBytes,
    fixedBytes: layers * (2 * b1 - b2),
  };
}

/** Reference: FLOPs and bytes of a stage for requests (c new tokens, kv cached) — what the engine computes. */
export function stageWork(w: WorkCoefficients, reqs: { c: number; kv: number }[]): { flops: number; bytes: number } {
  let flops = 0,
    ctx = 0,
    T = 0;
  for (const { c, kv } of reqs) {
    flops += w.tokenFlops * c + w.pairFlops * (c * kv + 0.5 * c * (c + 1));
    ctx += kv + c;
    T += c;
  }
  return { flops, bytes: w.fixedBytes + w.tokenBytes * T + w.ctxBytes * ctx };
}
