#!/usr/bin/env node
// Core engine benchmark (npm run bench): the 100,000-request zipf/Poisson workload of Vidur's speed anchor
// (Llama-2-7B, A100, TP1, qps 20) with vLLM and Sarathi, then the scaling table: 10k / 100k / 1M / 10M
// requests of the same workload (vLLM) with default flags (all three formats, token metrics on, energy on).
// Prints markdown tables; copy them into bench/RESULTS.md with the date and machine load (os.loadavg is printed).
//   node bench/run.mjs [--quick]    (--quick: 1 repetition instead of 3, scaling up to 100k only)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchmarkWorkload } from "./workload.flags.mjs";

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

const workload = benchmarkWorkload;

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
// scaling: default flags; 10k and 100k median of `reps` runs, 1M and 10M one run each
const scaling = [];
for (const n of quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000, 10_000_000]) {
  const runs = [];
  for (let i = 0; i < (n > 100_000 ? 1 : reps); i++) runs.push(simulate(workload(n, "vllm")));
  const r = row(`${n.toLocaleString("en-US")} requests`, runs, n);
  r.sketched = Object.entries(runs[0].summary.quantile_method)
    .filter(([, m]) => m === "sketch")
    .map(([k]) => k);
  scaling.push(r);
}

const fmt = (x, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(`| run | batches | events | event loop s | batches/s | requests/s | wall s (whole CLI run) | peak RSS MB |`);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const r of rows) {
  console.log(
    `| ${r.name} | ${fmt(r.batches)} | ${fmt(r.events)} | ${fmt(r.loop_s, 3)} | ${fmt(r.batches_per_s)} | ${fmt(r.requests_per_s)} | ${fmt(r.wall_s, 2)} | ${fmt(r.rss_mb)} |`,
  );
}
console.log(
  `\nmedian of ${reps} runs; node ${process.version}; ${new Date().toISOString()}; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
console.log(
  `\n| requests (vllm, default flags) | batches | event loop s | batches/s | wall s (whole CLI run) | s per 1M requests | peak RSS MB | sketched quantiles |`,
);
console.log(`|---|---|---|---|---|---|---|---|`);
for (const r of scaling) {
  const n = Number(r.name.split(" ")[0].replaceAll(",", ""));
  console.log(
    `| ${r.name.split(" ")[0]} | ${fmt(r.batches)} | ${fmt(r.loop_s, 3)} | ${fmt(r.batches_per_s)} | ${fmt(r.wall_s, 2)} | ${fmt((r.wall_s / n) * 1e6, 2)} | ${fmt(r.rss_mb)} | ${r.sketched.join(", ") || "none"} |`,
  );
}
console.log(
  `\n10k / 100k: median of ${reps} runs; 1M / 10M: one run; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
