#!/usr/bin/env node
// Microgrid benchmarks (docs/microgrid.md, bench/RESULTS.md "## Microgrid"):  npm run bench:microgrid
// 1. A year of `tokenwatt cosim` at 60 s steps (525,600 steps; 700 W load, C-L-C battery of 100 cells, physics-free
//    constant solar 0 and region CI, so the microgrid itself is timed): inputs, one WASM call, summary. The first
//    run in a process pays for fresh WASM memory (63 MB of columns); later runs reuse it. Medians of 7 runs.
//    Also a year with physics solar for Berlin (suncalc-bound) and the Vessim basic example (1 day, 300 s).
// 2. In-loop overhead: the engine call of a ~24-hour open-loop run (8,640 requests at 0.1 QPS) with and without
//    the microgrid at 60 s steps (~1,400 steps stepped inside run()), alternating on one engine instance, medians
//    of 9 (wall and CPU time; the machine is shared, CPU time is the steadier figure).
import { existsSync } from "node:fs";
import { resolveOptions } from "../dist/src/config/parse.js";
import { resolveCosimOptions, runCosim } from "../dist/src/cosim/cosim.js";
import { runEngine } from "../dist/src/engine/engine.js";
import { instantiateEngine } from "../dist/src/engine/wasm.js";
import { inLoopMicrogrid } from "../dist/src/cosim/in-loop.js";
import { resolveScenario } from "../dist/src/scenario/resolve.js";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (x, y) => `${((x / y - 1) * 100).toFixed(1)} %`;
const time = (f) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};
/** CPU ms of this process while f runs (the machine is shared: wall time includes waiting for a core). */
const cpu = (f) => {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

function cosimYear(label, extra, runs = 7) {
  const o = resolveCosimOptions({
    load_w: 700,
    duration: 365 * 86400,
    grid_step: 60,
    battery: "clc",
    battery_cells: 100,
    battery_initial_soc: 0.5,
    battery_min_soc: 0.2,
    ...extra,
  });
  const ms = [],
    cms = [];
  for (let i = 0; i < runs; i++) {
    let w = 0;
    cms.push(
      cpu(() => {
        w = time(() => runCosim(o, undefined, { copyResults: false }));
      }),
    );
    ms.push(w);
  }
  console.log(
    `| ${label} | ${ms[0].toFixed(0)} | ${median(ms.slice(1)).toFixed(0)} | ${Math.min(...ms).toFixed(0)} | ` +
      `${median(cms.slice(1)).toFixed(0)} |`,
  );
}

console.log(
  "## cosim, one year at 60 s steps (525,600 steps), wall ms: first run in the process | median of the next runs | min; CPU ms median",
);
console.log("| scenario | first | median | min | CPU median |\n|---|---|---|---|---|");
cosimYear("700 W, C-L-C 100 cells, no solar, region CI", {});
cosimYear("+ physics solar, Berlin, 5 kWp", { location: "Berlin", solar_peak_w: 5000, start: "2023-01-01T00:00:00+01:00" }, 3);
const solar = "../shared/data/vessim/solar_example.csv";
const carbon = "../shared/data/vessim/watttime_example.csv";
if (existsSync(solar) && existsSync(carbon)) {
  const o = resolveCosimOptions({
    load_w: 700,
    solar_trace: solar,
    solar_column: "Berlin",
    solar_peak_w: 5000,
    battery: "simple",
    battery_capacity_wh: 1500,
    battery_initial_soc: 0.8,
    battery_min_soc: 0.3,
    grid_step: 300,
    duration: 86400,
    carbon_trace: carbon,
  });
  const ms = [],
    cms = [];
  for (let i = 0; i < 7; i++) {
    let w = 0;
    cms.push(
      cpu(() => {
        w = time(() => runCosim(o, undefined, { copyResults: false }));
      }),
    );
    ms.push(w);
  }
  console.log(
    `| Vessim basic example (1 day, 300 s, traces read) | ${ms[0].toFixed(0)} | ${median(ms.slice(1)).toFixed(0)} | ` +
      `${Math.min(...ms).toFixed(0)} | ${median(cms.slice(1)).toFixed(0)} |`,
  );
}

console.log("\n## in-loop overhead: 24 h open loop (8,640 requests at 0.1 QPS), microgrid at 60 s steps; runEngine alone");
const base = {
  synthetic_request_generator_config_num_requests: 8640,
  poisson_request_interval_generator_config_qps: 0.1,
  formats: "csv",
  start: "2023-06-08T00:00:00Z",
};
const grid = {
  location: "Berlin",
  solar_peak_w: 2000,
  battery: "clc",
  battery_cells: 30,
  battery_initial_soc: 0.6,
  battery_min_soc: 0.2,
  grid_step: 60,
};
const opts = resolveOptions({ ...base, ...grid });
const scenario = resolveScenario(opts, process.cwd(), {});
const engine = instantiateEngine();
const opts1 = resolveOptions({ ...base, ...grid, grid_step: 1 }); // 60x the steps: bounds the per-step cost
const off = [],
  on = [],
  offCpu = [],
  onCpu = [],
  on1 = [],
  on1Cpu = [];
let rows = 0,
  rows1 = 0;
for (let i = 0; i < 9; i++) {
  let w = 0;
  offCpu.push(
    cpu(() => {
      w = time(() => runEngine(scenario, engine, { copyResults: false }));
    }),
  );
  off.push(w);
  const mg = inLoopMicrogrid(opts, scenario); // planning and physics tabulation: outside the timed call
  let r;
  onCpu.push(
    cpu(() => {
      w = time(() => {
        r = runEngine(scenario, engine, { copyResults: false, beforeRun: mg.beforeRun });
      });
    }),
  );
  on.push(w);
  rows = mg.collect(r).summary.steps;
  const mg1 = inLoopMicrogrid(opts1, scenario);
  on1Cpu.push(
    cpu(() => {
      w = time(() => {
        r = runEngine(scenario, engine, { copyResults: false, beforeRun: mg1.beforeRun });
      });
    }),
  );
  on1.push(w);
  rows1 = mg1.collect(r).summary.steps;
}
console.log(`| run | wall ms (median of 9) | CPU ms (median of 9) |\n|---|---|---|`);
console.log(`| runEngine without microgrid | ${median(off).toFixed(1)} | ${median(offCpu).toFixed(1)} |`);
console.log(`| runEngine with microgrid (${rows} steps in the loop) | ${median(on).toFixed(1)} | ${median(onCpu).toFixed(1)} |`);
console.log(
  `| runEngine with microgrid at 1 s steps (${rows1} steps in the loop) | ${median(on1).toFixed(1)} | ${median(on1Cpu).toFixed(1)} |`,
);
console.log(
  `overhead at 60 s: wall ${pct(median(on), median(off))}, CPU ${pct(median(onCpu), median(offCpu))}; ` +
    `at 1 s: wall ${pct(median(on1), median(off))}, CPU ${pct(median(on1Cpu), median(offCpu))}`,
);
