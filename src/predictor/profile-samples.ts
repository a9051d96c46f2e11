/**
 * Turns Vidur profiling rows into (cost, size, measured ms) samples for fitting and cross-validation.
 * Shapes come from the CSV's own config columns, so one file can hold several models and TP degrees.
 *
 * @example
 * const s = mlpSamples(readMlpProfile(file), "mlp_up_proj"); s[0] // { flops, bytes, size: 4096, ms: 3.37, tp: 1, ... }
 */
import type { OpCost, ShardedModel } from "./op-costs.js";
import { decodeAttnCost, prefillAttnCost, tokenOpCost } from "./op-costs.js";
import type { AttentionProfile, MlpOp, MlpProfile } from "./profiling-data.js";

export interface Sample extends OpCost {
  /** The efficiency "size": tokens, prefill chunk or decode batch. */
  size: number;
  ms: number;
  tp: number;
  /** Shape keys for interpolation: tokens (token ops), [kv, chunk] (prefill), [batch, kv] (decode). */
  key: number[];
  shard: ShardedModel;
}

export function mlpShard(p: MlpProfile, i: number, rotaryFraction = 1): ShardedModel {
  const tp = p.tp[i]!;
  const h = p.nEmbd[i]!;
  return {
    hidden: h,
    headDim: h / p.nHead[i]!,
    qHeads: p.nHead[i]! / tp,
    kvHeads: Math.ceil(p.nKvHead[i]! / tp),
    inter: Math.floor(p.nExpanded[i]! / tp),
    gated: p.gated[i]!,
    rotaryFraction,
    weightBytes: 2,
    tp,
  };
}

export function mlpSamples(p: MlpProfile, op: MlpOp, rotaryFraction = 1): Sample[] {
  const out: Sample[] = [];
  const ms = p.ops[op];
  for (let i = 0; i < p.rows; i++) {
    const m = ms[i]!;
    if (!(m > 0)) continue; // absent column or zero-time rows carry no information for a ratio fit
    const shard = mlpShard(p, i, rotaryFraction);
    const T = p.numTokens[i]!;
    out.push({ ...tokenOpCost(shard, op, T), size: T, ms: m, tp: shard.tp, key: [T], shard });
  }
  return out;
}

export function attentionShard(a: AttentionProfile, i: number): ShardedModel {
  const tp = a.tp[i]!;
  const h = a.nEmbd[i]!;
  return {
    hidden: h,
    headDim: h / a.nQHead[i]!,
    qHeads: a.nQHead[i]! / tp,
    kvHeads: Math.ceil(a.nKvHead[i]! / tp),
    inter: 0,
    gated: false,
    rotaryFraction: 1,
    weightBytes: 2,
    tp,
  };
}

export function attentionSamples(a: AttentionProfile, op: "attn_prefill" | "attn_decode"): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < a.rows; i++) {
    const chunk = a.chunk[i]!;
    const shard = attentionShard(a, i);
    if (op === "attn_prefill") {
      const m = a.prefill[i]!;
      if (chunk > 0 && m > 0)
        out.push({ ...prefillAttnCost(shard, a.kv[i]!, chunk), size: chunk, ms: m, tp: shard.tp, key: [a.kv[i]!, chunk], shard });
    } else {
      const m = a.decode[i]!;
      const b = a.batchSize[i]!;
      if (chunk === 0 && m > 0)
        out.push({ ...decodeAttnCost(shard, b, a.kv[i]!), size: b, ms: m, tp: shard.tp, key: [b, a.kv[i]!], shard });
    }
  }
  return out;
}
