import { test } from "uvu";
import * as assert from "uvu/assert";
import { batchRows, runTiny } from "../helpers/scenario.js";

test("a long prompt is prefilled in chunk_size chunks", () => {
  const r = runTiny({ requests: [[0, 1200, 2]], scheduler: "sarathi", chunkSize: 512 });
  assert.equal(batchRows(r), [
    [1, 512, 512],
    [1, 512, 512],
    [1, 176, 176],
    [1, 1, 0],
  ]);
});

test("a new request fills the budget left by a running prefill", () => {
  const r = runTiny({
    requests: [
      [0, 1000, 3],
      [0.001, 50, 3],
    ],
    scheduler: "sarathi",
    chunkSize: 512,
  });
  assert.equal(batchRows(r).slice(0, 3), [
    [1, 512, 512],
    [2, 512, 512],
    [2, 27, 26],
  ]);
});

test("decodes piggyback on prefill chunks and always get their token", () => {
  const reqs: Array<[number, number, number]> = [
    [0, 64, 50],
    [0, 64, 50],
    [0.05, 2000, 2],
  ];
  const r = runTiny({ requests: reqs, scheduler: "sarathi", chunkSize: 256 });
  const mixed = batchRows(r).filter(([, tokens, prefill]) => prefill > 0 && tokens > prefill);
  assert.ok(mixed.length > 0, "some batch mixes decodes and a prefill chunk");
  for (const [, tokens, prefill] of mixed) assert.equal(tokens - prefill + prefill, tokens);
  assert.ok(
    mixed.every(([, tokens]) => tokens <= 256),
    "the budget holds when decodes fit in it",
  );
});

test("every request completes with exactly prompt + decode tokens processed", () => {
  const reqs: Array<[number, number, number]> = Array.from({ length: 40 }, (_, i) => [i * 0.01, 100 + 37 * i, 5 + (i % 7)]);
  const r = runTiny({ requests: reqs, scheduler: "sarathi", chunkSize: 512 });
  assert.equal(r.counters.completedRequests, 40);
  const total = r.batches.numTokens.reduce((a, b) => a + b, 0);
  // each request contributes P prompt tokens and D-1 decode iterations (the first token comes with the prefill)
  const expected = reqs.reduce((a, [, p, d]) => a + p + d - 1, 0);
  assert.is(total, expected);
});

test.run();
