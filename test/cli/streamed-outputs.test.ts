import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveOptions } from "../../src/config/parse.js";
import { simulate, simulateAndWrite, writeSimulationOutputs } from "../../src/simulate.js";

// 40,000 requests: request_metrics leaves the engine in three chunks, with energy columns
const options = () =>
  resolveOptions({
    synthetic_request_generator_config_num_requests: 40_000,
    poisson_request_interval_generator_config_qps: 30,
    cluster_config_num_replicas: 2,
    formats: "csv,arrow,parquet",
  });

test("request_metrics written while the engine runs is byte for byte the two-step output; so is every other file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tokenwatt-streamed-"));
  try {
    const streamed = await simulateAndWrite(options(), join(dir, "a"), { writerThreads: false });
    const run = simulate(options());
    await writeSimulationOutputs(run, join(dir, "b"), { writerThreads: false });
    const files = readdirSync(join(dir, "b")).sort();
    assert.equal(readdirSync(join(dir, "a")).sort(), files);
    assert.ok(files.includes("request_metrics.parquet") && files.includes("timeline.csv"));
    const timeless = (f: string) => {
      const j = JSON.parse(readFileSync(f, "utf8"));
      delete j.engine.event_loop_s; // machine-dependent
      delete j.engine.batches_per_s;
      return j;
    };
    assert.equal(timeless(join(dir, "a", "summary.json")), timeless(join(dir, "b", "summary.json")));
    for (const f of files) {
      if (f === "config.json" || f === "summary.json") continue; // config names its own output directory
      assert.ok(readFileSync(join(dir, "a", f)).equals(readFileSync(join(dir, "b", f))), f);
    }
    const summary = JSON.parse(readFileSync(join(dir, "a", "summary.json"), "utf8"));
    assert.equal(Object.values(summary.quantile_method), ["exact", "exact", "exact", "exact", "exact"]);
    assert.is(streamed.run.summary.num_completed_requests, 40_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("past --metrics_config_exact_quantile_samples the summary says which metrics are sketched, within 0.5 %", () => {
  const exact = simulate(options()).summary as Record<string, { p50: number; p99: number; count: number }>;
  const sketched = simulate({ ...options(), metrics_config_exact_quantile_samples: 1000 }).summary as Record<string, unknown>;
  assert.equal(sketched.quantile_method, {
    ttft_s: "sketch",
    tbt_s: "sketch",
    e2e_latency_s: "sketch",
    scheduling_delay_s: "sketch",
    per_request_normalized_decode_time_s: "sketch",
  });
  for (const m of ["ttft_s", "e2e_latency_s", "tbt_s"]) {
    const a = exact[m],
      b = sketched[m] as { p50: number; p99: number; count: number };
    assert.is(b.count, a.count, m);
    // the exact p50 interpolates between neighbours; on these smooth distributions they are within 0.5 % too
    assert.ok(Math.abs(b.p50 - a.p50) <= 0.01 * a.p50, `${m} p50 ${b.p50} vs ${a.p50}`);
  }
});

test.run();
