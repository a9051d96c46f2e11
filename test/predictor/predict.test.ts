import { test } from "uvu";
import * as assert from "uvu/assert";
import { Command } from "commander";
import { findDevice, findModel, findNode } from "../../src/profiles/catalog.js";
import { buildOpTables, predictBatch } from "../../src/predictor/index.js";
import { register } from "../../src/cli/commands/predict.js";
import { InputError } from "../../src/core/errors.js";
import { withShared } from "../helpers/shared.js";

const opts = {
  model: findModel("codellama-34b"),
  device: findDevice("a100"),
  node: findNode("a100_pairwise_nvlink"),
  tp: 2,
  pp: 1,
  maxTokens: 4096,
  maxBatch: 128,
  maxChunk: 4096,
  g: 64,
};
const FIX = "reference/vidur-parity/codellama34b-tp2/op-tables";

withShared(test, "predictBatch(op-tables) follows Vidur's §6 formula for a mixed batch", [FIX], (dir) => {
  const o = { ...opts, opTablesDir: dir };
  const t = buildOpTables("op-tables", o);
  const p = predictBatch("op-tables", o, {
    requests: [
      { tokens: 300, processed: 0, prefill: true },
      { tokens: 1, processed: 1000, prefill: false },
      { tokens: 1, processed: 1100, prefill: false },
    ],
  });
  const T = 302;
  const k = 304; // ceil8
  const tok = (op: keyof typeof t.tokenOps) => t.tokenOps[op]![k]!;
  // decode: b = 2, kv = roundup64(trunc(2100/2)) = 1088, GQA +10 %; prefill: kv 0, chunk 300.
  const perLayer =
    tok("attn_pre_proj") +
    tok("attn_post_proj") +
    tok("attn_rope") +
    tok("input_layernorm") +
    tok("mlp_up_proj") +
    tok("mlp_down_proj") +
    tok("mlp_act") +
    tok("post_attention_layernorm") +
    tok("add") +
    t.attnKvCacheSave[T]! +
    t.attnDecode[1 * t.decodeKvSteps + 1088 / 64]! * 1.1 +
    t.attnPrefill[299]! +
    2 * (tok("all_reduce") + 0.02);
  assert.ok(Math.abs(p.total_ms - perLayer * 48) < 1e-9, `${p.total_ms} vs ${perLayer * 48}`);
  assert.ok(p.flops > 0 && p.bytes > 0);
});

test("predictBatch(roofline): per-op ms sum to total; FLOPs = Σ ops", () => {
  const p = predictBatch("roofline", opts, { requests: [{ tokens: 512, processed: 0, prefill: true }] });
  const sum = Object.values(p.ops).reduce((s, o) => s + o.ms, 0);
  assert.ok(Math.abs(sum - p.total_ms) < 1e-9);
  assert.is(p.ops.attn_decode, undefined);
  assert.is(p.ops.mlp_up_proj!.flops, 2 * 512 * 8192 * (2 * 11008) * 48);
  assert.is(p.ops.mlp_up_proj!.source, "roofline");
});

test("unknown predictor source → InputError listing the allowed ones", () => {
  assert.throws(
    () => buildOpTables("magic", opts),
    (e: Error) => e instanceof InputError && /allowed: roofline, profile, op-tables/.test(e.message),
  );
});

test("CLI predict prints the prediction as JSON: chunks at --kv context and --decode requests", () => {
  const lines: string[] = [];
  const orig = console.log;
  console.log = (s: string) => void lines.push(s);
  try {
    const program = new Command().exitOverride();
    register(program);
    program.parse(
      [
        "predict",
        "--model",
        "codellama-34b",
        "--tp",
        "2",
        "--network-device",
        "a100_pairwise_nvlink",
        "--prefill",
        "512,256",
        "--decode",
        "3",
        "--kv",
        "1024",
      ],
      { from: "user" },
    );
  } finally {
    console.log = orig;
  }
  const out = JSON.parse(lines.join("\n"));
  assert.ok(out.total_ms > 0);
  assert.ok(out.ops.attn_prefill.ms > 0 && out.ops.attn_decode.ms > 0);
  // the batch: 512 + 256 prefill tokens and 3 decode tokens → the token ops see 771 tokens
  const alone = predictBatch(
    "roofline",
    { ...opts, model: findModel("codellama-34b"), tp: 2 },
    {
      requests: [
        { tokens: 512, processed: 1024, prefill: true },
        { tokens: 256, processed: 1024, prefill: true },
        ...Array.from({ length: 3 }, () => ({ tokens: 1, processed: 1024, prefill: false })),
      ],
    },
  );
  assert.is(out.total_ms, alone.total_ms);
});

test.run();
