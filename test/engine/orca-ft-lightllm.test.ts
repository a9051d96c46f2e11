import { test } from "uvu";
import * as assert from "uvu/assert";
import { batchRows, runTiny } from "../helpers/scenario.js";

test("orca: running and new requests share iterations; each new request reserves max_tokens worth of blocks", () => {
  // 2 requests fit in 512 blocks of 256 blocks each, so the third waits until one finishes
  const reqs: Array<[number, number, number]> = [
    [0, 100, 5],
    [0, 100, 5],
    [0, 100, 2],
  ];
  const r = runTiny({ requests: reqs, scheduler: "orca", numBlocks: 512, maxBlocksPerSequence: 256 });
  assert.equal(batchRows(r)[0], [2, 200, 200]);
  assert.ok(r.requests.scheduledAt[2] >= r.requests.completedAt[0], "third request starts after a completion");
});

test("orca: a batch never exceeds min(planner max batch size, cap)", () => {
  const reqs: Array<[number, number, number]> = Array.from({ length: 10 }, () => [0, 20, 3]);
  const r = runTiny({ requests: reqs, scheduler: "orca", plannerMaxBatchSize: 3, batchSizeCap: 128 });
  assert.ok(Math.max(...r.batches.size) <= 3);
});

test("faster_transformer: static batching, new requests wait for the whole batch", () => {
  const reqs: Array<[number, number, number]> = [
    [0, 10, 2],
    [0, 10, 6],
    [0.001, 10, 2],
  ];
  const r = runTiny({ requests: reqs, scheduler: "faster_transformer" });
  const lastOfFirst = Math.max(r.requests.completedAt[0], r.requests.completedAt[1]);
  assert.ok(r.requests.scheduledAt[2] >= lastOfFirst, "request 2 starts after the first batch ends entirely");
  // the first batch shrinks as its requests finish but never admits newcomers
  const sizes = Array.from(r.batches.size);
  assert.equal(sizes.slice(0, 2), [2, 2]);
});

test("faster_transformer: finished requests' blocks are freed with their batch", () => {
  // only room for two worst-case reservations; without freeing, the third request could never start
  const reqs: Array<[number, number, number]> = [
    [0, 10, 2],
    [0, 10, 4],
    [0.001, 10, 2],
    [0.001, 10, 2],
  ];
  const r = runTiny({ requests: reqs, scheduler: "faster_transformer", numBlocks: 512, maxBlocksPerSequence: 256 });
  assert.equal(r.counters.completedRequests, 4);
});

test("lightllm: token-level memory admits by the future-memory estimate", () => {
  // 300 tokens: two requests peak at 2 x (100 + 60) = 320 > 300 if run together, so the second waits
  const reqs: Array<[number, number, number]> = [
    [0, 100, 60],
    [0, 100, 60],
  ];
  const r = runTiny({ requests: reqs, scheduler: "lightllm", numBlocks: 300, blockSize: 1 });
  assert.equal(batchRows(r)[0], [1, 100, 100]);
  assert.equal(r.counters.completedRequests, 2);
});

test("lightllm: a prefill batch is tried every max_waiting_iters decode iterations", () => {
  const reqs: Array<[number, number, number]> = [
    [0, 10, 40],
    [0.05, 10, 5],
  ];
  const r = runTiny({ requests: reqs, scheduler: "lightllm", numBlocks: 100000, blockSize: 1, stepMs: 1 });
  // request 1 arrives during request 0's decodes and is prefilled after at most 10 decode iterations
  const rows = batchRows(r);
  const prefillAt = rows.findIndex(([, , p], i) => i > 0 && p > 0);
  const firstAfterArrival = Array.from(r.batches.scheduledAt).findIndex((t) => t >= 0.05);
  const decodesWaited = prefillAt - firstAfterArrival;
  assert.ok(decodesWaited >= 0 && decodesWaited <= 10, `waited ${decodesWaited} decode iterations`);
});

test.run();
