import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { generateRequests, maxTokensForMemoryPlanner, type WorkloadConfig } from "../../src/workload/index.js";

function throwsInput(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && re.test(e.message));
}
const base: WorkloadConfig = {
  length_generator_config_type: "uniform",
  poisson_request_interval_generator_config_qps: 4,
  synthetic_request_generator_config_num_requests: 5000,
  deferrable_fraction: 0.3,
};
const fixedDeferrable: WorkloadConfig = {
  ...base,
  deferrable_length_generator_config_type: "fixed",
  deferrable_fixed_request_length_generator_config_prefill_tokens: 6000,
  deferrable_fixed_request_length_generator_config_decode_tokens: 900,
  deferrable_fixed_request_length_generator_config_max_tokens: 8192,
};

test("deferrable rows get the deferrable generator's lengths; interactive rows and arrivals are untouched", () => {
  const plain = generateRequests(base);
  const s = generateRequests(fixedDeferrable);
  assert.equal(s.arrivedAt, plain.arrivedAt);
  assert.equal(s.requestClass, plain.requestClass);
  for (let i = 0; i < s.arrivedAt.length; i++) {
    if (s.requestClass![i] === 1) assert.equal([s.numPrefillTokens[i], s.numDecodeTokens[i]], [6000, 900]);
    else assert.equal([s.numPrefillTokens[i], s.numDecodeTokens[i]], [plain.numPrefillTokens[i], plain.numDecodeTokens[i]]);
  }
});

test("a random deferrable generator draws from its own stream: deterministic, within its bounds", () => {
  const cfg: WorkloadConfig = {
    ...base,
    deferrable_length_generator_config_type: "uniform",
    deferrable_uniform_request_length_generator_config_min_tokens: 5000,
    deferrable_uniform_request_length_generator_config_max_tokens: 8000,
  };
  const a = generateRequests(cfg);
  const again = generateRequests(cfg);
  assert.equal([again.numPrefillTokens, again.numDecodeTokens], [a.numPrefillTokens, a.numDecodeTokens]);
  assert.equal(again.requestClass, a.requestClass);
  const plain = generateRequests(base);
  for (let i = 0; i < a.arrivedAt.length; i++) {
    const total = a.numPrefillTokens[i] + a.numDecodeTokens[i];
    if (a.requestClass![i] === 1) assert.ok(total >= 4999 && total <= 8000, String(total));
    else assert.is(total, plain.numPrefillTokens[i] + plain.numDecodeTokens[i]);
  }
});

test("the memory planner reserves the larger max_tokens of the two generators", () => {
  assert.is(maxTokensForMemoryPlanner(base), 4096);
  assert.is(maxTokensForMemoryPlanner(fixedDeferrable), 8192);
});

test("deferrable length flags: errors name the prefixed flag; they need the type and the classes", () => {
  throwsInput(
    () => generateRequests({ ...fixedDeferrable, deferrable_fixed_request_length_generator_config_prefill_tokens: 0 }),
    /^--deferrable_fixed_request_length_generator_config_prefill_tokens must be >= 1/,
  );
  throwsInput(
    () => generateRequests({ ...base, deferrable_fixed_request_length_generator_config_prefill_tokens: 10 }),
    /--deferrable_fixed_request_length_generator_config_prefill_tokens applies to deferrable requests: give --deferrable_length/,
  );
  throwsInput(
    () => generateRequests({ ...fixedDeferrable, deferrable_fraction: null }),
    /--deferrable_length_generator_config_type applies to deferrable requests: give --deferrable-fraction too/,
  );
  throwsInput(
    () => generateRequests({ ...base, deferrable_length_generator_config_type: "normal" }),
    /--deferrable_length_generator_config_type must be one of fixed, uniform, zipf, trace/,
  );
});

test.run();
