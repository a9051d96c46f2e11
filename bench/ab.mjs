#!/usr/bin/env node
// A/B engine speed of two builds: alternates their CLIs on the 100k-request zipf/Poisson workload of bench/run.mjs
// (CSV only) and prints the median event-loop seconds of each and their ratio. Alternating runs share the machine's
// load, so the ratio is steadier than two separate `npm run bench` tables on a busy host.
//   node bench/ab.mjs BEFORE_CLI AFTER_CLI [repetitions=7]    (a CLI is a built dist/src/cli/main.js)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchmarkWorkload } from "./workload.flags.mjs";

const [before, after, repsArg] = process.argv.slice(2);
if (!before || !after) {
  console.error("usage: node bench/ab.mjs BEFORE_CLI AFTER_CLI [repetitions]");
  process.exit(2);
}
const clis = { before, after };
const reps = Number(repsArg ?? 7);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
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
