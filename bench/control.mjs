#!/usr/bin/env node
// Grid controller benchmarks (docs/control.md, bench/RESULTS.md "## Grid controllers"):  npm run bench:control
// 1. The demo: one day of Llama-3.1-8B on 2 H100 SXM replicas, diurnal load (3 QPS peak at 14:00 Los Angeles,
//    1 QPS trough), 30 % deferrable requests with a 12-hour deadline, solar (Vessim's San Francisco trace, 1.5 kW
//    peak) + a 2 kWh battery + the WattTime CAISO-North trace, each controller variant with --compare-baseline.
//    Prints the emission saving and its split (timing, replicas off, power cap, other), served tokens, missed
//    deadlines and interactive p99 TTFT of both; power-budget's steps over budget.
// 2. Speed: 24 h at a mean of 20 QPS (≈ 1.7 M requests, 8 replicas, 512-token prompts, 64-token outputs) without
//    the microgrid, and with the microgrid + carbon-aware at 60 s steps: engine time (summary.engine.event_loop_s)
//    and the run's wall time in-process, one run each (the machine is shared: ratios from one run).
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../dist/src/cli/run.js";

const S = "../shared/data/vessim";
const SOLAR = `${S}/solar_example.csv`;
const CAISO = `${S}/watttime2023_caiso-north_actual.csv`;
if (!existsSync(SOLAR) || !existsSync(CAISO)) {
  console.log(`bench:control needs ${SOLAR} and ${CAISO} (Vessim test data); skipped`);
  process.exit(0);
}
const tmp = mkdtempSync(join(tmpdir(), "tw-bench-control-"));
const grid = [
  "--solar-trace",
  SOLAR,
  "--solar-column",
  "San Francisco",
  "--carbon-trace",
  CAISO,
  "--carbon-trace-tz",
  "UTC",
  "--grid-step",
  "60",
];
const base = [
  "--replica_config_model_name",
  "meta-llama/Llama-3.1-8B",
  "--replica_config_device",
  "h100-sxm",
  "--replica_config_network_device",
  "h100_dgx",
  "--interval-generator-config-type",
  "diurnal",
  "--diurnal-tz",
  "America/Los_Angeles",
  "--start",
  "2023-06-08T00:00:00Z",
  "--duration",
  "86400",
  "--deferrable-fraction",
  "0.3",
  "--deferrable-deadline-s",
  "43200",
  "--carbon-trace",
  CAISO,
  "--carbon-trace-tz",
  "UTC",
  "--formats",
  "csv",
];
async function run(name, args) {
  const out = join(tmp, name);
  const t0 = performance.now();
  const code = await main(["node", "tokenwatt", "simulate", ...args, "--output-dir", out]);
  const wall = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${name}: exit ${code}`);
  return { s: JSON.parse(readFileSync(join(out, "summary.json"), "utf8")), wall };
}
const f = (x, d = 1) => Number(x).toFixed(d);

if (!process.argv.includes("--speed-only")) {
  const demo = [
    ...base,
    "--cluster_config_num_replicas",
    "2",
    "--diurnal-peak-qps",
    "3",
    "--diurnal-trough-qps",
    "1",
    ...grid.slice(0, 4),
    "--solar-peak-w",
    "1500",
    "--battery",
    "simple",
    "--battery-capacity-wh",
    "2000",
    "--battery-initial-soc",
    "0.5",
    "--grid-step",
    "60",
    "--control-release-qps",
    "2",
    "--compare-baseline",
  ];
  // the controllers of docs/control.md on the same day; replicas off draw 60 W each
  const off = ["--replica-off-power-w", "60"];
  const variants = [
    ["carbon-aware", ["--controller", "carbon-aware", "--control-ci-percentile", "40"]],
    [
      "carbon-aware, low-load replicas off",
      ["--controller", "carbon-aware", "--control-ci-percentile", "40", "--control-low-load-off", "--control-replica-qps", "1", ...off],
    ],
    ["solar-follow, 2 replicas kept", ["--controller", "solar-follow", "--control-min-replicas", "2"]],
    ["solar-follow, replicas off", ["--controller", "solar-follow", "--control-replica-qps", "1", ...off]],
    ["power-budget 1100 W", ["--controller", "power-budget", "--power-budget-w", "1100"]],
  ];
  console.log(`demo: tokenwatt simulate ${demo.join(" ")} + one of the variants below`);
  for (const [label, extra] of variants) {
    const { s, wall } = await run(label.replace(/[^a-z0-9]+/g, "-"), [...demo, ...extra]);
    const b = s.baseline;
    const v = s.control.vs_baseline;
    const p99 = s.classes.interactive.ttft_s.p99;
    const p99b = b.classes.interactive.ttft_s.p99;
    console.log(`${label} (${extra.join(" ")}): ${s.num_requests} requests, wall ${f(wall)} s (both runs)`);
    console.log(
      `  emissions_import_g ${f(s.microgrid.emissions_import_g)} vs ${f(b.microgrid.emissions_import_g)}: saved ${f(v.emissions_import_g_saved)} g ` +
        `(${f(100 * v.emissions_import_saved_fraction, 2)} %) = timing ${f(v.saved_by_timing_g)} + replicas off ${f(v.saved_by_replicas_off_g)} ` +
        `+ power cap ${f(v.saved_by_power_cap_g)} + other ${f(v.saved_by_other_g)}`,
    );
    console.log(
      `  gpu_energy_kwh ${f(s.energy.gpu_energy_kwh, 3)} vs ${f(b.energy.gpu_energy_kwh, 3)}, served_output_tokens ${s.served_output_tokens} vs ` +
        `${b.served_output_tokens}, missed deadlines ${s.classes.deferrable.missed_deadline}, interactive p99 TTFT ${f(p99, 4)} s vs ` +
        `${f(p99b, 4)} s (${f(100 * (p99 / p99b - 1), 1)} %)`,
    );
    console.log(
      `  held ${s.control.held_requests}, forced ${s.control.force_released_requests}, mean deferral ${f(s.control.mean_deferral_s / 3600, 2)} h, ` +
        `replica-hours off ${f(s.control.replica_off_s / 3600, 2)}, wake-ups ${s.control.replica_wake_ups}; actions ` +
        JSON.stringify(Object.fromEntries(Object.entries(s.control.actions).filter(([, n]) => n > 0))),
    );
    if (s.power_budget) {
      const pb = s.power_budget;
      const bb = b.power_budget;
      console.log(
        `  steps over budget ${pb.steps_over_budget} vs ${bb.steps_over_budget} of ${pb.steps}, energy over budget ` +
          `${f(pb.energy_over_budget_kwh, 3)} vs ${f(bb.energy_over_budget_kwh, 3)} kWh, max step load ${f(pb.max_step_load_w)} vs ${f(bb.max_step_load_w)} W`,
      );
    }
  }
}

if (!process.argv.includes("--demo-only")) {
  const speed = [
    ...base,
    "--cluster_config_num_replicas",
    "8",
    "--diurnal-peak-qps",
    "30",
    "--diurnal-trough-qps",
    "10",
    "--length_generator_config_type",
    "fixed",
    "--fixed_request_length_generator_config_prefill_tokens",
    "512",
    "--fixed_request_length_generator_config_decode_tokens",
    "64",
  ];
  const ctl = [
    ...grid.slice(0, 4),
    "--solar-peak-w",
    "6000",
    "--battery",
    "simple",
    "--battery-capacity-wh",
    "8000",
    "--battery-initial-soc",
    "0.5",
    "--grid-step",
    "60",
    "--controller",
    "carbon-aware",
    "--control-release-qps",
    "8",
    "--control-ci-percentile",
    "40",
  ];
  // the actuators' cost: solar-follow switching replicas off and on (a floor of 3 req/s per replica)
  const follow = [...ctl.slice(0, -6), "--controller", "solar-follow", "--control-release-qps", "8", "--control-replica-qps", "3"];
  console.log(`speed: tokenwatt simulate ${speed.join(" ")} [+ ${ctl.join(" ")}] [+ ${follow.join(" ")} --replica-off-power-w 60]`);
  const a = await run("plain", speed);
  const c = await run("control", [...speed, ...ctl]);
  const d = await run("follow", [...speed, ...follow, "--replica-off-power-w", "60"]);
  console.log(
    `  ${a.s.num_requests} requests; engine ${f(a.s.engine.event_loop_s)} s → ${f(c.s.engine.event_loop_s)} s with microgrid + ` +
      `carbon-aware (× ${f(c.s.engine.event_loop_s / a.s.engine.event_loop_s, 2)}); wall ${f(a.wall)} s → ${f(c.wall)} s (× ${f(c.wall / a.wall, 2)})`,
  );
  console.log(
    `  control: ${JSON.stringify(c.s.control.actions)}, held ${c.s.control.held_requests}, missed ${c.s.classes.deferrable.missed_deadline}`,
  );
  console.log(
    `  solar-follow: engine ${f(d.s.engine.event_loop_s)} s (× ${f(d.s.engine.event_loop_s / a.s.engine.event_loop_s, 2)}); wall ` +
      `${f(d.wall)} s (× ${f(d.wall / a.wall, 2)}); replica-hours off ${f(d.s.control.replica_off_s / 3600, 1)}, ` +
      `wake-ups ${d.s.control.replica_wake_ups}, missed ${d.s.classes.deferrable.missed_deadline}`,
  );
}
