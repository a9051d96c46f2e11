#!/usr/bin/env node
// Core engine benchmark (npm run bench): the 100,000-request zipf/Poisson workload of Vidur's speed anchor
// (Llama-2-7B, A100, TP1, qps 20) with vLLM and Sarathi, then the scaling table: 10k / 100k / 1M / 10M
// requests of the same workload (vLLM) with default flags (all three formats, token metrics on, energy on).
// Then the engine alone in CPU time (bench/engine-cpu.mjs: median of 5 in-process runs per scheduler, default flags),
// which a loaded machine distorts far less than the CLI's wall-clock event-loop time.
// Prints markdown tables; copy them into bench/RESULTS.md with the date and machine load (os.loadavg is printed),
// and last the README's speed and memory sentence with the flags it holds for (paste it over README.md's).
//   node bench/run.mjs [--quick]    (--quick: 1 repetition instead of 3, scaling up to 100k only)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchmarkWorkload } from "./workload.flags.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
// the bundle behind `tokenwatt` (node_modules/.bin/tokenwatt): what a user runs, and what README quotes
const cli = join(root, "dist", "bundle", "tokenwatt.js");
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

// engine CPU time: one process per scheduler, the scenario resolved once, 5 engine runs
const engineCpu = {};
for (const scheduler of ["vllm", "sarathi"]) {
  const r = spawnSync(process.execPath, [join(root, "bench", "engine-cpu.mjs"), "--scheduler", scheduler, "--reps", "5", "--json"], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`engine-cpu failed (${r.status}): ${r.stderr}`);
  engineCpu[scheduler] = JSON.parse(r.stdout.trim().split("\n").pop());
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
console.log(`\n| engine alone, 100k requests, default flags | batches | CPU s per run (median of 5) | batches per CPU-second |`);
console.log(`|---|---|---|---|`);
for (const [scheduler, e] of Object.entries(engineCpu)) {
  console.log(`| ${scheduler} | ${fmt(e.batches)} | ${fmt(e.median_cpu_s, 3)} | ${fmt(e.batches_per_cpu_s)} |`);
}
console.log(`\nnode bench/engine-cpu.mjs --scheduler S --reps 5 (event loop and chunk views, process.cpuUsage)`);

// README.md's speed and memory sentence, from the figures above (Vidur: §15 of vidur-semantics.md)
const VIDUR_VLLM_LOOP_S = 51.3;
const VIDUR_VLLM_WALL_S = 77.7;
const v = engineCpu.vllm;
const full = scaling.find((r) => r.name.startsWith("100,000"));
const big = scaling.filter((r) => !r.name.startsWith("10,000 ") && !r.name.startsWith("100,000"));
const memory = big.length
  ? ` Memory follows the requests being served, not the requests simulated: ${big
      .map((r) => `${r.name.replace(" requests", "")} requests peak at ${fmt(r.rss_mb)} MB`)
      .join(" and ")}.`
  : "";
const wrap = (text, width = 114) => {
  const lines = [];
  let line = "*";
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > width) {
      lines.push(line);
      line = " ";
    }
    line += ` ${word}`;
  }
  return [...lines, line].join("\n");
};
console.log(`\nREADME (${new Date().toISOString().slice(0, 10)}, load average ${loadavg()[0].toFixed(1)}):`);
console.log(
  wrap(
    "Speed and memory (`npm run bench`), on a 2-vCPU VM, for Vidur's benchmark workload (Llama-2-7B on an A100, vLLM, " +
      "zipf lengths, Poisson arrivals at 20 QPS: `bench/workload.flags.mjs`) with default flags otherwise (CSV, Arrow and " +
      `Parquet outputs, energy accounting and token-level metrics on): ${fmt(v.batches_per_cpu_s)} batches per CPU-second ` +
      `in the engine (${fmt(VIDUR_VLLM_LOOP_S / v.median_cpu_s)}× Vidur's ${VIDUR_VLLM_LOOP_S} s event loop); the ` +
      `100,000-request run takes ${fmt(full.wall_s, 2)} s wall including start-up and all outputs (Vidur: ` +
      `${VIDUR_VLLM_WALL_S} s, CSV only).${memory}`,
  ),
);
