import { TOKEN_OPS } from "../../src/core/types.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findDevice, findModel, findNode } from "../../src/profiles/catalog.js";
import { buildRooflineOpTables, makeRoofline } from "../../src/predictor/roofline.js";
import { readVidurOpTables } from "../../src/predictor/vidur-op-tables.js";
import { withShared } from "../helpers/shared.js";

const a100 = findDevice("a100");
const node = findNode("a100_pairwise_nvlink");

// build time of this grid is measured in bench/predictor.ts, not asserted here
test("roofline: the 16,384-token grid has Vidur's shapes and finite, positive times", () => {
  const t = buildRooflineOpTables(findModel("meta-llama/Meta-Llama-3-8B"), a100, node, { tp: 1, pp: 1, maxTokens: 16384, maxBatch: 128, maxChunk: 16384, g: 64 });
  assert.is(t.attnPrefill.length, 257 * 16384);
  assert.is(t.tokenOps.all_reduce, undefined);
  assert.ok(t.attnPrefill.every((v) => v > 0 && Number.isFinite(v)));
});

test("roofline: allocation-free prefill equals the generic path", () => {
  const rf = makeRoofline(findModel("codellama-34b"), a100, node, { tp: 2, pp: 1 });
  for (const [kv, c] of [[0, 1], [1024, 300], [4096, 4096]] as const) assert.ok(Math.abs(rf.prefillMs(kv, c) - rf.prefill(kv, c).ms) < 1e-12);
});

test("roofline: decode is memory-bound — time grows with KV length", () => {
  const rf = makeRoofline(findModel("llama-2-7b"), a100, node, { tp: 1, pp: 1 });
  assert.ok(rf.decode(64, 4096).ms > 2 * rf.decode(64, 1024).ms);
});

test("roofline: H100 is faster than A100 on a large GEMM, FP8 faster still", () => {
  const m = findModel("llama-2-70b");
  const h = findDevice("h100");
  const a = makeRoofline(m, a100, node, { tp: 4, pp: 1 }).tokenOp("mlp_up_proj", 4096).ms;
  const b = makeRoofline(m, h, findNode("h100_dgx"), { tp: 4, pp: 1 }).tokenOp("mlp_up_proj", 4096).ms;
  const c = makeRoofline(m, h, findNode("h100_dgx"), { tp: 4, pp: 1, precision: "fp8" }).tokenOp("mlp_up_proj", 4096).ms;
  assert.ok(b < a && c < b, `${a} ${b} ${c}`);
});

test("roofline: all_reduce across NVLink pairs (TP4 on a pairwise node) is slower than on a DGX", () => {
  const m = findModel("llama-2-70b");
  const pair = makeRoofline(m, a100, node, { tp: 4, pp: 1 }).tokenOp("all_reduce", 4096).ms;
  const dgx = makeRoofline(m, a100, findNode("a100_dgx"), { tp: 4, pp: 1 }).tokenOp("all_reduce", 4096).ms;
  assert.ok(pair > dgx, `${pair} vs ${dgx}`);
});

withShared(test, "roofline vs Vidur's CodeLlama-34B TP2 op tables: token-op MAPE < 10 %", ["reference/vidur-parity/codellama34b-tp2/op-tables"], (dir) => {
  const v = readVidurOpTables(dir, { tp: 2, pp: 1 });
  const r = buildRooflineOpTables(findModel("codellama-34b"), a100, node, { tp: 2, pp: 1, maxTokens: 4096, maxBatch: 128, maxChunk: 4096, g: 64 });
  for (const op of ["attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj", "all_reduce"] as const) {
    let e = 0;
    let n = 0;
    for (let T = 8; T <= 4096; T += 8) (e += Math.abs(r.tokenOps[op]![T]! - v.tokenOps[op]![T]!) / v.tokenOps[op]![T]!), n++;
    assert.ok((100 * e) / n < 10, `${op} ${((100 * e) / n).toFixed(1)} %`);
  }
});

test("roofline: the fast token-op path equals the general one at every size", () => {
  for (const [name, tp] of [["meta-llama/Llama-2-7b-hf", 1], ["codellama/CodeLlama-34b-Instruct-hf", 2], ["microsoft/phi-2", 1]] as const) {
    const rf = makeRoofline(findModel(name), a100, node, { tp, pp: 2 });
    for (const op of [...TOKEN_OPS, "attn_kv_cache_save"] as const) {
      const fast = rf.tokenOpMsFn(op);
      for (const T of [1, 7, 64, 513, 4096, 100_000]) assert.is(fast(T), rf.tokenOp(op, T).ms, `${name} ${op} T=${T}`);
    }
  }
});

test.run();
