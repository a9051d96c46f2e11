#!/usr/bin/env node
// Start-up benchmark (issue 15 item 6): how long the CLI takes before it does any work, and how much a sweep
// gains from a second worker. Runs the CLI as users do (node_modules/.bin/tokenwatt, and `npx tokenwatt` as the
// README writes it) and reports medians of wall time and CPU time (user + sys of the whole process tree, from
// /proc/self/stat's cutime/cstime: repeatable under load where wall time is not).
//
//   npm run bench:startup                                  # this tree, 5 repetitions
//   node bench/startup.mjs --tree /tmp/before --tree .     # A/B: trees alternate within each repetition
//   node bench/startup.mjs --reps 3 --scaling              # + a 64-run sweep of 10k-request runs, 1 vs 2 workers
//
// Measures (each a separate process):
//   help          tokenwatt --help
//   npx-help      npx tokenwatt --help (npm's own start-up included)
//   simulate-1    tokenwatt simulate, 1 request (start-up, op tables, one batch, every output written)
//   readme-first  npx tokenwatt simulate (the README's first command: 128 requests, Vidur's defaults)
//   sweep-wN      tokenwatt sweep of one 1-request run on N workers; "start-up" = wall − the run's own time
//   scaling-wN    (--scaling) tokenwatt sweep of 64 runs × 10,000 requests (seeds 1…64) on N workers
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const values = (name) => args.flatMap((a, i) => (a === `--${name}` ? [args[i + 1]] : []));
const trees = (values("tree").length ? values("tree") : ["."]).map((t) => resolve(t));
const reps = Number(values("reps")[0] ?? 5);
const work = mkdtempSync(join(tmpdir(), "tw-bench-startup-"));

const TICK = 100; // USER_HZ: /proc times are in 1/100 s on Linux
function childCpuS() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) / TICK; // cutime + cstime (fields 16 and 17 of stat)
}

/** Runs one command; returns wall and CPU seconds (the command's whole process tree, once it has exited). */
function timed(cmd, argv, cwd) {
  const c0 = childCpuS();
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} (in ${cwd}) exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: childCpuS() - c0 };
}

const oneRunSpec = join(work, "one-run.yaml");
writeFileSync(
  oneRunSpec,
  "base:\n  synthetic_request_generator_config_num_requests: 1\ngrid:\n  synthetic_request_generator_config_seed: [1]\n",
);
const scalingSpec = join(work, "scaling.yaml");
writeFileSync(
  scalingSpec,
  [
    "base:",
    "  synthetic_request_generator_config_num_requests: 10000",
    "  length_generator_config_type: fixed",
    "  fixed_request_length_generator_config_prefill_tokens: 512",
    "  fixed_request_length_generator_config_decode_tokens: 128",
    "  replica_scheduler_config_type: vllm",
    "  poisson_request_interval_generator_config_qps: 6",
    "grid:",
    `  synthetic_request_generator_config_seed: [${Array.from({ length: 64 }, (_, i) => i + 1).join(", ")}]`,
    "",
  ].join("\n"),
);

/** A sweep's wall and CPU, and its runs' own time inside the workers (from the records). */
function sweep(tree, spec, workers) {
  const out = join(work, `sweep-${workers}`);
  rmSync(out, { recursive: true, force: true });
  const t = timed(
    join(tree, "node_modules/.bin/tokenwatt"),
    ["sweep", "--spec", spec, "--output-dir", out, "--workers", String(workers)],
    tree,
  );
  const runS = readdirSync(join(out, "records")).map((f) => JSON.parse(readFileSync(join(out, "records", f), "utf8")).wall_time_s);
  return { ...t, runs: runS.reduce((a, b) => a + b, 0) };
}

const bin = (tree) => join(tree, "node_modules/.bin/tokenwatt");
const MEASURES = {
  help: (tree) => timed(bin(tree), ["--help"], tree),
  "npx-help": (tree) => timed("npx", ["tokenwatt", "--help"], tree),
  "simulate-1": (tree) =>
    timed(bin(tree), ["simulate", "--synthetic_request_generator_config_num_requests", "1", "--output-dir", join(work, "sim1")], tree),
  "readme-first": (tree) => timed("npx", ["tokenwatt", "simulate", "--output-dir", join(work, "readme")], tree),
  "sweep-w1": (tree) => sweep(tree, oneRunSpec, 1),
  "sweep-w2": (tree) => sweep(tree, oneRunSpec, 2),
};
if (flag("scaling")) {
  MEASURES["scaling-w1"] = (tree) => sweep(tree, scalingSpec, 1);
  MEASURES["scaling-w2"] = (tree) => sweep(tree, scalingSpec, 2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const commit = (tree) => {
  try {
    return execFileSync("git", ["-C", tree, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
};

const load0 = loadavg()[0];
const samples = {}; // measure → tree → [{wall, cpu, runs?}]
for (let r = 0; r < reps; r++) {
  for (const [name, run] of Object.entries(MEASURES)) {
    for (const tree of r % 2 ? [...trees].reverse() : trees) {
      ((samples[name] ??= {})[tree] ??= []).push(run(tree));
    }
  }
}
rmSync(work, { recursive: true, force: true });

const fmt = (x) => x.toFixed(2);
console.log(
  `start-up, median of ${reps} (node ${process.version}; load average ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end)`,
);
for (const tree of trees) console.log(`  tree ${tree} @ ${commit(tree)}`);
console.log("measure | tree | wall s | CPU s | start-up s (one-run sweeps: wall − the run's own time)");
for (const [name, byTree] of Object.entries(samples)) {
  for (const tree of trees) {
    const xs = byTree[tree];
    const startup = name.startsWith("sweep-") ? fmt(median(xs.map((x) => x.wall - x.runs))) : "";
    console.log(`${name} | ${commit(tree)} | ${fmt(median(xs.map((x) => x.wall)))} | ${fmt(median(xs.map((x) => x.cpu)))} | ${startup}`);
  }
}
if (samples["scaling-w1"]) {
  for (const tree of trees) {
    const ratios = samples["scaling-w1"][tree].map((x, i) => x.wall / samples["scaling-w2"][tree][i].wall);
    console.log(`speed-up 2 workers vs 1 (64 × 10k) | ${commit(tree)} | median ${fmt(median(ratios))} (${ratios.map(fmt).join(", ")})`);
  }
}
