import { TOKEN_OPS } from "../../src/core/types.js";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findDevice, findModel, findNode } from "../../src/profiles/catalog.js";
import { buildRooflineOpTables, makeRoofline } from "../../src/predictor/roofline.js";
import { readVidurOpTables } from "../../src/predictor/vidur-op-tables.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { alphaBetaAllReduceMs, allReduceTimeMs, ringLink } from "../../src/predictor/collectives.js";
import { expectedMaxStdNormal, kernelJitter, rankSkewFactor } from "../../src/predictor/rank-skew.js";
import { REPO_ROOT, withShared } from "../helpers/shared.js";

const a100 = findDevice("a100");
const node = findNode("a100_pairwise_nvlink");

// build time of this grid is measured in bench/predictor.ts, not asserted here
test("roofline: the 16,384-token grid has Vidur's shapes and finite, positive times", () => {
  const t = buildRooflineOpTables(findModel("meta-llama/Meta-Llama-3-8B"), a100, node, {
    tp: 1,
    pp: 1,
    maxTokens: 16384,
    maxBatch: 128,
    maxChunk: 16384,
    g: 64,
  });
  assert.is(t.attnPrefill.length, 257 * 16384);
  assert.is(t.tokenOps.all_reduce, undefined);
  assert.ok(t.attnPrefill.every((v) => v > 0 && Number.isFinite(v)));
});

