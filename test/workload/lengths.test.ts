import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateRequests, type WorkloadConfig } from "../../src/workload/index.js";
import { withShared } from "../helpers/shared.js";

const N = 20000;
function lengths(cfg: WorkloadConfig) {
  return generateRequests({ synthetic_request_generator_config_num_requests: N, ...cfg });
}
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;

test("fixed: every request has exactly the configured tokens (defaults 2048/512)", () => {
  const s = lengths({});
  assert.ok(s.numPrefillTokens.every((p) => p === 2048));
  assert.ok(s.numDecodeTokens.every((d) => d === 512));
});

test("uniform: totals within [min, max], decode = ceil(total/(1+r)), mean near the midpoint", () => {
  const s = lengths({ length_generator_config_type: "uniform" });
  const totals = s.numPrefillTokens.map((p, i) => p + s.numDecodeTokens[i]);
  assert.ok(totals.every((t) => t >= 1023 && t <= 4096));
  assert.ok(s.numDecodeTokens.every((d) => d >= Math.ceil(1024 / 21) && d <= Math.ceil(4096 / 21)));
  assert.ok(Math.abs(mean(totals) / 2560 - 1) < 0.01, `mean total ${mean(totals)}`);
});

test("uniform shares Python's random with poisson: first request matches Vidur (1047, 53)", () => {
  const s = generateRequests({
    length_generator_config_type: "uniform",
    poisson_request_interval_generator_config_qps: 6.45,
    synthetic_request_generator_config_num_requests: 2,
  });
  assert.equal([s.numPrefillTokens[0], s.numDecodeTokens[0]], [1047, 53]);
});

test("zipf: totals within [min, max], skewed to short lengths, decode = floor(total/21)", () => {
  const s = lengths({ length_generator_config_type: "zipf" });
  const totals = s.numPrefillTokens.map((p, i) => p + s.numDecodeTokens[i]);
  assert.ok(totals.every((t) => t >= 1023 && t <= 4096));
  const atMin = s.numDecodeTokens.filter((d, i) => d + s.numPrefillTokens[i] >= 1023 && d === Math.floor(1024 / 21)).length;
  assert.ok(atMin > N * 0.01, "the minimum is the most frequent length");
  assert.ok(mean(totals) < 2560 * 0.97, `mean ${mean(totals)} should be below the midpoint`);
  const lowHalf = totals.filter((t) => t < 2560).length;
  assert.ok(lowHalf > N * 0.55, `${lowHalf} of ${N} in the lower half`);
});

test("zipf scramble stays within [min, max] and is deterministic", () => {
  const cfg: WorkloadConfig = { length_generator_config_type: "zipf", zipf_request_length_generator_config_scramble: true };
  const a = lengths(cfg);
  const b = lengths(cfg);
  const totals = a.numPrefillTokens.map((p, i) => p + a.numDecodeTokens[i]);
  assert.ok(totals.every((t) => t >= 1023 && t <= 4096));
  assert.equal(a.numPrefillTokens, b.numPrefillTokens);
});

test("trace lengths: excess over max_tokens removed proportionally, clipped to >= 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "tw-lengths-"));
  writeFileSync(join(dir, "l.csv"), "num_prefill_tokens,num_decode_tokens,extra\n5000,200,x\n");
  const s = generateRequests(
    {
      length_generator_config_type: "trace",
      trace_request_length_generator_config_trace_file: "l.csv",
      synthetic_request_generator_config_num_requests: 1,
    },
    { baseDir: dir },
  );
  // diff 1104 → prefill −ceil(1104·5000/5200) = −1062, decode −ceil(1104·200/5200) = −43
  assert.equal([s.numPrefillTokens[0], s.numDecodeTokens[0]], [3938, 157]);
});

withShared(
  test,
  "trace lengths: arxiv trace shuffled like pandas df.sample(frac=1, random_state=7)",
  ["data/vidur/processed_traces/arxiv_summarization_stats_llama2_tokenizer_filtered_v2.csv"],
  (file) => {
    const s = generateRequests({
      synthetic_request_generator_config_seed: 7,
      trace_request_length_generator_config_seed: 7,
      length_generator_config_type: "trace",
      poisson_request_interval_generator_config_qps: 2,
      synthetic_request_generator_config_num_requests: 3000,
      trace_request_length_generator_config_trace_file: file,
    });
    // Row 0 of the permutation is file row 2886/47 (checked against NumPy's RandomState(7).permutation).
    assert.equal([s.numPrefillTokens[0], s.numDecodeTokens[0]], [2886, 47]);
    assert.ok(Math.abs(s.arrivedAt[0] - 0.19565742211740214) < 1e-15);
  },
);

test.run();
