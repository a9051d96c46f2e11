/**
 * Vidur's ParamCounter (vidur/utils/param_counter.py, spec §8): weights per device for the attention projections
 * and the MLP only — no embeddings, LM head, norms or biases. Used by the memory planner and by Vidur's MFU.
 *
 * @example
 * paramsPerDevice(findModel("meta-llama/Llama-2-7b-hf"), 1, 1) // 6_476_005_376
 */
import { InputError } from "../core/errors.js";
import type { ModelSpec } from "../core/types.js";

/** Parameters of one transformer layer held by one tensor-parallel worker. */
export function paramsPerLayer(model: ModelSpec, tp: number): number {
  checkSharding(model, tp, 1);
  const d = model.embedding_dim / model.num_q_heads;
  const qHeads = model.num_q_heads / tp;
  // KV heads are replicated when TP exceeds their count, hence ceil.
  const kvHeads = Math.ceil(model.num_kv_heads / tp);
  const qkv = model.embedding_dim * d * (qHeads + 2 * kvHeads);
  const o = model.embedding_dim * d * qHeads;
  const mlp = Math.floor(((model.use_gated_mlp ? 3 : 2) * model.embedding_dim * model.mlp_hidden_dim) / tp);
  return qkv + o + mlp;
}

/** Parameters per device for TP `tp` and `pp` pipeline stages (layers split evenly). */
export function paramsPerDevice(model: ModelSpec, tp: number, pp: number): number {
  checkSharding(model, tp, pp);
  return paramsPerLayer(model, tp) * (model.num_layers / pp);
}

/** Vidur's divisibility requirements, as InputErrors naming the flag. */
export function checkSharding(model: ModelSpec, tp: number, pp: number): void {
  if (!Number.isInteger(tp) || tp < 1) throw new InputError(`tensor parallel size must be a positive integer, got ${tp}`);
  if (!Number.isInteger(pp) || pp < 1) throw new InputError(`number of pipeline stages must be a positive integer, got ${pp}`);
  if (model.num_q_heads % tp !== 0) {
    throw new InputError(`tensor parallel size ${tp} must divide ${model.name}'s num_q_heads (${model.num_q_heads})`);
  }
  if (model.embedding_dim % tp !== 0) {
    throw new InputError(`tensor parallel size ${tp} must divide ${model.name}'s embedding_dim (${model.embedding_dim})`);
  }
  if (model.num_layers % pp !== 0) {
    throw new InputError(`number of pipeline stages ${pp} must divide ${model.name}'s num_layers (${model.num_layers})`);
  }
}