test("roofline: allocation-free prefill equals the generic path", () => {
  const rf = makeRoofline(findModel("codellama-34b"), a100, node, { tp: 2, pp: 1 });
  for (const [kv, c] of [
    [0, 1],
    [1024, 300],
    [4096, 4096],
  ] as const)
    assert.ok(Math.abs(rf.prefillMs(kv, c) - rf.prefill(kv, c).ms) < 1e-12);
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

withShared(
  test,
  "roofline vs Vidur's CodeLlama-34B TP2 op tables: token-op MAPE < 10 %",
  ["reference/vidur-parity/codellama34b-tp2/op-tables"],
  (dir) => {
    const v = readVidurOpTables(dir, { tp: 2, pp: 1 });
    const r = buildRooflineOpTables(findModel("codellama-34b"), a100, node, {
      tp: 2,
      pp: 1,
      maxTokens: 4096,
      maxBatch: 128,
      maxChunk: 4096,
      g: 64,
    });
    for (const op of ["attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj", "all_reduce"] as const) {
      let e = 0;
      let n = 0;
      for (let T = 8; T <= 4096; T += 8) (e += Math.abs(r.tokenOps[op]![T]! - v.tokenOps[op]![T]!) / v.tokenOps[op]![T]!), n++;
      assert.ok((100 * e) / n < 10, `${op} ${((100 * e) / n).toFixed(1)} %`);
    }
  },
);

test("roofline: the fast token-op path equals the general one at every size", () => {
  for (const [name, tp] of [
    ["meta-llama/Llama-2-7b-hf", 1],
    ["codellama/CodeLlama-34b-Instruct-hf", 2],
    ["microsoft/phi-2", 1],
  ] as const) {
    const rf = makeRoofline(findModel(name), a100, node, { tp, pp: 2 });
    for (const op of [...TOKEN_OPS, "attn_kv_cache_save"] as const) {
      const fast = rf.tokenOpMsFn(op);
      for (const T of [1, 7, 64, 513, 4096, 100_000]) assert.is(fast(T), rf.tokenOp(op, T).ms, `${name} ${op} T=${T}`);
    }
  }
});

test("fixed per-kernel cost: added once to every kernel, the same at every TP; off for kernel-timed comparisons", () => {
  const m = findModel("meta-llama/Llama-2-70b-hf");
  const h = findDevice("h100");
  const dgx = findNode("h100_dgx");
  const prof = JSON.parse(readFileSync(join(REPO_ROOT, "profiles/efficiency/h100.json"), "utf8"));
  const launch = prof.fixed_costs.kernel_launch_us * 1e-3;
  assert.ok(launch > 0, "h100 has a fitted kernel cost");
  for (const tp of [2, 4, 8]) {
    const on = makeRoofline(m, h, dgx, { tp, pp: 1 });
    const off = makeRoofline(m, h, dgx, { tp, pp: 1, fixedCosts: false });
    // compute kernels also wait for the slowest rank (rank skew); the collective itself only pays the launch
    const skew = rankSkewFactor(tp, prof.rank_jitter.rel_std);
    for (const op of ["mlp_up_proj", "add"] as const)
      assert.ok(Math.abs(on.tokenOp(op, 32).ms - off.tokenOp(op, 32).ms * skew - launch) < 1e-12, op);
    assert.ok(Math.abs(on.tokenOp("all_reduce", 32).ms - off.tokenOp("all_reduce", 32).ms - launch) < 1e-12);
    assert.ok(Math.abs(on.decode(32, 1024).ms - off.decode(32, 1024).ms * skew - launch) < 1e-12);
    assert.ok(Math.abs(on.prefillMs(0, 512) - off.prefillMs(0, 512) * skew - launch) < 1e-12);
    assert.ok(Math.abs(on.tokenOpMsFn("mlp_act")(300) - on.tokenOp("mlp_act", 300).ms) < 1e-12);
  }
  // an explicit override (calibration) replaces the fitted value
  const zero = makeRoofline(m, h, dgx, { tp: 1, pp: 1, kernelLaunchUs: 0 });
  assert.is(zero.tokenOp("add", 64).ms, makeRoofline(m, h, dgx, { tp: 1, pp: 1, fixedCosts: false }).tokenOp("add", 64).ms);
});

test("rank skew: E[max of p standard normals] (1/√π at p = 2), and none at TP 1 or without fixed costs", () => {
  assert.is(expectedMaxStdNormal(1), 0);
  assert.ok(Math.abs(expectedMaxStdNormal(2) - 1 / Math.sqrt(Math.PI)) < 1e-6);
  // published values of the expected maximum of 4 and 8 standard normals
  assert.ok(Math.abs(expectedMaxStdNormal(4) - 1.029375) < 1e-5);
  assert.ok(Math.abs(expectedMaxStdNormal(8) - 1.4236) < 1e-5);
  const m = findModel("meta-llama/Llama-2-70b-hf");
  const h = findDevice("h100");
  const dgx = findNode("h100_dgx");
  const prof = JSON.parse(readFileSync(join(REPO_ROOT, "profiles/efficiency/h100.json"), "utf8"));
  assert.ok(prof.rank_jitter.rel_std > 0.001 && prof.rank_jitter.rel_std < 0.05, "about 1 % kernel jitter");
  const withJ = makeRoofline(m, h, dgx, { tp: 1, pp: 1 }).tokenOp("mlp_up_proj", 64).ms;
  const { rank_jitter: _dropped, ...noJitter } = prof;
  assert.is(withJ, makeRoofline(m, h, dgx, { tp: 1, pp: 1, efficiency: noJitter }).tokenOp("mlp_up_proj", 64).ms, "TP 1: no skew");
  const tp8 = makeRoofline(m, h, dgx, { tp: 8, pp: 1 }).tokenOp("mlp_up_proj", 64).ms;
  const tp8NoJ = makeRoofline(m, h, dgx, { tp: 8, pp: 1, efficiency: noJitter }).tokenOp("mlp_up_proj", 64).ms;
  assert.ok(tp8 > tp8NoJ && tp8 < tp8NoJ * 1.05, `${tp8} vs ${tp8NoJ}`);
});

withShared(test, "rank skew: kernel jitter from Vidur's std columns, about the same at every TP", ["data/vidur/profiling"], (dir) => {
  const j = kernelJitter(dir, "h100");
  assert.ok(j.rows > 1000 && j.rel_std > 0.001 && j.rel_std < 0.05, JSON.stringify(j));
  assert.equal(Object.keys(j.by_tp), ["1", "2", "4", "8"]);
  for (const v of Object.values(j.by_tp)) assert.ok(Math.abs(v / j.rel_std - 1) < 0.25, JSON.stringify(j.by_tp));
});

test("α–β all-reduce: a worker count without its own fit uses the node's α–β model (latency floor + size/bandwidth)", () => {
  const dgx = findNode("h100_dgx");
  const net = JSON.parse(readFileSync(join(REPO_ROOT, "profiles/efficiency/network/h100_dgx.json"), "utf8"));
  const ab = net.all_reduce_alpha_beta;
  assert.ok(ab && ab.alpha_us > 0 && ab.bandwidth_eff > 0 && ab.leave_one_tp_out_mape_pct["8"] < 25);
  const without4 = {
    ...net,
    collectives: { ...net.collectives, all_reduce: { 2: net.collectives.all_reduce["2"], 8: net.collectives.all_reduce["8"] } },
  };
  const tiny = allReduceTimeMs(2048, 4, dgx, without4);
  assert.ok(Math.abs(tiny - alphaBetaAllReduceMs(2048, 4, ringLink(dgx, 4), ab)) < 1e-15);
  assert.ok(tiny > (ab.alpha_us + 2 * ab.alpha_log2_us) * 1e-3, "a tiny message still pays the latency floor");
  const big = 64e6;
  const bwMs = ((1.5 * big) / (dgx.intra_node_bandwidth_gbps * 1e9 * ab.bandwidth_eff)) * 1e3;
  assert.ok(
    Math.abs(
      allReduceTimeMs(big, 4, dgx, without4) -
        tiny -
        (bwMs - ((1.5 * 2048) / (dgx.intra_node_bandwidth_gbps * 1e9 * ab.bandwidth_eff)) * 1e3),
    ) < 1e-9,
  );
});

test.run();
