#!/usr/bin/env node
// Checks that two builds write the same bytes: runs each scenario below with both CLIs and compares every output
// file (manifest.json aside: it hashes summary.json; summary.json compared without its timing keys). For engine
// changes that must not change any output (bench/RESULTS.md, "Engine speed").
//   node bench/same-outputs.mjs BEFORE_CLI AFTER_CLI [scenario ...]    (a CLI is a built dist/src/cli/main.js)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchmarkWorkload } from "./workload.flags.mjs";

const carbon = fileURLToPath(new URL("../examples/carbon-trace.csv", import.meta.url));
const n = (count) => ["--synthetic_request_generator_config_num_requests", String(count)];
const SCENARIOS = {
  vllm: benchmarkWorkload(20_000, "vllm"),
  sarathi: benchmarkWorkload(20_000, "sarathi"),
  orca: [...n(20_000), "--replica_scheduler_config_type", "orca", "--time_limit", "300"],
  lightllm: [...n(20_000), "--replica_scheduler_config_type", "lightllm", "--time_limit", "300"],
  faster_transformer: [...n(5_000), "--replica_scheduler_config_type", "faster_transformer", "--time_limit", "300"],
  lor: [...n(20_000), "--cluster_config_num_replicas", "3", "--global_scheduler_config_type", "lor", "--time_limit", "300"],
  random: [
    ...n(10_000),
    "--cluster_config_num_replicas",
    "2",
    "--global_scheduler_config_type",
    "random",
    "--replica_scheduler_config_type",
    "vllm",
  ],
  time_limit: [...benchmarkWorkload(20_000, "vllm"), "--time_limit", "300"],
  // overloaded: the input ring doubles (65,536 → 262,144 slots) with ~240k requests queued at once
  ring_growth: benchmarkWorkload(300_000, "vllm"),
  // random routing with uniform lengths (route draws after the generator's), the ring past half its
  // reservation (every id at its own slot)
  random_ring: [
    ...benchmarkWorkload(150_000, "vllm"),
    ...["--length_generator_config_type", "uniform", "--cluster_config_num_replicas", "3"],
    ...["--global_scheduler_config_type", "random", "--poisson_request_interval_generator_config_qps", "60"],
  ],
  closed_loop: ["--request_generator_config_type", "closed_loop", "--concurrency", "16", ...n(5_000)],
  tp2_pp2: [
    ...n(5_000),
    ...["--replica_config_num_pipeline_stages", "2", "--replica_config_tensor_parallel_size", "2", "--cluster_config_num_replicas", "2"],
    ...["--metrics_config_keep_individual_batch_metrics", "--metrics_config_enable_chrome_trace"],
  ],
  vllm_pp4: [
    ...n(5_000),
    "--replica_config_num_pipeline_stages",
    "4",
    "--replica_scheduler_config_type",
    "vllm",
    "--metrics_config_keep_individual_batch_metrics",
  ],
  microgrid: [
    ...n(2_000),
    "--start",
    "2023-06-21T08:00:00Z",
    "--location",
    "Berlin",
    "--solar-peak-w",
    "2000",
    "--battery",
    "simple",
    "--battery-capacity-wh",
    "2000",
  ],
  carbon_aware: [
    ...n(2_000),
    ...["--poisson_request_interval_generator_config_qps", "0.5", "--deferrable-fraction", "0.3", "--deferrable-deadline-s", "14400"],
    ...["--carbon-trace", carbon, "--carbon-trace-tz", "UTC", "--start", "2023-06-08T06:00:00Z", "--battery", "simple"],
    ...["--battery-capacity-wh", "500", "--controller", "carbon-aware", "--control-ci-threshold", "300", "--compare-baseline"],
  ],
  power_cap: [
    ...n(5_000),
    ...["--replica_config_model_name", "llama-3.1-8b", "--replica_config_device", "h100", "--power-cap-w", "500"],
    ...["--carbon-trace", carbon, "--carbon-trace-tz", "UTC", "--start", "2023-06-08T06:00:00Z"],
  ],
};
const TIMING_KEYS = new Set(["event_loop_s", "batches_per_s", "wall_time_s"]);

const [before, after, ...only] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: node bench/same-outputs.mjs BEFORE_CLI AFTER_CLI [scenario ...]");
  process.exit(2);
}
const withoutTimings = (v) =>
  Array.isArray(v) || v === null || typeof v !== "object"
    ? v
    : Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (TIMING_KEYS.has(k) ? [] : [[k, withoutTimings(x)]])));

let failed = 0;
for (const [name, args] of Object.entries(SCENARIOS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const work = mkdtempSync(join(tmpdir(), "tokenwatt-same-"));
  const dirs = [];
  for (const cli of [before, after]) {
    // the same output path for both, so config.json's output_dir is equal
    const out = join(work, "out");
    const r = spawnSync(process.execPath, [cli, "simulate", ...args, "--output-dir", out], { cwd: work, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${name}: ${cli} failed (${r.status}): ${r.stderr}`);
    const files = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f))]));
    dirs.push(files);
    rmSync(out, { recursive: true, force: true });
  }
  const [a, b] = dirs;
  const names = Object.keys(a).sort();
  const differ = names.join() !== Object.keys(b).sort().join() ? ["(file lists)"] : [];
  for (const f of names) {
    if (f === "manifest.json" || differ.length > 0) continue;
    const same =
      f === "summary.json"
        ? JSON.stringify(withoutTimings(JSON.parse(a[f]))) === JSON.stringify(withoutTimings(JSON.parse(b[f])))
        : a[f].equals(b[f]);
    if (!same) differ.push(f);
  }
  rmSync(work, { recursive: true, force: true });
  if (differ.length > 0) failed++;
  console.log(`${name}: ${differ.length > 0 ? `DIFFERENT ${differ.join(" ")}` : `identical (${names.length} files)`}`);
}
process.exit(failed > 0 ? 1 : 0);
