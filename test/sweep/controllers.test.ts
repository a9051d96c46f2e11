/** Controller flags sweep like any other option; 1 and 2 workers give identical summaries (docs/control.md). */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readSweepSpec } from "../../src/sweep/spec.js";
import { TIMING_COLUMNS } from "../../src/sweep/summary-table.js";
import { runSweep } from "../../src/sweep/sweep.js";
import { createPool } from "../../src/sweep/pool.js";
import { duck, tempDir, writeSpec } from "./helpers.js";

const dir = tempDir();
const pool1 = createPool(1);
const pool2 = createPool(2);
test.after(async () => {
  await pool1.destroy();
  await pool2.destroy();
});

// CI falls from 354 g/kWh at 06:00 to 130 at 16:00 (examples/carbon-trace.csv); three thresholds, two caps
const spec = readSweepSpec(
  writeSpec(
    dir,
    "controllers.yaml",
    `
base:
  synthetic_request_generator_config_num_requests: 400
  poisson_request_interval_generator_config_qps: 0.2
  length_generator_config_type: fixed
  fixed_request_length_generator_config_prefill_tokens: 256
  fixed_request_length_generator_config_decode_tokens: 16
  deferrable_fraction: 0.4
  deferrable_deadline_s: 7200
  carbon_trace: ${join(process.cwd(), "examples", "carbon-trace.csv")}
  carbon_trace_tz: UTC
  start: "2023-06-08T06:00:00Z"
  battery: simple
  battery_capacity_wh: 200
  controller: carbon-aware
grid:
  control_ci_threshold: [0, 300, 340]
  control_power_cap_w: [0, 300]
`,
  ),
);

async function values(out: string): Promise<Record<string, unknown>[]> {
  const { rows } = await duck(`SELECT * FROM '${join(out, "summary.parquet")}' ORDER BY run_index`);
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_COLUMNS.includes(k))));
}

test("controller thresholds and caps sweep like any option; 1 and 2 workers agree", async () => {
  await runSweep({ spec, outputDir: join(dir, "w1"), workers: 1, pool: pool1, progress: false });
  await runSweep({ spec, outputDir: join(dir, "w2"), workers: 2, pool: pool2, progress: false });
  const one = await values(join(dir, "w1"));
  assert.equal(await values(join(dir, "w2")), one);
  assert.is(one.length, 6);
  assert.ok(
    one.every((r) => r.status === "ok"),
    JSON.stringify(one.map((r) => r.error)),
  );
  assert.ok("control_held_requests" in one[0], Object.keys(one[0]).join(" "));
  const held = one.map((r) => Number(r.control_held_requests));
  assert.ok(
    held.some((h) => h > 0),
    held.join(" "),
  );
  const deferral = one.map((r) => Number(r.control_mean_deferral_s));
  assert.ok(new Set(deferral).size > 1, deferral.join(" "));
  assert.ok(one.every((r) => Number(r.classes_deferrable_missed_deadline) === 0));
});

// the actuators (replicas off and on, caps) and noisy forecasts: seeded, the same with 1 and 2 workers
const actuators = readSweepSpec(
  writeSpec(
    dir,
    "actuators.yaml",
    `
base:
  synthetic_request_generator_config_num_requests: 600
  poisson_request_interval_generator_config_qps: 0.3
  length_generator_config_type: fixed
  fixed_request_length_generator_config_prefill_tokens: 256
  fixed_request_length_generator_config_decode_tokens: 16
  cluster_config_num_replicas: 3
  deferrable_fraction: 0.4
  deferrable_deadline_s: 7200
  carbon_trace: ${join(process.cwd(), "examples", "carbon-trace.csv")}
  carbon_trace_tz: UTC
  start: "2023-06-08T06:00:00Z"
  location: San Francisco
  solar_peak_w: 300
  battery: simple
  battery_capacity_wh: 200
  power_budget_w: 330
  control_replica_qps: 0.2
  control_load_window_s: 120
  replica_wake_up_s: 90
grid:
  controller: [solar-follow, power-budget]
  forecast_error: [0, 0.3]
`,
  ),
);

test("solar-follow and power-budget with noisy forecasts: 1 and 2 workers agree", async () => {
  await runSweep({ spec: actuators, outputDir: join(dir, "a1"), workers: 1, pool: pool1, progress: false });
  await runSweep({ spec: actuators, outputDir: join(dir, "a2"), workers: 2, pool: pool2, progress: false });
  const one = await values(join(dir, "a1"));
  assert.equal(await values(join(dir, "a2")), one);
  assert.ok(
    one.every((r) => r.status === "ok"),
    JSON.stringify(one.map((r) => r.error)),
  );
  const off = one.map((r) => Number(r.control_replica_off_s));
  assert.ok(
    off.some((x) => x > 0),
    off.join(" "),
  );
});

test.run();
