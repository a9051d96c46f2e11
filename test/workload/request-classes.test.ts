import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { generateRequests, type WorkloadConfig } from "../../src/workload/index.js";

function throwsInput(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && re.test(e.message));
}
const base: WorkloadConfig = {
  length_generator_config_type: "uniform",
  poisson_request_interval_generator_config_qps: 4,
  synthetic_request_generator_config_num_requests: 20_000,
};

test("classes: the deferrable share is the fraction (binomial tolerance), deadlines per class", () => {
  const s = generateRequests({ ...base, deferrable_fraction: 0.3, deferrable_deadline_s: 600 });
  let deferrable = 0;
  for (let i = 0; i < s.requestClass!.length; i++) {
    if (s.requestClass![i] === 1) {
      deferrable++;
      assert.is(s.deadlineS![i], 600);
    } else assert.ok(Number.isNaN(s.deadlineS![i]));
  }
  const n = 20_000,
    sd = Math.sqrt(n * 0.3 * 0.7);
  assert.ok(Math.abs(deferrable - 0.3 * n) <= 5 * sd, `${deferrable} deferrable of ${n}`);
});

test("classes leave arrivals and lengths exactly as without them (own stream)", () => {
  const plain = generateRequests(base);
  const classed = generateRequests({ ...base, deferrable_fraction: 0.5 });
  assert.equal(classed.arrivedAt, plain.arrivedAt);
  assert.equal(classed.numPrefillTokens, plain.numPrefillTokens);
  assert.equal(classed.numDecodeTokens, plain.numDecodeTokens);
  assert.is(plain.requestClass, undefined, "no classes without --deferrable-fraction");
});

test("classes: fractions 0 and 1, determinism by seed", () => {
  assert.ok(generateRequests({ ...base, deferrable_fraction: 0 }).requestClass!.every((c) => c === 0));
  assert.ok(generateRequests({ ...base, deferrable_fraction: 1 }).requestClass!.every((c) => c === 1));
  const a = generateRequests({ ...base, deferrable_fraction: 0.4 });
  assert.equal(generateRequests({ ...base, deferrable_fraction: 0.4 }).requestClass, a.requestClass);
  const other = generateRequests({ ...base, deferrable_fraction: 0.4, synthetic_request_generator_config_seed: 7 });
  assert.not.equal(other.requestClass, a.requestClass);
});

test("classes apply to trace replay too (seeded by its seed flag)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tokenwatt-classes-"));
  const path = join(dir, "t.csv");
  const rows = Array.from({ length: 200 }, (_, i) => `${i},100,10`);
  writeFileSync(path, ["arrived_at,num_prefill_tokens,num_decode_tokens", ...rows, ""].join("\n"));
  const cfg: WorkloadConfig = {
    request_generator_config_type: "trace_replay",
    trace_request_generator_config_trace_file: path,
    deferrable_fraction: 0.5,
  };
  const a = generateRequests(cfg);
  const b = generateRequests({ ...cfg, trace_request_generator_config_seed: 1 });
  assert.is(a.requestClass!.length, 200);
  assert.not.equal(a.requestClass, b.requestClass);
});

test("classes: bad values name the flag", () => {
  throwsInput(
    () => generateRequests({ ...base, deferrable_fraction: 0.5, deferrable_deadline_s: 0 }),
    /^--deferrable_deadline_s must be > 0, got 0/,
  );
  throwsInput(() => generateRequests({ ...base, deferrable_fraction: 1.5 }), /^--deferrable_fraction must be <= 1, got 1\.5/);
  throwsInput(() => generateRequests({ ...base, deferrable_fraction: -0.1 }), /^--deferrable_fraction must be >= 0/);
  throwsInput(
    () => generateRequests({ ...base, deferrable_deadline_s: 60 }),
    /--deferrable-deadline-s applies to deferrable requests: give --deferrable-fraction too/,
  );
});

test.run();
