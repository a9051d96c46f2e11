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

// a two-hour diurnal workload at a low rate; --start moves the day under it (the request cache must see that)
const spec = readSweepSpec(
  writeSpec(
    dir,
    "classes.yaml",
    `
base:
  interval_generator_config_type: diurnal
  diurnal_peak_qps: 0.2
  diurnal_trough_qps: 0.02
  duration: 7200
  length_generator_config_type: fixed
  fixed_request_length_generator_config_prefill_tokens: 256
  fixed_request_length_generator_config_decode_tokens: 16
  deferrable_deadline_s: 600
grid:
  start: ["2024-06-01T00:00:00Z", "2024-06-01T13:00:00Z"]
  deferrable_fraction: [0.2, 0.6]
`,
  ),
);

async function values(out: string): Promise<Record<string, unknown>[]> {
  const { rows } = await duck(`SELECT * FROM '${join(out, "summary.parquet")}' ORDER BY run_index`);
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_COLUMNS.includes(k))));
}

test("diurnal workloads with classes sweep like any option; 1 and 2 workers agree", async () => {
  await runSweep({ spec, outputDir: join(dir, "w1"), workers: 1, pool: pool1, progress: false });
  await runSweep({ spec, outputDir: join(dir, "w2"), workers: 2, pool: pool2, progress: false });
  const one = await values(join(dir, "w1"));
  assert.equal(await values(join(dir, "w2")), one);
  assert.ok(
    one.every((r) => r.status === "ok"),
    JSON.stringify(one.map((r) => r.error)),
  );
  // night (00:00-02:00 UTC) is near the trough, 13:00-15:00 near the 14:00 peak
  const night = Number(one[0].num_requests),
    day = Number(one[2].num_requests);
  assert.ok(day > 4 * night, `day ${day} vs night ${night} requests`);
  assert.is(Number(one[0].num_requests), Number(one[1].num_requests), "the class fraction leaves the arrivals alone");
  const keys = Object.keys(one[0]);
  const expected = [
    "classes_deferrable_missed_deadline",
    "classes_interactive_completed",
    "classes_deferrable_deferral_delay_s_p99",
    "served_output_tokens",
  ];
  for (const k of expected) {
    assert.ok(keys.includes(k), `${k} in ${keys.filter((x) => x.startsWith("classes") || x.startsWith("served")).join(", ")}`);
  }
});

test.run();
