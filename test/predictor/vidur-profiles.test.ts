import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findDevice, findModel, findNode } from "../../src/profiles/catalog.js";
import { buildProfileOpTables, makeProfilePredictor } from "../../src/predictor/vidur-profiles.js";
import { readMlpProfile, readCollectiveProfile } from "../../src/predictor/profiling-data.js";
import { InputError } from "../../src/core/errors.js";
import { withShared } from "../helpers/shared.js";

const a100 = findDevice("a100");
const node = findNode("a100_pairwise_nvlink");
const grid = { tp: 2, pp: 1, maxTokens: 4096, maxBatch: 128, maxChunk: 4096, g: 64 };

withShared(test, "profile mode reproduces measured medians at profiled token counts", ["data/vidur/profiling"], (dir) => {
  const file = join(dir, "compute/a100/codellama/CodeLlama-34b-Instruct-hf/mlp.csv");
  const p = readMlpProfile(file);
  const t = buildProfileOpTables(dir, findModel("codellama-34b"), a100, node, grid);
  const i = [...Array(p.rows).keys()].find((k) => p.tp[k] === 2 && p.numTokens[k] === 512)!;
  const rows = [...Array(p.rows).keys()].filter((k) => p.tp[k] === 2 && p.numTokens[k] === 512);
  assert.ok(i !== undefined);
  const meds = rows.map((k) => p.ops.mlp_up_proj[k]!).sort((a, b) => a - b);
  const med = meds.length % 2 ? meds[meds.length >> 1]! : (meds[meds.length / 2 - 1]! + meds[meds.length / 2]!) / 2;
  assert.ok(Math.abs(t.tokenOps.mlp_up_proj![512]! - med) / med < 1e-9);
  assert.match(t.sources.attn_prefill!, /^profile:.*attention\.csv$/);
});

withShared(
  test,
  "profile mode: missing attention profile falls back to roofline, reported once in sources",
  ["data/vidur/profiling"],
  (dir) => {
    const p = makeProfilePredictor(dir, findModel("llama-2-7b"), a100, node, { ...grid, tp: 1 });
    assert.match(p.sources.attn_prefill!, /^roofline \(no profile/);
    assert.match(p.sources.mlp_up_proj!, /^profile:/);
    const h = makeProfilePredictor(dir, findModel("llama-3.1-8b"), findDevice("h100"), findNode("h100_dgx"), { ...grid, tp: 1 });
    assert.match(h.sources.mlp_up_proj!, /^roofline \(no profile: no meta-llama\/Llama-3.1-8B under/);
  },
);

withShared(test, "profile mode: all_reduce from network/<node>/all_reduce.csv", ["data/vidur/profiling"], (dir) => {
  const c = readCollectiveProfile(join(dir, "network/a100_pairwise_nvlink/all_reduce.csv"), "all_reduce");
  assert.ok(c.rows > 1000);
  const p = makeProfilePredictor(dir, findModel("codellama-34b"), a100, node, grid);
  assert.match(p.sources.all_reduce!, /all_reduce\.csv$/);
});

function badDir(mlp: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tw-prof-"));
  const m = join(dir, "compute/a100/meta-llama/Llama-2-7b-hf");
  mkdirSync(m, { recursive: true });
  writeFileSync(join(m, "mlp.csv"), mlp);
  return dir;
}
const HEAD = [
  "n_head",
  "n_kv_head",
  "n_embd",
  "n_expanded_embd",
  "vocab_size",
  "use_gated_mlp",
  "num_tokens",
  "num_tensor_parallel_workers",
];
const OPS = [
  "input_layernorm",
  "attn_pre_proj",
  "attn_rope",
  "attn_post_proj",
  "post_attention_layernorm",
  "mlp_up_proj",
  "mlp_act",
  "mlp_down_proj",
  "add",
];
const row = (ms: number) => [...OPS.map(() => ms), 32, 32, 4096, 11008, 32768, "True", 8, 1].join(",");
const header = [...OPS.map((o) => `time_stats.${o}.median`), ...HEAD].join(",");

test("bad profile: missing column → InputError naming file and column", () => {
  const dir = badDir(`${header.replace("time_stats.mlp_up_proj.median", "x")}\n${row(0.1)}\n`);
  assert.throws(
    () => makeProfilePredictor(dir, findModel("llama-2-7b"), a100, node, { ...grid, tp: 1 }),
    (e: Error) => e instanceof InputError && /mlp\.csv:1: is missing column 'time_stats\.mlp_up_proj\.median'/.test(e.message),
  );
});

test("bad profile: empty file → InputError", () => {
  assert.throws(
    () => makeProfilePredictor(badDir(""), findModel("llama-2-7b"), a100, node, { ...grid, tp: 1 }),
    /mlp\.csv:1: is empty \(expected a header line\)/,
  );
  assert.throws(
    () => makeProfilePredictor(badDir(`${header}\n`), findModel("llama-2-7b"), a100, node, { ...grid, tp: 1 }),
    /has a header but no data rows/,
  );
});

test("bad profile: times in seconds are rejected as wrong units", () => {
  assert.throws(
    () => makeProfilePredictor(badDir(`${header}\n${row(1e-7)}\n`), findModel("llama-2-7b"), a100, node, { ...grid, tp: 1 }),
    /looks like seconds; profiling times must be milliseconds/,
  );
});

test("bad profile dir → InputError", () => {
  assert.throws(() => makeProfilePredictor("/nonexistent/dir", findModel("llama-2-7b"), a100, node, grid), /is not a directory/);
});

test.run();
