/**
 * FLOPs and HBM bytes of every Vidur operator for one layer on one tensor-parallel worker. Shared by the roofline
 * predictor (time) and the energy model (work per batch stage). Activations are FP16 (2 bytes); weights are
 * FP16 or FP8 (`weightBytes`). GEMM FLOPs are 2·M·N·K; attention counts causal pairs (a chunk of c tokens after
 * kv cached tokens scores c·kv + c(c+1)/2 pairs).
 *
 * @example
 * const s = shardModel(findModel("meta-llama/Llama-2-7b-hf"), 1);
 * tokenOpCost(s, "mlp_up_proj", 1)    // { flops: 2·4096·22016, bytes: 2·4096·22016 + 2·(4096 + 22016) }
 * decodeAttnCost(s, 8, 1024).bytes     // 8 requests × 1024 tokens × K,V × 32 heads × 128 × 2 B (+ q, out)
 */
import { InputError } from "../core/errors.js";
import type { ModelSpec, TokenOp } from "../core/types.js";

/** The per-worker dimensions an operator sees. */
export interface ShardedModel {
  /** Hidden size (not sharded: norms and residual adds see all of it). */
  hidden: number;
  headDim: number;
  /** Query heads per worker. */
  qHeads: number;
  /** KV heads per worker (replicated when TP > num_kv_heads, hence ceil). */
  kvHeads: number;
  /** MLP intermediate size per worker. */
  inter: number;
  gated: boolean;
  rotaryFraction: number;
  /** Bytes per weight element (2 FP16/BF16, 1 FP8). */
  weightBytes: number;
  tp: number;
}

export interface OpCost {
  flops: number;
  bytes: number;
  /**
   * Prefill attention only: the part of `flops` spent on causal pairs inside the chunk. FlashAttention runs
   * these (masked diagonal tiles) at a lower rate than pairs against cached KV; the roofline weighs them by
   * the fitted `causal_weight` (efficiency.ts). Ignored everywhere else.
   */
  causalFlops?: number;
}

export type Precision = "fp16" | "fp8";
const ACT = 2; // bytes per activation element (FP16/BF16)

export function shardModel(model: ModelSpec, tp: number, precision: Precision = "fp16"): ShardedModel {
  if (model.no_tensor_parallel && tp > 1)
    throw new InputError(`${model.name} does not support tensor parallelism (no_tensor_parallel); use TP 1`);
  if (model.num_q_heads % tp !== 0)
    throw new InputError(`tensor parallel size ${tp} must divide ${model.name}'s num_q_heads (${model.num_q_heads})`);
  return {
    hidden: model.embedding_dim,
    headDim: model.embedding_dim / model.num_q_heads,
    qHeads: model.num_q_heads / tp,
    kvHeads: Math.ceil(model.num_kv_heads / tp),
    inter: Math.floor(model.mlp_hidden_dim / tp),
    gated: model.use_gated_mlp,
    rotaryFraction: model.partial_rotary_factor ?? 1,
    weightBytes: precision === "fp8" ? 1 : 2,
    tp,
  };
}

/** A [T, K] × [K, N] GEMM reading its weights once. */
export function gemmCost(T: number, K: number, N: number, weightBytes: number): OpCost {
  return { flops: 2 * T * K * N, bytes: weightBytes * K * N + ACT * T * (K + N) };
}

/** Output columns of the fused QKV projection. */
export function qkvWidth(s: ShardedModel): number {
  return (s.qHeads + 2 * s.kvHeads) * s.headDim;
}

/**
 * Cost of a token-count-keyed op at T tokens. For all_reduce / send_recv `bytes` is the message size
 * (T·hidden·2) and `flops` the reduction adds; their time comes from link bandwidth, not HBM.
 */
export function tokenOpCost(s: ShardedModel, op: TokenOp | "attn_kv_cache_save", T: number): OpCost {
  const h = s.hidden;
  switch (op) {
    case "attn_pre_proj":
      return gemmCost(T, h, qkvWidth(s), s.weightBytes);
    case "attn_post_proj":
      return gemmCost(T, s.qHeads * s.headDim, h, s.weightBytes);
    case "mlp_up_proj":
      return gemmCost(T, h, (s.gated ? 2 : 1) * s.inter, s.weightBytes);
    case "mlp_down_proj":
      return gemmCost(T, s.inter, h, s.weightBytes);
    case "mlp_act": {
      // gated: silu(gate)·up reads 2I writes I; plain: gelu reads I writes I. ~8 FLOPs per output element.
      const inElems = (s.gated ? 2 : 1) * s.inter;
      return { flops: 8 * T * s.inter, bytes: ACT * T * (inElems + s.inter) };
    }
    case "input_layernorm":
    case "post_attention_layernorm":
      // read x and the weight, write y; mean/var/scale ≈ 5 FLOPs per element.
      return { flops: 5 * T * h, bytes: ACT * (2 * T * h + h) };
    case "add":
      return { flops: T * h, bytes: ACT * 3 * T * h };
    case "attn_rope": {
      const elems = T * (s.qHeads + s.kvHeads) * s.headDim * s.rotaryFraction;
      return { flops: 3 * elems, bytes: ACT * 2 * elems };
    }
    case "attn_kv_cache_save": {
      // copy K and V of T tokens into the paged cache: read + write.
      const elems = T * 2 * s.kvHeads * s.headDim;
      return { flops: 0, bytes: ACT * 2 * elems };
    }
    case "all_reduce":
      return { flops: (T * h * (s.tp - 1)) / s.tp, bytes: collectiveMessageBytes(s, T) };
    case "send_recv":
      return { flops: 0, bytes: collectiveMessageBytes(s, T) };
  }
}

/** Bytes exchanged by the TP all-reduce / PP send-recv at T tokens (Vidur: num_tokens = size / n_embd / 2). */
export function collectiveMessageBytes(s: ShardedModel, T: number): number {
  return T * s.hidden * ACT;
}

/** Decode attention: `batch` requests of one query token each over `kv` cached tokens. */
export function decodeAttnCost(s: ShardedModel, batch: number, kv: number): OpCost {
  const ctx = kv + 1;
  const flops = 4 * batch * s.qHeads * s.headDim * ctx;
  const kvBytes = ACT * batch * ctx * 2 * s.kvHeads * s.headDim;
  const qoBytes = ACT * batch * 2 * s.qHeads * s.headDim;
  return { flops, bytes: kvBytes + qoBytes };
}

/** Prefill attention: a chunk of `chunk` tokens after `kv` cached tokens (causal within the chunk). */
export function prefillAttnCost(s: ShardedModel, kv: number, chunk: number): OpCost {
  const pairs = chunk * kv + (chunk * (chunk + 1)) / 2;
  const flops = 4 * s.qHeads * s.headDim * pairs;
  const bytes = ACT * (2 * chunk * s.qHeads * s.headDim + 2 * (kv + chunk) * s.kvHeads * s.headDim);
  return { flops, bytes, causalFlops: (4 * s.qHeads * s.headDim * chunk * (chunk + 1)) / 2 };
}
