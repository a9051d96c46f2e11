/**
 * Runs with the microgrid, a grid controller, request classes, --compare-baseline or Vidur's metric switches
 * stream their request rows too (simulateAndWrite): every file is byte for byte what the two-step path
 * (simulate + writeSimulationOutputs, whole request columns) writes for the same run.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveOptions } from "../../src/config/parse.js";
import type { Options } from "../../src/config/options.js";
import { simulate, simulateAndWrite, simulateSummary, writeSimulationOutputs } from "../../src/simulate.js";

const dir = mkdtempSync(join(tmpdir(), "tokenwatt-streamed-loop-"));
// a square-wave carbon trace: 500 g/kWh for half an hour, then 100, repeating over two days
const ci = join(dir, "ci.csv");
const lines = ["time,ci"];
for (let m = 0; m < 48 * 60; m += 30) {
  const d = 8 + Math.floor(m / 1440);
  const h = String(Math.floor((m % 1440) / 60)).padStart(2, "0");
  lines.push(`2023-06-${String(d).padStart(2, "0")} ${h}:${String(m % 60).padStart(2, "0")}:00,${(m / 30) % 2 === 0 ? 500 : 100}`);
}
writeFileSync(ci, `${lines.join("\n")}\n`);

// 40,000 requests: request_metrics leaves the engine in three chunks
const base = {
  synthetic_request_generator_config_num_requests: 40_000,
  poisson_request_interval_generator_config_qps: 8,
  cluster_config_num_replicas: 2,
  formats: "csv,arrow,parquet",
  carbon_trace: ci,
  carbon_trace_tz: "UTC",
  start: "2023-06-08T00:00:00Z",
};
const grid = { battery: "simple", battery_capacity_wh: 200, battery_initial_soc: 0.5, grid_step: 60 };
const controlled = {
  ...base,
  ...grid,
  deferrable_fraction: 0.3,
  deferrable_deadline_s: 3600,
  controller: "carbon-aware",
  control_ci_threshold: 300,
  control_safety_margin_s: 600,
  compare_baseline: true,
};

/** summary.json without machine-dependent timings (the baseline's too). */
function timeless(file: string): Record<string, unknown> {
  const j = JSON.parse(readFileSync(file, "utf8"));
  for (const s of [j, j.baseline]) {
    if (!s?.engine) continue;
    delete s.engine.event_loop_s;
    delete s.engine.batches_per_s;
  }
  return j;
}

/** Writes the run both ways and checks every file; returns the streamed run's file names. */
async function sameBothWays(name: string, raw: Record<string, unknown>): Promise<string[]> {
  const options = () => resolveOptions(raw) as Options;
  const a = join(dir, `${name}-streamed`);
  const b = join(dir, `${name}-two-step`);
  await simulateAndWrite(options(), a, { writerThreads: false });
  await writeSimulationOutputs(simulate(options()), b, { writerThreads: false });
  const files = readdirSync(b).sort();
  assert.equal(readdirSync(a).sort(), files, name);
  assert.equal(timeless(join(a, "summary.json")), timeless(join(b, "summary.json")), name);
  for (const f of files) {
    if (f === "config.json" || f === "summary.json") continue; // config names its own output directory
    assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${name}: ${f}`);
  }
  return files;
}

test("microgrid + carbon-aware controller + request classes + baseline: streamed files equal the two-step ones", async () => {
  const files = await sameBothWays("controlled", controlled);
  for (const f of ["request_metrics.parquet", "microgrid.csv", "microgrid_agg.arrow", "control.csv", "timeline.csv"]) {
    assert.ok(files.includes(f), f);
  }
  const s = JSON.parse(readFileSync(join(dir, "controlled-streamed", "summary.json"), "utf8"));
  assert.ok(s.control.held_requests > 1000, `held ${s.control.held_requests}`); // the controller did act
  assert.is(s.classes.deferrable.requests + s.classes.interactive.requests, 40_000);
  assert.ok(s.baseline.num_completed_requests > 0);
  const header = readFileSync(join(dir, "controlled-streamed", "request_metrics.csv"), "utf8").split("\n", 1)[0];
  assert.ok(header.endsWith(",class,deadline_s"), header);
});

test("a microgrid without a controller streams the same files", async () => {
  await sameBothWays("grid", { ...base, ...grid });
});

test("Vidur's metric switches: no request_metrics / batch_metrics / tables, the same summary", async () => {
  // 20,000 requests: two chunks
  const small = { ...base, synthetic_request_generator_config_num_requests: 20_000 };
  const batches = { ...small, metrics_config_keep_individual_batch_metrics: true };
  assert.ok((await sameBothWays("batches", batches)).includes("batch_metrics.csv"));
  const noRequests = await sameBothWays("no-requests", { ...batches, metrics_config_store_request_metrics: false });
  assert.not.ok(noRequests.some((f) => f.startsWith("request_metrics")));
  assert.ok(noRequests.includes("requests.csv"));
  const noBatches = await sameBothWays("no-batches", { ...batches, metrics_config_store_batch_metrics: false });
  assert.not.ok(noBatches.some((f) => f.startsWith("batch_metrics")));
  assert.equal(await sameBothWays("no-metrics", { ...small, metrics_config_write_metrics: false }), ["config.json", "summary.json"]);
});

test("simulateSummary (no request columns kept) gives simulate's summary", () => {
  const options = () => resolveOptions(controlled) as Options;
  const strip = (s: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(s, (k, v) => (k === "event_loop_s" || k === "batches_per_s" ? 0 : v)));
  const summarized = simulateSummary(options());
  assert.is(summarized.result.requests.arrivedAt.length, 0);
  assert.equal(strip(summarized.summary), strip(simulate(options()).summary));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
