import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import type { ClassReport } from "../../src/metrics/request-classes.js";
import { simulate } from "../../src/simulate.js";

/** numpy's default (linear) quantile, written out independently of src/tables/quantiles.ts. */
function linearQuantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (h - lo) : s[lo];
}

// 150 s of arrivals cut at 120 s, with a deadline near the median latency: some requests finish late, some never
const options = resolveOptions({
  synthetic_request_generator_config_num_requests: 600,
  poisson_request_interval_generator_config_qps: 4,
  length_generator_config_type: "uniform",
  uniform_request_length_generator_config_min_tokens: 256,
  uniform_request_length_generator_config_max_tokens: 1024,
  deferrable_fraction: 0.4,
  deferrable_deadline_s: 0.5,
  time_limit: 120,
  energy: false,
});
const run = simulate(options);
const q = run.result.requests;
const cls = run.scenario.requests.requestClass!;
const summary = run.summary as {
  classes: Record<string, ClassReport>;
  served_output_tokens: number;
  num_requests: number;
  num_completed_requests: number;
};

test("every request is completed or dropped, per class and in total", () => {
  const { interactive, deferrable } = summary.classes;
  assert.is(interactive.requests + deferrable.requests, summary.num_requests);
  assert.is(interactive.completed + deferrable.completed, summary.num_completed_requests);
  for (const c of [interactive, deferrable]) assert.is(c.completed + c.dropped, c.requests);
  assert.ok(interactive.dropped > 0 && deferrable.dropped > 0, "the time limit leaves requests unfinished");
});

test("missed deadlines: dropped plus completed later than the deadline (interactive: no deadline)", () => {
  let late = 0;
  for (let i = 0; i < cls.length; i++) if (cls[i] === 1 && q.completed[i] && q.completedAt[i] - q.arrivedAt[i] > 0.5) late++;
  assert.ok(late > 0, "some deferrable requests finish late");
  assert.is(summary.classes.deferrable.missed_deadline, summary.classes.deferrable.dropped + late);
  assert.is(summary.classes.deferrable.deadline_s, 0.5);
  assert.is(summary.classes.interactive.missed_deadline, summary.classes.interactive.dropped);
  assert.is(summary.classes.interactive.deadline_s, null);
});

test("per-class latency percentiles and deferral delay match a direct computation", () => {
  for (const [name, code] of [
    ["interactive", 0],
    ["deferrable", 1],
  ] as const) {
    const ttft: number[] = [],
      e2e: number[] = [],
      delay: number[] = [];
    for (let i = 0; i < cls.length; i++) {
      if (cls[i] !== code || !q.completed[i]) continue;
      ttft.push(q.prefillCompletedAt[i] - q.arrivedAt[i]);
      e2e.push(q.completedAt[i] - q.arrivedAt[i]);
      delay.push(q.scheduledAt[i] - q.arrivedAt[i]);
    }
    const c = summary.classes[name];
    assert.is(c.ttft_s.count, ttft.length);
    for (const [p, key] of [
      [0.5, "p50"],
      [0.9, "p90"],
      [0.99, "p99"],
    ] as const) {
      assert.ok(Math.abs(c.ttft_s[key] - linearQuantile(ttft, p)) < 1e-12, `${name} ttft ${key}`);
      assert.ok(Math.abs(c.e2e_latency_s[key] - linearQuantile(e2e, p)) < 1e-12, `${name} e2e ${key}`);
      if (code === 1) assert.ok(Math.abs(c.deferral_delay_s![key] - linearQuantile(delay, p)) < 1e-12, `deferral ${key}`);
    }
    if (code === 0) assert.is(c.deferral_delay_s, undefined);
  }
});

test("served_output_tokens: decode tokens of the completed requests", () => {
  let tokens = 0;
  for (let i = 0; i < cls.length; i++) if (q.completed[i]) tokens += q.originalDecodeTokens[i];
  assert.is(summary.served_output_tokens, tokens);
  assert.is(summary.classes.interactive.served_output_tokens + summary.classes.deferrable.served_output_tokens, tokens);
});

test("request_metrics gets class and deadline_s last, only with classes", () => {
  const names = (r: typeof run) => r.tables[0].chunk(0, 3).columns.map((c) => c.name);
  const withClasses = names(run);
  assert.equal(withClasses.slice(-2), ["class", "deadline_s"]);
  const plain = simulate(resolveOptions({ ...options, deferrable_fraction: null, deferrable_deadline_s: 86400 }));
  assert.equal(names(plain), withClasses.slice(0, -2));
  assert.not.ok("classes" in plain.summary);
  assert.not.ok("served_output_tokens" in plain.summary);
  // classes change nothing else: same workload, same simulation
  const a = run.tables[0].chunk(0, 600).columns,
    b = plain.tables[0].chunk(0, 600).columns;
  for (let c = 0; c < b.length; c++) assert.equal(Array.from(a[c].data as Float64Array), Array.from(b[c].data as Float64Array), b[c].name);
});

test.run();
