import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateRequests, type WorkloadConfig } from "../../src/workload/index.js";

function gaps(cfg: WorkloadConfig): Float64Array {
  const s = generateRequests({ length_generator_config_type: "fixed", ...cfg });
  return s.arrivedAt.map((t, i) => (i === 0 ? t : t - s.arrivedAt[i - 1]));
}
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0) / a.length;
const cv = (a: ArrayLike<number>) => {
  const m = mean(a);
  return Math.sqrt(Array.from(a).reduce((s, x) => s + (x - m) ** 2, 0) / a.length) / m;
};

test("poisson: first gap at seed 42 is 0.0510030 s for qps 20", () => {
  const g = gaps({ poisson_request_interval_generator_config_qps: 20, synthetic_request_generator_config_num_requests: 1 });
  assert.ok(Math.abs(g[0] - 0.05100301436374005) < 1e-15);
});

test("poisson: first gap at seed 42 is 0.158149 s for qps 6.45", () => {
  const g = gaps({ poisson_request_interval_generator_config_qps: 6.45, synthetic_request_generator_config_num_requests: 1 });
  assert.ok(Math.abs(g[0] - 0.15814888174803116) < 1e-15);
});

test("poisson: gaps are capped at 3/qps and the mean is (1 - e^-3)/qps within 2% (20k)", () => {
  const g = gaps({ poisson_request_interval_generator_config_qps: 4, synthetic_request_generator_config_num_requests: 20000 });
  // gaps are differences of accumulated arrivals, so compare with a rounding margin
  assert.ok(Math.max(...g) <= 0.75 + 1e-12);
  const capped = g.filter((x) => Math.abs(x - 0.75) < 1e-12).length;
  assert.ok(Math.abs(capped / g.length - Math.exp(-3)) < 0.01, `${capped} capped gaps, expected ~${Math.exp(-3)}`);
  const expected = (1 - Math.exp(-3)) / 4;
  assert.ok(Math.abs(mean(g) / expected - 1) < 0.02, `mean ${mean(g)} vs ${expected}`);
});

test("gamma: first gap at seed 42 (qps 0.2, cv 0.5) equals scipy.stats.gamma.rvs", () => {
  const g = gaps({ interval_generator_config_type: "gamma", synthetic_request_generator_config_num_requests: 3 });
  assert.ok(Math.abs(g[0] - 5.878017372669836) < 1e-14);
  assert.ok(Math.abs(g[1] - 4.260289876267912) < 1e-12);
});

test("gamma: mean 1/qps and cv within 3% for cv 0.5 and cv 2 (20k)", () => {
  for (const c of [0.5, 2]) {
    const g = gaps({
      interval_generator_config_type: "gamma",
      gamma_request_interval_generator_config_qps: 5,
      gamma_request_interval_generator_config_cv: c,
      synthetic_request_generator_config_num_requests: 20000,
    });
    assert.ok(Math.abs(mean(g) * 5 - 1) < 0.03 * Math.max(1, c), `cv ${c}: mean ${mean(g)}`);
    assert.ok(Math.abs(cv(g) / c - 1) < 0.05, `cv ${c}: measured ${cv(g)}`);
  }
});

test("static: every request arrives at 0 and keeps generation order", () => {
  const s = generateRequests({
    interval_generator_config_type: "static",
    length_generator_config_type: "uniform",
    synthetic_request_generator_config_num_requests: 50,
  });
  assert.ok(s.arrivedAt.every((t) => t === 0));
  assert.is(s.arrivedAt.length, 50);
});

test("trace intervals: whole seconds since the first kept row, scaled, diffed, then exhausted", () => {
  const dir = mkdtempSync(join(tmpdir(), "tw-intervals-"));
  writeFileSync(
    join(dir, "azure.csv"),
    [
      "arrival_time,func",
      "1970-01-04 11:59:59,a", // before start: dropped
      "1970-01-04 12:00:00.500,b",
      "1970-01-04 12:00:03.200,c", // 2.7 s later → floor → 2 s
      "1970-01-04 12:00:10,d",
      "1970-01-04 15:00:00,e", // == end: dropped (strict)
    ].join("\n"),
  );
  const warnings: string[] = [];
  const s = generateRequests(
    {
      interval_generator_config_type: "trace",
      trace_request_interval_generator_config_trace_file: "azure.csv",
      trace_request_interval_generator_config_time_scale_factor: 0.5,
      synthetic_request_generator_config_num_requests: null,
    },
    { baseDir: dir, warn: (m) => warnings.push(m) },
  );
  // seconds since min: 0, 2, 9 → ×0.5: 0, 1, 4.5 → gaps 1, 3.5 → arrivals 1, 4.5
  assert.equal(Array.from(s.arrivedAt), [1, 4.5]);
  assert.equal(warnings, []);
});

test("trace intervals: running out before num_requests ends the stream with a warning", () => {
  const dir = mkdtempSync(join(tmpdir(), "tw-intervals-"));
  writeFileSync(join(dir, "t.csv"), "arrival_time\n1970-01-04 12:00:01\n1970-01-04 12:00:02\n");
  const warnings: string[] = [];
  const s = generateRequests(
    { interval_generator_config_type: "trace", trace_request_interval_generator_config_trace_file: join(dir, "t.csv") },
    { warn: (m) => warnings.push(m) },
  );
  assert.is(s.arrivedAt.length, 1);
  assert.is(warnings.length, 1);
  assert.match(warnings[0], /ran out after 1 requests/);
});

test.run();
