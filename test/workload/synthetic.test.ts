import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { generateRequests, readRequestsCsv } from "../../src/workload/index.js";
import { PARITY_WORKLOAD } from "../helpers/parity.js";
import { withShared } from "../helpers/shared.js";

withShared(
  test,
  "parity: zipf(0.6, 1024..4096, r 20) + poisson qps 4, seed 42, 2000 requests = Vidur's requests.csv",
  ["reference/vidur-parity/codellama34b-tp2/requests.csv"],
  (file) => {
    const expected = readRequestsCsv(file);
    const got = generateRequests(PARITY_WORKLOAD);
    assert.is(got.arrivedAt.length, 2000);
    let maxRel = 0;
    for (let i = 0; i < 2000; i++) {
      maxRel = Math.max(maxRel, Math.abs(got.arrivedAt[i] - expected.arrivedAt[i]) / expected.arrivedAt[i]);
    }
    assert.ok(maxRel <= 1e-12, `max relative arrival error ${maxRel}`);
    assert.equal(got.numPrefillTokens, expected.numPrefillTokens);
    assert.equal(got.numDecodeTokens, expected.numDecodeTokens);
  },
);

test("the first request arrives at the first interval, not at 0", () => {
  const s = generateRequests({ synthetic_request_generator_config_num_requests: 3 });
  assert.ok(s.arrivedAt[0] > 0);
  assert.ok(Math.abs(s.arrivedAt[0] - -Math.log(1 - 0.6394267984578837) / 0.5) < 1e-14);
});

test("num_requests: exactly that many requests, sorted by arrival", () => {
  const s = generateRequests({ synthetic_request_generator_config_num_requests: 777 });
  assert.is(s.arrivedAt.length, 777);
  for (let i = 1; i < 777; i++) assert.ok(s.arrivedAt[i] >= s.arrivedAt[i - 1]);
});

test("duration: stops at the first arrival >= duration and drops it; overrides num_requests", () => {
  const s = generateRequests({
    poisson_request_interval_generator_config_qps: 10,
    synthetic_request_generator_config_duration: 100,
    synthetic_request_generator_config_num_requests: 5,
  });
  assert.ok(s.arrivedAt.length > 900 && s.arrivedAt.length < 1100, `${s.arrivedAt.length} requests`);
  assert.ok(s.arrivedAt[s.arrivedAt.length - 1] < 100);
  // the same seed without a duration gives the same prefix
  const prefix = generateRequests({
    poisson_request_interval_generator_config_qps: 10,
    synthetic_request_generator_config_num_requests: s.arrivedAt.length + 1,
  });
  assert.ok(prefix.arrivedAt[s.arrivedAt.length] >= 100);
  assert.equal(prefix.arrivedAt.slice(0, s.arrivedAt.length), s.arrivedAt);
});

test("different seeds give different streams; the same seed the same stream", () => {
  const a = generateRequests({ synthetic_request_generator_config_seed: 1, length_generator_config_type: "uniform" });
  const b = generateRequests({ synthetic_request_generator_config_seed: 1, length_generator_config_type: "uniform" });
  const c = generateRequests({ synthetic_request_generator_config_seed: 2, length_generator_config_type: "uniform" });
  assert.equal(a, b);
  assert.not.equal(a.arrivedAt, c.arrivedAt);
});

test("static intervals with a duration are rejected (Vidur would loop forever)", () => {
  assert.throws(
    () => generateRequests({ interval_generator_config_type: "static", synthetic_request_generator_config_duration: 10 }),
    (e: unknown) => e instanceof InputError && /never advances time/.test(e.message),
  );
});

test("neither num_requests nor duration (without trace intervals) is rejected", () => {
  assert.throws(
    () => generateRequests({ synthetic_request_generator_config_num_requests: null }),
    (e: unknown) => e instanceof InputError && /num_requests or --synthetic_request_generator_config_duration/.test(e.message),
  );
});

test("lengths yielding 0 decode tokens are rejected with the generator named", () => {
  assert.throws(
    () =>
      generateRequests({
        length_generator_config_type: "zipf",
        zipf_request_length_generator_config_min_tokens: 5,
        zipf_request_length_generator_config_max_tokens: 10,
      }),
    (e: unknown) => e instanceof InputError && /zipf produced request 0 with \d+ prefill and 0 decode/.test(e.message),
  );
});

test.run();
