import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { generateRequests, maxTokensForMemoryPlanner, type WorkloadConfig } from "../../src/workload/index.js";
import { withShared } from "../helpers/shared.js";

function replay(csv: string, cfg: WorkloadConfig = {}, warnings: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), "tw-replay-"));
  writeFileSync(join(dir, "trace.csv"), csv);
  return generateRequests(
    { request_generator_config_type: "trace_replay", trace_request_generator_config_trace_file: "trace.csv", ...cfg },
    { baseDir: dir, warn: (m) => warnings.push(m) },
  );
}

withShared(
  test,
  "splitwise_conv.csv replays 19,366 requests, first (0, 374, 44)",
  ["data/vidur/processed_traces/splitwise_conv.csv"],
  (file) => {
    const s = generateRequests({ request_generator_config_type: "trace_replay", trace_request_generator_config_trace_file: file });
    assert.is(s.arrivedAt.length, 19366);
    assert.equal([s.arrivedAt[0], s.numPrefillTokens[0], s.numDecodeTokens[0]], [0, 374, 44]);
    assert.is(s.arrivedAt[1], 4.314579);
    let maxTotal = 0;
    for (let i = 0; i < s.arrivedAt.length; i++) maxTotal = Math.max(maxTotal, s.numPrefillTokens[i] + s.numDecodeTokens[i]);
    assert.ok(maxTotal <= 4096, "prompts beyond max_tokens were trimmed");
  },
);

test("scale factors truncate, clip to >= 1, and time scales arrivals", () => {
  const s = replay("arrived_at,num_prefill_tokens,num_decode_tokens\n1.0,100,3\n2.5,1,1\n", {
    trace_request_generator_config_prefill_scale_factor: 0.33,
    trace_request_generator_config_decode_scale_factor: 0.5,
    trace_request_generator_config_time_scale_factor: 2,
  });
  assert.equal(Array.from(s.arrivedAt), [2, 5]);
  assert.equal(Array.from(s.numPrefillTokens), [33, 1]); // int(33.0), int(0.33) → 0 → 1
  assert.equal(Array.from(s.numDecodeTokens), [1, 1]); // int(1.5) = 1, int(0.5) → 1
});

test("excess over max_tokens is removed from prefill only", () => {
  const s = replay("arrived_at,num_prefill_tokens,num_decode_tokens\n0,5000,300\n", { trace_request_generator_config_max_tokens: 4096 });
  assert.equal([s.numPrefillTokens[0], s.numDecodeTokens[0]], [3796, 300]);
});

test("a decode count that leaves no prefill within max_tokens is rejected with its line", () => {
  assert.throws(
    () =>
      replay("arrived_at,num_prefill_tokens,num_decode_tokens\n0,10,10\n1,10,5000\n", { trace_request_generator_config_max_tokens: 4096 }),
    (e: unknown) => e instanceof InputError && /trace\.csv:3: num_decode_tokens \(5000 after scaling\) leaves no prefill/.test(e.message),
  );
});

test("unsorted arrivals are sorted stably and reported", () => {
  const warnings: string[] = [];
  const s = replay("arrived_at,num_prefill_tokens,num_decode_tokens\n0,1,1\n5,2,2\n3,3,3\n3,4,4\n", {}, warnings);
  assert.equal(Array.from(s.arrivedAt), [0, 3, 3, 5]);
  assert.equal(Array.from(s.numPrefillTokens), [1, 3, 4, 2]);
  assert.is(warnings.length, 1);
  assert.match(warnings[0], /trace\.csv:4: arrived_at is not sorted/);
});

test("maxTokensForMemoryPlanner reads trace_request_generator_config_max_tokens for trace_replay", () => {
  assert.is(
    maxTokensForMemoryPlanner({ request_generator_config_type: "trace_replay", trace_request_generator_config_max_tokens: 8192 }),
    8192,
  );
});

test.run();
