import { test } from "uvu";
import * as assert from "uvu/assert";
import { findModel } from "../../src/profiles/catalog.js";
import { decodeAttnCost, prefillAttnCost, shardModel, tokenOpCost } from "../../src/predictor/op-costs.js";

const l2 = findModel("meta-llama/Llama-2-7b-hf"); // 32 heads × 128, MHA, gated 11008
const cl = findModel("codellama/CodeLlama-34b-Instruct-hf"); // 64 q / 8 kv heads, 8192, gated 22016

test("Llama-2-7B TP1: QKV projection FLOPs and bytes by hand", () => {
  const c = tokenOpCost(shardModel(l2, 1), "attn_pre_proj", 100);
  assert.is(c.flops, 2 * 100 * 4096 * (3 * 4096));
  assert.is(c.bytes, 2 * 4096 * 12288 + 2 * 100 * (4096 + 12288));
});

test("gated MLP up-projection is twice as wide as a plain one", () => {
  const gated = tokenOpCost(shardModel(l2, 1), "mlp_up_proj", 8);
  assert.is(gated.flops, 2 * 8 * 4096 * 2 * 11008);
  const phi = findModel("microsoft/phi-2"); // plain GELU MLP 2560 → 10240
  assert.is(tokenOpCost(shardModel(phi, 1), "mlp_up_proj", 8).flops, 2 * 8 * 2560 * 10240);
});

test("TP sharding: TP2 halves GEMM FLOPs, norms keep the full hidden size", () => {
  const s1 = shardModel(l2, 1);
  const s2 = shardModel(l2, 2);
  assert.is(tokenOpCost(s2, "mlp_down_proj", 64).flops * 2, tokenOpCost(s1, "mlp_down_proj", 64).flops);
  assert.is(tokenOpCost(s2, "input_layernorm", 64).bytes, tokenOpCost(s1, "input_layernorm", 64).bytes);
});

test("GQA: CodeLlama TP2 has 32 q and 4 kv heads per worker; KV bytes use kv heads", () => {
  const s = shardModel(cl, 2);
  assert.is(s.qHeads, 32);
  assert.is(s.kvHeads, 4);
  assert.is(tokenOpCost(s, "attn_pre_proj", 1).flops, 2 * 8192 * (32 + 8) * 128);
  const d = decodeAttnCost(s, 2, 1023); // 1024 positions incl. the new token
  assert.is(d.bytes, 2 * 2 * 1024 * 2 * 4 * 128 + 2 * 2 * 2 * 32 * 128);
  assert.is(d.flops, 4 * 2 * 32 * 128 * 1024);
});

test("KV heads replicate when TP exceeds their count", () => {
  assert.is(shardModel(cl, 16).kvHeads, 1);
});

test("prefill attention counts causal pairs", () => {
  const s = shardModel(l2, 1);
  assert.is(prefillAttnCost(s, 0, 4).flops, 4 * 32 * 128 * 10); // 1+2+3+4 pairs
  assert.is(prefillAttnCost(s, 100, 4).flops, 4 * 32 * 128 * (400 + 10));
});

test("all_reduce message is T × hidden × 2 bytes", () => {
  assert.is(tokenOpCost(shardModel(cl, 2), "all_reduce", 10).bytes, 10 * 8192 * 2);
});

test("FP8 weights halve the weight bytes of a GEMM", () => {
  const a = tokenOpCost(shardModel(l2, 1, "fp16"), "mlp_down_proj", 1);
  const b = tokenOpCost(shardModel(l2, 1, "fp8"), "mlp_down_proj", 1);
  assert.is(a.bytes - b.bytes, 11008 * 4096);
});

test.run();
