#!/usr/bin/env node
// Microgrid benchmarks (docs/microgrid.md, bench/RESULTS.md "## Microgrid"):  npm run bench:microgrid
// 1. A year of `tokenwatt cosim` at 60 s steps (525,600 steps; 700 W load, C-L-C battery of 100 cells, physics-free
//    constant solar 0 and region CI, so the microgrid itself is timed): inputs, one WASM call, summary. The first
//    run in a process pays for fresh WASM memory (63 MB of columns); later runs reuse it. Medians of 7 runs.
//    Also a year with physics solar for Berlin (suncalc-bound) and the Vessim basic example (1 day, 300 s).
// 2. In-loop overhead: `simulate` of a 24-hour open-loop run (8,640 requests at 0.1 QPS) with and without the
//    microgrid at 60 s steps (1,440 steps): engine time (run() incl. the in-loop steps), alternating, medians of 5.
import { existsSync } from "node:fs";
import { resolveOptions } from "../dist/src/config/parse.js";
import { resolveCosimOptions, runCosim } from "../dist/src/microgrid/cosim.js";
import { simulate } from "../dist/src/simulate.js";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f) => { const t0 = performance.now(); f(); return performance.now() - t0; };

function cosimYear(label, extra, runs = 7) {
  const o = resolveCosimOptions({ load_w: 700, duration: 365 * 86400, grid_step: 60, battery: "clc", battery_cells: 100, battery_initial_soc: 0.5, battery_min_soc: 0.2, ...extra });
  const ms = [];
  for (let i = 0; i < runs; i++) ms.push(time(() => runCosim(o, undefined, { copyResults: false })));
  console.log(`| ${label} | ${ms[0].toFixed(0)} | ${median(ms.slice(1)).toFixed(0)} | ${Math.min(...ms).toFixed(0)} |`);
}

console.log("## cosim, one year at 60 s steps (525,600 steps), ms: first run in the process | median of the next 6 | min");
console.log("| scenario | first | median | min |\n|---|---|---|---|");
cosimYear("700 W, C-L-C 100 cells, no solar, region CI", {});
cosimYear("+ physics solar, Berlin, 5 kWp", { location: "Berlin", solar_peak_w: 5000, start: "2023-01-01T00:00:00+01:00" }, 3);
const solar = "../shared/data/vessim/solar_example.csv";
const carbon = "../shared/data/vessim/watttime_example.csv";
if (existsSync(solar) && existsSync(carbon)) {
  const o = resolveCosimOptions({ load_w: 700, solar_trace: solar, solar_column: "Berlin", solar_peak_w: 5000, battery: "simple", battery_capacity_wh: 1500, battery_initial_soc: 0.8, battery_min_soc: 0.3, grid_step: 300, duration: 86400, carbon_trace: carbon });
  const ms = Array.from({ length: 7 }, () => time(() => runCosim(o, undefined, { copyResults: false })));
  console.log(`| Vessim basic example (1 day, 300 s, traces read) | ${ms[0].toFixed(0)} | ${median(ms.slice(1)).toFixed(0)} | ${Math.min(...ms).toFixed(0)} |`);
}

console.log("\n## in-loop overhead: simulate, 24 h open loop (8,640 requests at 0.1 QPS), microgrid at 60 s steps; engine ms");
const base = { synthetic_request_generator_config_num_requests: 8640, poisson_request_interval_generator_config_qps: 0.1, formats: "csv", start: "2023-06-08T00:00:00Z" };
const grid = { location: "Berlin", solar_peak_w: 2000, battery: "clc", battery_cells: 30, battery_initial_soc: 0.6, battery_min_soc: 0.2, grid_step: 60 };
const off = [], on = [], offCpu = [], onCpu = [];
let steps = 0, duration = 0;
const cpuMs = (f) => { const c0 = process.cpuUsage(); const r = f(); const c = process.cpuUsage(c0); return [r, (c.user + c.system) / 1000]; };
for (let i = 0; i < 7; i++) {
  const [a, ca] = cpuMs(() => simulate(resolveOptions(base)));
  off.push(a.timings.engineMs); offCpu.push(ca);
  const [r, cr] = cpuMs(() => simulate(resolveOptions({ ...base, ...grid })));
  on.push(r.timings.engineMs); onCpu.push(cr);
  steps = r.summary.microgrid.steps;
  duration = r.summary.microgrid.duration_s;
}
console.log(`| run | engine ms, wall (median of 7) | whole simulate(), CPU ms (median of 7) |\n|---|---|---|`);
console.log(`| without microgrid | ${median(off).toFixed(0)} | ${median(offCpu).toFixed(0)} |`);
console.log(`| with microgrid (${steps} steps, ${(duration / 3600).toFixed(1)} h) | ${median(on).toFixed(0)} | ${median(onCpu).toFixed(0)} |`);
console.log(`engine overhead (runEngine: solar table written, in-loop steps, nothing else): ${((median(on) / median(off) - 1) * 100).toFixed(1)} %`);
console.log(`whole-run CPU overhead (incl. physics solar tabulation, tables, summary): ${((median(onCpu) / median(offCpu) - 1) * 100).toFixed(1)} %`);
