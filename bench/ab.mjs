#!/usr/bin/env node
// A/B engine speed of two builds: alternates their CLIs on the 100k-request zipf/Poisson workload of bench/run.mjs
// (CSV only) and prints the median event-loop seconds of each and their ratio. Alternating runs share the machine's
// load, so the ratio is steadier than two separate `npm run bench` tables on a busy host.
// With --cpu, the engines of the two builds run in this one process instead, alternating on the same resolved
// scenario (default flags otherwise, as bench/engine-cpu.mjs), and the table gives CPU seconds per run
// (process.cpuUsage) and batches per CPU-second: on a loaded machine CPU time is steadier than wall time.
//   node bench/ab.mjs BEFORE_CLI AFTER_CLI [repetitions=7] [--cpu]    (a CLI is a built dist/src/cli/main.js)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { benchmarkWorkload } from "./workload.flags.mjs";

const cpuMode = process.argv.includes("--cpu");
const [before, after, repsArg] = process.argv.slice(2).filter((a) => a !== "--cpu");
if (!before || !after) {
  console.error("usage: node bench/ab.mjs BEFORE_CLI AFTER_CLI [repetitions] [--cpu]");
  process.exit(2);
}
const clis = { before, after };
const reps = Number(repsArg ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (cpuMode) {
  // dist/src/cli/main.js -> dist/src
  const engines = {};
  for (const [which, cli] of Object.entries(clis)) {
    const src = dirname(dirname(resolve(cli)));
    const load = (path) => import(pathToFileURL(join(src, path)).href);
    engines[which] = {
      ...(await load("config/parse.js")),
      ...(await load("scenario/resolve.js")),
      ...(await load("engine/engine.js")),
    };
  }
  console.log("| scheduler | before: CPU s per run (median) | after | after / before | batches per CPU-second: before | after |");
  console.log("|---|---|---|---|---|---|");
  for (const scheduler of ["vllm", "sarathi"]) {
    const flags = benchmarkWorkload(100_000, scheduler);
    const given = {};
    for (let i = 0; i < flags.length; i += 2) given[flags[i].slice(2)] = flags[i + 1];
    const scenario = engines.before.resolveScenario(engines.before.resolveOptions(given), process.cwd(), {});
    const cpu = { before: [], after: [] };
    let batches = 0;
    for (let i = 0; i < reps; i++) {
      for (const [which, e] of Object.entries(engines)) {
        const c0 = process.cpuUsage();
        const run = e.engineRun(scenario, undefined, { copyResults: false });
        let step = run.next();
        while (!step.done) step = run.next();
        const c = process.cpuUsage(c0);
        cpu[which].push((c.user + c.system) / 1e6);
        batches = step.value.counters.batches;
      }
    }
    const b = median(cpu.before);
    const a = median(cpu.after);
    const rate = (s) => Math.round(batches / s).toLocaleString("en-US");
    console.log(`| ${scheduler} | ${b.toFixed(3)} | ${a.toFixed(3)} | ${(a / b).toFixed(3)} | ${rate(b)} | ${rate(a)} |`);
  }
  console.log(
    `\n${reps} alternating in-process runs each (the first of each build included); node ${process.version}; ${new Date().toISOString()}`,
  );
  process.exit(0);
}
const loops = {};
for (const scheduler of ["vllm", "sarathi"]) {
  for (let i = 0; i < reps; i++) {
    for (const [which, cli] of Object.entries(clis)) {
      const out = mkdtempSync(join(tmpdir(), "tokenwatt-ab-"));
      const r = spawnSync(
        process.execPath,
        [cli, "simulate", ...benchmarkWorkload(100_000, scheduler), "--formats", "csv", "--output-dir", out],
        { encoding: "utf8" },
      );
      if (r.status !== 0) throw new Error(`${which} failed: ${r.stderr}`);
      const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
      (loops[`${scheduler} ${which}`] ??= []).push(summary.engine.event_loop_s);
      rmSync(out, { recursive: true, force: true });
    }
  }
}
console.log("| scheduler | before: event loop s (median) | after | after / before |");
console.log("|---|---|---|---|");
for (const scheduler of ["vllm", "sarathi"]) {
  const b = median(loops[`${scheduler} before`]);
  const a = median(loops[`${scheduler} after`]);
  console.log(`| ${scheduler} | ${b.toFixed(3)} | ${a.toFixed(3)} | ${(a / b).toFixed(3)} |`);
}
console.log(`\n${reps} alternating runs each; node ${process.version}; ${new Date().toISOString()}`);
