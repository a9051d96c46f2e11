#!/usr/bin/env node
// Engine-only speed in CPU time: resolves Vidur's benchmark workload (bench/workload.flags.mjs, default flags
// otherwise: energy accounting and token metrics on) once, then runs the engine `reps` times in this process and
// prints the median CPU seconds of one run (process.cpuUsage around runEngine: the event loop and the chunk
// views, as the CLI streams them) and batches per CPU-second. CPU time is what a loaded machine distorts least; for instruction
// counts run it under valgrind with 1 and 3 repetitions and halve the difference (bench/RESULTS.md, issue 16).
//   node bench/engine-cpu.mjs [--tree DIR] [--scheduler vllm] [--requests 100000] [--reps 5] [--json]
//   (--tree: a built tokenwatt checkout to measure, default this one; --reps 0 resolves only)
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { benchmarkWorkload } from "./workload.flags.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const tree = resolve(arg("tree", new URL("..", import.meta.url).pathname));
const scheduler = arg("scheduler", "vllm");
const requests = Number(arg("requests", "100000"));
const reps = Number(arg("reps", "5"));
const load = (path) => import(pathToFileURL(join(tree, "dist", "src", path)).href);
const { resolveOptions } = await load("config/parse.js");
const { resolveScenario } = await load("scenario/resolve.js");
const { engineRun } = await load("engine/engine.js");

const flags = benchmarkWorkload(requests, scheduler);
const given = {};
for (let i = 0; i < flags.length; i += 2) given[flags[i].slice(2)] = flags[i + 1];
const scenario = resolveScenario(resolveOptions(given), process.cwd(), {});
const cpu = [];
let batches = 0;
let events = 0;
for (let i = 0; i < reps; i++) {
  const c0 = process.cpuUsage();
  // the CLI's path: chunks of request rows are handed on as they leave the engine (here: dropped)
  const run = engineRun(scenario, undefined, { copyResults: false });
  let step = run.next();
  while (!step.done) step = run.next();
  const result = step.value;
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1e6);
  batches = result.counters.batches;
  events = result.counters.events;
}
const median = cpu.length ? [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)] : Number.NaN;
const out = { tree, scheduler, requests, reps, batches, events, cpu_s: cpu, median_cpu_s: median, batches_per_cpu_s: batches / median };
if (process.argv.includes("--json")) console.log(JSON.stringify(out));
else
  console.log(
    `${scheduler} ${requests}: ${batches} batches, ${events} events; CPU s per run ${cpu.map((x) => x.toFixed(3)).join(" ")}; ` +
      `median ${median.toFixed(3)} s = ${Math.round(batches / median).toLocaleString("en-US")} batches per CPU-second`,
  );
