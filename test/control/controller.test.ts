/**
 * Grid controllers inside the loop (docs/control.md): `none` changes nothing, `carbon-aware` holds deferrable
 * requests while the CI is above its threshold and releases them below it or before their deadline, every
 * action is logged, --compare-baseline adds the open-loop summary, and bad input exits 2 writing nothing.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { expectRefused, runCli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "tw-control-"));
// a square-wave carbon trace: 500 g/kWh for half an hour, then 100, repeating
const ci = join(tmp, "ci.csv");
const lines = ["time,ci"];
for (let m = 0; m < 24 * 60; m += 30) {
  const h = String(Math.floor(m / 60)).padStart(2, "0");
  lines.push(`2023-06-08 ${h}:${String(m % 60).padStart(2, "0")}:00,${(m / 30) % 2 === 0 ? 500 : 100}`);
}
writeFileSync(ci, `${lines.join("\n")}\n`);

const workload = [
  "--synthetic_request_generator_config_num_requests",
  "1500",
  "--poisson_request_interval_generator_config_qps",
  "0.4",
  "--deferrable-fraction",
  "0.3",
  "--deferrable-deadline-s",
  "3600",
  "--carbon-trace",
  ci,
  "--carbon-trace-tz",
  "UTC",
  "--start",
  "2023-06-08T00:00:00Z",
  "--formats",
  "csv",
];
const grid = ["--battery", "simple", "--battery-capacity-wh", "200", "--battery-initial-soc", "0.5", "--grid-step", "60"];
const carbonAware = ["--controller", "carbon-aware", "--control-ci-threshold", "300", "--control-safety-margin-s", "600"];
const json = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
const text = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

test("--controller none: request metrics byte-identical to the run without microgrid flags", async () => {
  const plain = join(tmp, "plain");
  const none = join(tmp, "none");
  assert.is((await runCli("simulate", ...workload, "--output-dir", plain)).code, 0);
  const r = await runCli("simulate", ...workload, ...grid, "--controller", "none", "--output-dir", none);
  assert.is(r.code, 0, r.stderr);
  assert.is(text(none, "request_metrics.csv"), text(plain, "request_metrics.csv"));
  assert.not.ok(existsSync(join(none, "control.csv")));
  assert.is(json(none).control, undefined);
});

test("carbon-aware: holds deferrable requests in high-CI steps, releases them, meets every deadline; baseline keys", async () => {
  const out = join(tmp, "ca");
  const r = await runCli("simulate", ...workload, ...grid, ...carbonAware, "--compare-baseline", "--output-dir", out);
  assert.is(r.code, 0, r.stderr);
  const s = json(out);
  const c = s.control;
  assert.is(c.controller, "carbon-aware");
  assert.ok(c.held_requests > 50, `held ${c.held_requests}`);
  assert.is(c.released_requests + c.force_released_requests, c.held_requests);
  assert.ok(c.mean_deferral_s > 0 && c.mean_deferral_s < 3600);
  assert.ok(c.actions.hold > 0 && c.actions.resume > 0 && c.actions.release > 0);
  assert.is(s.classes.deferrable.missed_deadline, 0);
  // the baseline: same keys (microgrid included, no control), the same work served
  const b = s.baseline;
  for (const k of Object.keys(s)) if (k !== "control" && k !== "baseline") assert.ok(k in b, `baseline lacks ${k}`);
  assert.is(b.control, undefined);
  assert.is(b.served_output_tokens, s.served_output_tokens);
  assert.ok(b.microgrid.emissions_import_g > 0);
  assert.is(b.classes.deferrable.missed_deadline, 0);
  const v = c.vs_baseline;
  assert.ok(Math.abs(v.saved_by_less_import_g + v.saved_by_timing_g - v.emissions_import_g_saved) < 1e-6 * b.microgrid.emissions_import_g);
  assert.is(v.served_output_tokens_difference, 0);
  // one row per action, with its reason
  const rows = text(out, "control.csv").trim().split("\n");
  assert.is(rows[0], "t_s,action,value,reason");
  assert.is(
    rows.length - 1,
    Object.values(c.actions as Record<string, number>).reduce((x, y) => x + y, 0),
  );
  const hold = rows.find((l) => l.split(",")[1] === "hold")!;
  assert.match(hold, /,500,ci 500\.0 > threshold 300\.0 g\/kWh$/);
  // a hold starts only in a high-CI half hour (step starts at whole minutes, 30-minute square wave)
  for (const l of rows.slice(1)) {
    const [t, action] = l.split(",");
    if (action === "hold") assert.is(Math.floor(Number(t) / 1800) % 2, 0, l);
  }
});

test("carbon-aware: same seed, identical outputs; power cap while CI is high is applied and logged", async () => {
  const a = join(tmp, "det-a");
  const b = join(tmp, "det-b");
  const cap = join(tmp, "cap");
  for (const d of [a, b]) assert.is((await runCli("simulate", ...workload, ...grid, ...carbonAware, "--output-dir", d)).code, 0);
  assert.is(text(a, "request_metrics.csv"), text(b, "request_metrics.csv"));
  assert.is(text(a, "control.csv"), text(b, "control.csv"));
  assert.is(text(a, "microgrid.csv"), text(b, "microgrid.csv"));
  const r = await runCli("simulate", ...workload, ...grid, ...carbonAware, "--control-power-cap-w", "250", "--output-dir", cap);
  assert.is(r.code, 0, r.stderr);
  const s = json(cap);
  assert.ok(s.control.actions.power_cap > 0);
  assert.match(text(cap, "control.csv"), /,power_cap,250,ci 500\.0 > threshold 300\.0 g\/kWh\n/);
  assert.ok(s.energy.gpu_energy_kwh !== json(a).energy.gpu_energy_kwh);
});

test("bad input: one line, exit 2, nothing written", async () => {
  const rate = join(tmp, "rate.csv");
  writeFileSync(rate, "time,qps\n0,1\n600,1\n");
  const cases: [string[], RegExp][] = [
    [[...workload, "--controller", "carbon-aware"], /--controller carbon-aware needs a microgrid/],
    [[...workload, "--deferrable-deadline-s", "0"], /deferrable[-_]deadline[-_]s/],
    [[...workload.slice(0, 4), "--deferrable-fraction", "1.5"], /deferrable[-_]fraction/],
    [["--interval-generator-config-type", "rate_trace", "--arrival-rate-trace", rate, "--duration", "3600"], /shorter than/],
  ];
  let i = 0;
  for (const [args, message] of cases) await expectRefused(args, message, join(tmp, `bad${i++}`));
});

test.run();
