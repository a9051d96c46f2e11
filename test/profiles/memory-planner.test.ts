import { test } from "uvu";
import * as assert from "uvu/assert";
import { findDevice, findModel } from "../../src/profiles/catalog.js";
import { planMemory } from "../../src/profiles/memory-planner.js";
import { paramsPerDevice } from "../../src/profiles/param-counter.js";
import { InputError } from "../../src/core/errors.js";

const a100 = findDevice("a100");

test("ParamCounter: Llama-2-7B TP1 = 6,476,005,376 (spec §5.1 worked example)", () => {
  assert.is(paramsPerDevice(findModel("meta-llama/Llama-2-7b-hf"), 1, 1), 6_476_005_376);
});

test("ParamCounter: TP2 halves MLP and Q/O, KV heads ceil-divided", () => {
  const m = findModel("codellama/CodeLlama-34b-Instruct-hf");
  // per layer: 8192·128·(32 + 2·4) + 8192·128·32 + 3·8192·22016/2
  const perLayer = 8192 * 128 * 40 + 8192 * 128 * 32 + (3 * 8192 * 22016) / 2;
  assert.is(paramsPerDevice(m, 2, 1), perLayer * 48);
  // Llama-2-70B has 8 KV heads: TP 16 would replicate them (ceil(8/16) = 1) — use PP to check layer split instead.
  const l70 = findModel("meta-llama/Llama-2-70b-hf");
  assert.is(paramsPerDevice(l70, 4, 2) * 2, paramsPerDevice(l70, 4, 1));
});

test("memory planner: Llama-2-7B TP1 A100 4096 → 29 slots, 7,424 blocks, 74 watermark", () => {
  const p = planMemory({ model: findModel("meta-llama/Llama-2-7b-hf"), device: a100, tp: 1, pp: 1, maxTokens: 4096 });
  assert.is(p.kvBytesPerRequest, 2 * 1024 ** 3);
  assert.is(p.maxBatchSize, 29);
  assert.is(p.maxRequestSlots, 29);
  assert.is(p.numBlocks, 7424);
  assert.is(p.maxBlocksPerSequence, 256);
  assert.is(p.watermarkBlocks, 74);
});

test("memory planner: CodeLlama-34B TP2 → 109 slots, 27,904 blocks", () => {
  const p = planMemory({ model: findModel("codellama/CodeLlama-34b-Instruct-hf"), device: a100, tp: 2, pp: 1, maxTokens: 4096 });
  assert.is(p.maxRequestSlots, 109);
  assert.is(p.numBlocks, 27_904);
});

test("memory planner: Llama-2-70B TP4 → 128 slots, 32,768 blocks", () => {
  const p = planMemory({ model: findModel("meta-llama/Llama-2-70b-hf"), device: a100, tp: 4, pp: 1, maxTokens: 4096 });
  assert.is(p.maxRequestSlots, 128);
  assert.is(p.numBlocks, 32_768);
});

test("memory planner: Llama-3-8B TP1 16384 → 29 slots, 29,696 blocks", () => {
  const p = planMemory({ model: findModel("meta-llama/Meta-Llama-3-8B"), device: a100, tp: 1, pp: 1, maxTokens: 16384 });
  assert.is(p.maxRequestSlots, 29);
  assert.is(p.numBlocks, 29_696);
});

test("memory planner: PP multiplies slots but KV still counts all layers", () => {
  const m = findModel("meta-llama/Llama-2-7b-hf");
  const p1 = planMemory({ model: m, device: a100, tp: 1, pp: 1, maxTokens: 4096 });
  const p2 = planMemory({ model: m, device: a100, tp: 1, pp: 2, maxTokens: 4096 });
  assert.is(p2.kvBytesPerRequest, p1.kvBytesPerRequest);
  assert.is(p2.maxRequestSlots, p2.maxBatchSize * 2);
});

test("memory planner: weights that do not fit → InputError with GB figures", () => {
  assert.throws(
    () => planMemory({ model: findModel("meta-llama/Llama-2-70b-hf"), device: a100, tp: 1, pp: 1, maxTokens: 4096 }),
    (e: Error) => e instanceof InputError && /needs 127\.50 GB of weights per device, more than the 72\.00 GB available/.test(e.message),
  );
});

test("memory planner: no room for one request → InputError", () => {
  assert.throws(
    () => planMemory({ model: findModel("meta-llama/Llama-2-70b-hf"), device: a100, tp: 2, pp: 1, maxTokens: 4096 * 32 }),
    (e: Error) => e instanceof InputError && /not enough memory for a single request/.test(e.message),
  );
});

test("TP that does not divide the heads → InputError", () => {
  assert.throws(() => paramsPerDevice(findModel("meta-llama/Llama-2-7b-hf"), 3, 1), /tensor parallel size 3 must divide/);
});

test.run();
