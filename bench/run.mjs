#!/usr/bin/env node
// Core engine benchmark (npm run bench): the 100,000-request zipf/Poisson workload of Vidur's speed anchor
// (Llama-2-7B, A100, TP1, qps 20) with vLLM and Sarathi, plus a 1M-request run for peak memory.
// Prints a markdown table; copy it into bench/RESULTS.md with the date and machine load.
//   node bench/run.mjs [--quick]    (--quick: 1 repetition instead of 3, no 1M run)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist", "src", "cli", "main.js");
const quick = process.argv.includes("--quick");
const reps = quick ? 1 : 3;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function simulate(args) {
  const out = mkdtempSync(join(tmpdir(), "tokenwatt-bench-"));
  const r = spawnSync(process.execPath, [cli, "simulate", ...args, "--output-dir", out], {
    env: { ...process.env, TOKENWATT_PROCESS_STATS: "1" },
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`simulate failed (${r.status}): ${r.stderr}`);
  const stats = JSON.parse(r.stderr.trim().split("\n").pop());
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  rmSync(out, { recursive: true, force: true });
  return { ...stats, summary };
}

const workload = (n, scheduler) => [
  "--replica_config_model_name", "meta-llama/Llama-2-7b-hf", "--replica_config_device", "a100",
  "--replica_scheduler_config_type", scheduler, "--length_generator_config_type", "zipf",
  "--interval_generator_config_type", "poisson", "--poisson_request_interval_generator_config_qps", "20",
  "--synthetic_request_generator_config_num_requests", String(n),
];

const rows = [];
const row = (name, runs, n) => {
  const loop = median(runs.map((r) => r.summary.engine.event_loop_s));
  const s = runs[0].summary;
  return {
    name,
    batches: s.batches.count,
    events: s.engine.events,
    loop_s: loop,
    batches_per_s: s.batches.count / loop,
    requests_per_s: n / loop,
    wall_s: median(runs.map((r) => r.wall_s)),
    rss_mb: median(runs.map((r) => r.max_rss_mb)),
  };
};
// Output sets: Vidur writes CSV only; tokenwatt's default adds Arrow and Parquet.
const FORMAT_SETS = ["csv,arrow,parquet", "csv,arrow", "csv"];
for (const scheduler of ["vllm", "sarathi"]) {
  for (const formats of FORMAT_SETS) {
    const runs = [];
    for (let i = 0; i < reps; i++) runs.push(simulate([...workload(100_000, scheduler), "--formats", formats]));
    rows.push(row(`100k requests, ${scheduler}, ${formats}`, runs, 100_000));
  }
}
if (!quick) {
  for (const formats of FORMAT_SETS) {
    const r = simulate([...workload(1_000_000, "vllm"), "--formats", formats, "--no-metrics_config_store_token_completion_metrics"]);
    rows.push(row(`1M requests, vllm, ${formats} (one run)`, [r], 1_000_000));
  }
}

const fmt = (x, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`| run | batches | events | event loop s | batches/s | requests/s | wall s (whole CLI run) | peak RSS MB |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const r of rows) {
  console.log(`| ${r.name} | ${fmt(r.batches)} | ${fmt(r.events)} | ${fmt(r.loop_s, 3)} | ${fmt(r.batches_per_s)} | ${fmt(r.requests_per_s)} | ${fmt(r.wall_s, 2)} | ${fmt(r.rss_mb)} |`);
}
console.log(`\nmedian of ${reps} runs (1M rows: one run); node ${process.version}; ${new Date().toISOString()}`);
