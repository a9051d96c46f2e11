#!/usr/bin/env node
// Sweep benchmark: 1,000 runs of a 10,000-request workload with 1 and 2 workers (built package: npm run build).
// Reports runs/s, speed-up, per-run overhead beyond simulate() itself, and process RSS over the sweep.
// Usage: node bench/sweep.mjs [--runs 1000] [--requests 10000] [--workers 1,2]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { join } from "node:path";
import { parseSweepSpec } from "../dist/src/sweep/spec.js";
import { runSweep } from "../dist/src/sweep/sweep.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg("runs", 1000));
const requests = Number(arg("requests", 10000));
const workerCounts = String(arg("workers", "1,2")).split(",").map(Number);
const seeds = Math.ceil(runs / 10);

const spec = parseSweepSpec(
  {
    base: {
      synthetic_request_generator_config_num_requests: requests,
      length_generator_config_type: "fixed",
      fixed_request_length_generator_config_prefill_tokens: 512,
      fixed_request_length_generator_config_decode_tokens: 128,
    },
    grid: {
      replica_scheduler_config_type: ["vllm", "sarathi"],
      poisson_request_interval_generator_config_qps: [2, 4, 6, 8, 10],
      synthetic_request_generator_config_seed: Array.from({ length: seeds }, (_, i) => i + 1),
    },
  },
  "bench/sweep.mjs",
  process.cwd(),
);

const results = [];
for (const workers of workerCounts) {
  const dir = mkdtempSync(join(tmpdir(), "tw-bench-sweep-"));
  let simMs = 0,
    done = 0,
    tFirst = 0,
    tLast = 0;
  const rss = [];
  const cpu0 = process.cpuUsage(); // all threads of this process: main, workers, GC helpers, libuv pool
  const t0 = performance.now();
  const report = await runSweep({
    spec,
    outputDir: dir,
    workers,
    progress: false,
    onRun: (_record, outcome) => {
      done++;
      const now = performance.now();
      if (done === 1) tFirst = now;
      tLast = now;
      if (outcome) simMs += outcome.simMs;
      if (done % Math.max(1, Math.floor(runs / 10)) === 0) rss.push(Math.round(process.memoryUsage().rss / 2 ** 20));
    },
  });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const steady = (tLast - tFirst) / 1000 / Math.max(1, done - 1); // s per run once workers are up
  const r = {
    workers,
    runs: report.ran,
    failed: report.failed,
    wall_s: +wall.toFixed(2),
    runs_per_s: +(report.ran / wall).toFixed(2),
    steady_runs_per_s: +(1 / steady).toFixed(2),
    mean_simulate_ms: +(simMs / done).toFixed(2),
    // cores kept busy on average: above `workers`, the rest of the process competes with the workers
    cpu_cores: +((cpu.user + cpu.system) / 1e6 / wall).toFixed(2),
    // per worker: time between completions × workers − the simulation itself
    overhead_ms_per_run: +(steady * 1000 * workers - simMs / done).toFixed(2),
    rss_mib_every_10pct: rss,
  };
  results.push(r);
  console.log(JSON.stringify(r));
  rmSync(dir, { recursive: true, force: true });
}
if (results.length >= 2) {
  const [a, b] = results;
  console.log(
    `speed-up ${b.workers} vs ${a.workers} workers: ${(b.runs_per_s / a.runs_per_s).toFixed(2)}x overall, ${(b.steady_runs_per_s / a.steady_runs_per_s).toFixed(2)}x steady state (${cpus().length} cores)`,
  );
}
