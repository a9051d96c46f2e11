import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import {
  formatRequestsCsv,
  generateRequests,
  maxTokensForMemoryPlanner,
  readRequestsCsv,
  WORKLOAD_DEFAULTS,
} from "../../src/workload/index.js";
import { pythonFloatRepr } from "../../src/workload/requests-csv.js";
import { withShared } from "../helpers/shared.js";

function throwsInput(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && re.test(e.message));
}

test("WORKLOAD_DEFAULTS are Vidur's (config.py at 7d47513)", () => {
  const d = WORKLOAD_DEFAULTS;
  assert.is(d.request_generator_config_type, "synthetic");
  assert.is(d.synthetic_request_generator_config_num_requests, 128);
  assert.is(d.synthetic_request_generator_config_duration, null);
  assert.is(d.length_generator_config_type, "fixed");
  assert.is(d.interval_generator_config_type, "poisson");
  assert.is(d.poisson_request_interval_generator_config_qps, 0.5);
  assert.equal([d.gamma_request_interval_generator_config_qps, d.gamma_request_interval_generator_config_cv], [0.2, 0.5]);
  assert.equal(
    [d.fixed_request_length_generator_config_prefill_tokens, d.fixed_request_length_generator_config_decode_tokens],
    [2048, 512],
  );
  assert.equal(
    [
      d.zipf_request_length_generator_config_theta,
      d.zipf_request_length_generator_config_min_tokens,
      d.zipf_request_length_generator_config_max_tokens,
      d.zipf_request_length_generator_config_prefill_to_decode_ratio,
      d.zipf_request_length_generator_config_scramble,
    ],
    [0.6, 1024, 4096, 20, false],
  );
  assert.is(d.trace_request_generator_config_trace_file, "data/processed_traces/splitwise_conv.csv");
  assert.is(d.trace_request_interval_generator_config_time_scale_factor, 1.0);
  for (const k of Object.keys(d)) if (k.endsWith("_seed") && !k.includes("hash")) assert.is(d[k], 42, k);
});

test("default config generates 128 fixed-length poisson requests", () => {
  const s = generateRequests();
  assert.is(s.arrivedAt.length, 128);
});

test("maxTokensForMemoryPlanner: the selected length generator's max_tokens (fixed: not prefill+decode)", () => {
  assert.is(maxTokensForMemoryPlanner({}), 4096);
  assert.is(
    maxTokensForMemoryPlanner({
      fixed_request_length_generator_config_prefill_tokens: 100,
      fixed_request_length_generator_config_decode_tokens: 10,
    }),
    4096,
  );
  assert.is(
    maxTokensForMemoryPlanner({ length_generator_config_type: "zipf", zipf_request_length_generator_config_max_tokens: 2048 }),
    2048,
  );
  assert.is(
    maxTokensForMemoryPlanner({ length_generator_config_type: "uniform", fixed_request_length_generator_config_max_tokens: 1 }),
    4096,
  );
});

test("bad type names list the allowed ones", () => {
  throwsInput(
    () => generateRequests({ request_generator_config_type: "trace" }),
    /^--request_generator_config_type must be one of synthetic, trace_replay, got "trace"/,
  );
  throwsInput(
    () => generateRequests({ interval_generator_config_type: "burst" }),
    /^--interval_generator_config_type must be one of poisson, gamma, static, trace, rate_trace, diurnal, got "burst"/,
  );
  throwsInput(
    () => generateRequests({ length_generator_config_type: "normal" }),
    /^--length_generator_config_type must be one of fixed, uniform, zipf, trace, got "normal"/,
  );
  throwsInput(() => maxTokensForMemoryPlanner({ length_generator_config_type: "x" }), /--length_generator_config_type must be one of/);
});

test("bad flag values name the flag and what is allowed", () => {
  throwsInput(
    () => generateRequests({ poisson_request_interval_generator_config_qps: 0 }),
    /^--poisson_request_interval_generator_config_qps must be > 0, got 0/,
  );
  throwsInput(
    () => generateRequests({ synthetic_request_generator_config_num_requests: 2.5 }),
    /num_requests must be an integer, got 2\.5/,
  );
  throwsInput(() => generateRequests({ synthetic_request_generator_config_seed: -1 }), /seed must be >= 0, got -1/);
  throwsInput(
    () => generateRequests({ length_generator_config_type: "zipf", zipf_request_length_generator_config_theta: 1 }),
    /theta must be < 1/,
  );
  throwsInput(
    () => generateRequests({ length_generator_config_type: "uniform", uniform_request_length_generator_config_min_tokens: 5000 }),
    /min_tokens \(5000\) must be <= --uniform_request_length_generator_config_max_tokens \(4096\)/,
  );
  throwsInput(
    () => generateRequests({ poisson_request_interval_generator_config_qps: "4" as unknown as number }),
    /qps must be a finite number, got "4"/,
  );
});

test("a missing trace file is an InputError naming the resolved path", () => {
  throwsInput(
    () => generateRequests({ request_generator_config_type: "trace_replay" }, { baseDir: "/nonexistent" }),
    /^--trace_request_generator_config_trace_file \/nonexistent\/data\/processed_traces\/splitwise_conv\.csv: cannot read the CSV file \(ENOENT\)/,
  );
});

test("pythonFloatRepr matches Python's repr", () => {
  const cases: [number, string][] = [
    [0, "0.0"],
    [3, "3.0"],
    [1e-4, "0.0001"],
    [1.5e-5, "1.5e-05"],
    [1e16, "1e+16"],
    [1e15, "1000000000000000.0"],
    [0.25501507181870026, "0.25501507181870026"],
  ];
  for (const [x, s] of cases) assert.is(pythonFloatRepr(x), s);
});

withShared(
  test,
  "formatRequestsCsv(readRequestsCsv(f)) reproduces Vidur's requests.csv byte for byte (modulo CRLF)",
  ["reference/vidur-parity/codellama34b-tp2/requests.csv"],
  (file) => {
    const text = readFileSync(file, "utf8").replace(/\r\n/g, "\n");
    assert.is(formatRequestsCsv(readRequestsCsv(file)), text);
  },
);

test.run();
