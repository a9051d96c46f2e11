import { test } from "uvu";
import * as assert from "uvu/assert";
import { batchRows, runTiny } from "../helpers/scenario.js";

test("prefill-first: requests waiting together are prefilled in one batch", () => {
  const r = runTiny({
    requests: [
      [0, 100, 3],
      [0, 200, 2],
    ],
    scheduler: "vllm",
  });
  assert.equal(batchRows(r)[0], [2, 300, 300]);
});

test("a waiting prompt is admitted before running requests decode", () => {
  const r = runTiny({
    requests: [
      [0, 100, 3],
      [0, 200, 2],
      [0.001, 50, 2],
    ],
    scheduler: "vllm",
  });
  assert.equal(batchRows(r), [
    [2, 300, 300],
    [1, 50, 50],
    [3, 3, 0],
    [1, 1, 0],
  ]);
});

test("the prefill token budget is padded: size x longest prompt must fit max_tokens_in_batch", () => {
  // 2 x 3000 > 4096, so the second prompt waits for the next batch
  const r = runTiny({
    requests: [
      [0, 3000, 1],
      [0, 1000, 1],
    ],
    scheduler: "vllm",
    maxTokensInBatch: 4096,
  });
  assert.equal(batchRows(r).slice(0, 2), [
    [1, 3000, 3000],
    [1, 1000, 1000],
  ]);
});

test("batch_size_cap limits a batch", () => {
  const reqs: Array<[number, number, number]> = Array.from({ length: 5 }, () => [0, 10, 2]);
  const r = runTiny({ requests: reqs, scheduler: "vllm", batchSizeCap: 2 });
  assert.ok(Math.max(...r.batches.size) <= 2);
  assert.equal(r.counters.completedRequests, 5);
});

test("out of blocks, the latest-arrived running request is preempted and recomputed", () => {
  // 3 requests of 16 prompt tokens (1 block each) growing to 48 tokens; 5 blocks cannot hold all three
  const r = runTiny({
    requests: [
      [0, 16, 32],
      [0.0001, 16, 32],
      [0.0002, 16, 32],
    ],
    scheduler: "vllm",
    numBlocks: 5,
  });
  assert.equal(r.counters.completedRequests, 3);
  assert.ok(r.counters.restarts > 0, "some request was restarted");
  assert.equal(r.requests.numRestarts[0], 0, "the first-arrived request is never the victim");
  const restarted = Array.from(r.requests.numRestarts).findIndex((x) => x > 0);
  // recomputation: processed tokens became prompt, so the prompt grew and prompt + decode is unchanged
  assert.ok(r.requests.numPrefillTokens[restarted] > 16);
  assert.equal(r.requests.numPrefillTokens[restarted] + r.requests.numDecodeTokens[restarted], 48);
});

test("a prompt longer than max_tokens_in_batch can never run and is reported", async () => {
  const { InputError } = await import("../../src/core/errors.js");
  try {
    runTiny({ requests: [[0, 5000, 2]], scheduler: "vllm", maxTokensInBatch: 4096 });
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /could never be scheduled/);
    assert.match((e as Error).message, /max_tokens_in_batch/);
  }
});

test.run();
