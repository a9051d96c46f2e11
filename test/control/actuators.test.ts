/**
 * The controller's actuators inside the engine (docs/control.md, "Actuators"): a batch cap the replicas respect,
 * replicas drained, switched off and woken up with their energy accounted exactly, routing to active replicas
 * only; solar-follow and power-budget act and log; noisy forecasts are seeded; bad input exits 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { expectRefused, runCli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "tw-actuators-"));
// a square-wave carbon trace: 500 g/kWh for half an hour, then 100, repeating
const ci = join(tmp, "ci.csv");
const lines = ["time,ci"];
for (let m = 0; m < 24 * 60; m += 30) {
  const h = String(Math.floor(m / 60)).padStart(2, "0");
  lines.push(`2023-06-08 ${h}:${String(m % 60).padStart(2, "0")}:00,${(m / 30) % 2 === 0 ? 500 : 100}`);
}
writeFileSync(ci, `${lines.join("\n")}\n`);

const workload = (n: number, qps: number, replicas: number): string[] => [
  ...["--synthetic_request_generator_config_num_requests", String(n), "--poisson_request_interval_generator_config_qps", String(qps)],
  ...["--length_generator_config_type", "fixed", "--fixed_request_length_generator_config_prefill_tokens", "256"],
  ...["--fixed_request_length_generator_config_decode_tokens", "64", "--cluster_config_num_replicas", String(replicas)],
  ...["--deferrable-fraction", "0.3", "--deferrable-deadline-s", "3600", "--carbon-trace", ci, "--carbon-trace-tz", "UTC"],
  ...["--start", "2023-06-08T00:00:00Z", "--battery", "simple", "--battery-capacity-wh", "200", "--grid-step", "60"],
  ...["--control-safety-margin-s", "600", "--formats", "csv"],
];
const json = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
const text = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

/** A CSV file as rows of named string fields (no quoted commas in the columns read here). */
function rows(dir: string, f: string): Record<string, string>[] {
  const [head, ...body] = text(dir, f).trim().split("\n");
  const keys = head.split(",");
  return body.map((l) => Object.fromEntries(l.split(",").map((v, i) => [keys[i], v])));
}

/** GPU energy of the timeline and facility energy of the microgrid rows agree with the summary. */
function assertEnergyExact(dir: string): void {
  const s = json(dir);
  const gpuJ = rows(dir, "timeline.csv").reduce((a, r) => a + Number(r.gpu_energy_j), 0);
  assert.ok(
    Math.abs(gpuJ / 3.6e6 - s.energy.gpu_energy_kwh) < 1e-9 * s.energy.gpu_energy_kwh,
    `${gpuJ / 3.6e6} ${s.energy.gpu_energy_kwh}`,
  );
  const mg = rows(dir, "microgrid.csv");
  let loadJ = 0;
  for (let i = 0; i < mg.length; i++) {
    const t = Number(mg[i].t_s);
    const next = i + 1 < mg.length ? Number(mg[i + 1].t_s) : s.energy.duration_s;
    loadJ += Number(mg[i].load_w) * (next - t);
  }
  assert.ok(Math.abs(loadJ / 3.6e6 - s.energy.facility_energy_kwh) < 1e-9 * s.energy.facility_energy_kwh);
}

test("batch cap: while the controller caps it, no batch holds more requests than the cap", async () => {
  const capped = join(tmp, "cap");
  const open = join(tmp, "cap-open");
  const args = [...workload(600, 4, 1), "--metrics_config_keep_individual_batch_metrics", "--controller", "carbon-aware"];
  // threshold 1 g/kWh: the CI is always above it, so the cap holds from the first tick (t = 60 s) on
  let r = await runCli("simulate", ...args, "--control-ci-threshold", "1", "--control-batch-cap", "2", "--output-dir", capped);
  assert.is(r.code, 0, r.stderr);
  r = await runCli("simulate", ...args, "--control-ci-threshold", "1", "--output-dir", open);
  assert.is(r.code, 0, r.stderr);
  assert.match(text(capped, "control.csv"), /\n60\.[\d]+,batch_cap,2,ci 500\.0 > threshold 1\.0 g\/kWh\n/);
  const largest = (dir: string) =>
    Math.max(
      ...rows(dir, "batch_metrics.csv")
        .filter((b) => Number(b.scheduled_at) > 120)
        .map((b) => Number(b.batch_size)),
    );
  assert.ok(largest(capped) <= 2, `capped: ${largest(capped)}`);
  assert.ok(largest(open) > 2, `open: ${largest(open)}`);
  assert.is(json(capped).served_output_tokens, json(open).served_output_tokens);
});

test("replicas off: drained replicas get no new request, then draw exactly the off power; energy stays exact", async () => {
  const out = join(tmp, "off");
  const r = await runCli(
    "simulate",
    ...workload(400, 0.4, 4),
    ...["--controller", "carbon-aware", "--control-ci-threshold", "1", "--control-low-load-off", "--control-replica-qps", "1000"],
    ...["--control-load-window-s", "60", "--replica-off-power-w", "40", "--output-dir", out],
  );
  assert.is(r.code, 0, r.stderr);
  const log = rows(out, "control.csv");
  // one replica per tick (the load window is one step), at the first event of the step
  const drains = log.filter((x) => x.action === "replica_drain").map((x) => [Math.floor(Number(x.t_s) / 60), Number(x.value)]);
  assert.equal(drains, [
    [1, 3],
    [2, 2],
    [3, 1],
  ]);
  const offAt = new Map(log.filter((x) => x.action === "replica_off").map((x) => [Number(x.value), Number(x.t_s)]));
  assert.equal([...offAt.keys()].sort(), [1, 2, 3]);
  const routed = rows(out, "request_metrics.csv").filter((q) => Number(q.arrived_at) > 240);
  assert.ok(routed.length > 100);
  assert.ok(routed.every((q) => q.replica_id === "0"));
  const s = json(out);
  assert.ok(s.control.replica_off_s > 3 * (s.energy.duration_s - 400), String(s.control.replica_off_s));
  assert.ok(s.control.replicas_off_gpu_energy_kwh_saved > 0);
  const after = rows(out, "timeline.csv").filter((b) => Number(b.t_start_s) > (offAt.get(3) ?? 0) + 1);
  assert.ok(after.length > 1000 && after.every((b) => Number(b.power_w_replica_3) === 40));
  assertEnergyExact(out);
});

test("wake-up: off replicas come back after --replica-wake-up-s at the wake-up power, unrouted meanwhile", async () => {
  const out = join(tmp, "wake");
  const r = await runCli(
    "simulate",
    ...workload(1500, 0.4, 3),
    ...["--controller", "carbon-aware", "--control-ci-threshold", "300", "--control-low-load-off", "--control-replica-qps", "1000"],
    ...["--control-load-window-s", "60", "--replica-wake-up-s", "120", "--replica-wake-up-power-w", "300", "--output-dir", out],
  );
  assert.is(r.code, 0, r.stderr);
  const log = rows(out, "control.csv");
  const wake = log.find((x) => x.action === "replica_wake");
  assert.ok(wake, "no replica_wake row");
  const t = Number(wake.t_s);
  const replica = wake.value;
  const on = log.find((x) => x.action === "replica_on" && x.value === replica && Number(x.t_s) > t);
  assert.ok(on && Math.abs(Number(on.t_s) - (t + 120)) < 1e-9, JSON.stringify(on));
  const waking = rows(out, "timeline.csv").filter((b) => Number(b.t_start_s) >= Math.ceil(t) && Number(b.t_end_s) <= t + 120);
  assert.ok(waking.length > 100 && waking.every((b) => Number(b[`power_w_replica_${replica}`]) === 300));
  const routed = rows(out, "request_metrics.csv").filter((q) => Number(q.arrived_at) > t && Number(q.arrived_at) < t + 120);
  assert.ok(routed.every((q) => q.replica_id !== replica));
  assert.ok(json(out).control.replica_wake_ups >= 1);
  assertEnergyExact(out);
});

const site = ["--location", "San Francisco", "--solar-peak-w", "600"];

test("solar-follow and power-budget: act, log every action with its reason, same outputs for the same seed", async () => {
  const sf = join(tmp, "sf");
  let r = await runCli(
    "simulate",
    ...workload(1500, 0.4, 3),
    ...site,
    ...["--controller", "solar-follow", "--control-power-cap-w", "300", "--control-batch-cap", "8", "--output-dir", sf],
  );
  assert.is(r.code, 0, r.stderr);
  const log = text(sf, "control.csv");
  assert.match(log, /,replicas,1,solar \+ battery [\d.]+ W < load [\d.]+ W\n/);
  assert.match(log, /,power_cap,300,solar \+ battery/);
  assert.match(log, /,batch_cap,8,solar \+ battery/);
  assert.is(json(sf).classes.deferrable.missed_deadline, 0);
  const pb = join(tmp, "pb");
  const budget = ["--controller", "power-budget", "--power-budget-w", "370", "--compare-baseline"];
  r = await runCli("simulate", ...workload(1500, 0.4, 3), ...site, ...budget, "--output-dir", pb);
  assert.is(r.code, 0, r.stderr);
  const s = json(pb);
  for (const a of ["hold", "power_cap", "batch_cap", "replicas"]) assert.ok(s.control.actions[a] > 0, a);
  assert.match(text(pb, "control.csv"), /,power_cap,[\d.]+,facility [\d.]+ W > budget 370\.0 W\n/);
  assert.ok(s.energy.facility_energy_kwh < s.baseline.energy.facility_energy_kwh);
  assert.is(s.served_output_tokens, s.baseline.served_output_tokens);
  assertEnergyExact(pb);
  const again = join(tmp, "pb-again");
  r = await runCli("simulate", ...workload(1500, 0.4, 3), ...site, ...budget, "--output-dir", again);
  assert.is(text(again, "control.csv"), text(pb, "control.csv"));
  assert.is(text(again, "request_metrics.csv"), text(pb, "request_metrics.csv"));
});

test("noisy forecast: seeded (same seed, same decisions; another seed, others); 0 is the perfect forecast", async () => {
  const args = [...workload(1500, 0.4, 1), "--controller", "carbon-aware", "--control-ci-percentile", "40"];
  const run = async (name: string, extra: string[]) => {
    const dir = join(tmp, name);
    const r = await runCli("simulate", ...args, ...extra, "--output-dir", dir);
    assert.is(r.code, 0, r.stderr);
    return dir;
  };
  const perfect = await run("f0", []);
  const zero = await run("f00", ["--forecast-error", "0", "--forecast-seed", "7"]);
  const a = await run("fa", ["--forecast-error", "0.3"]);
  const b = await run("fb", ["--forecast-error", "0.3"]);
  const c = await run("fc", ["--forecast-error", "0.3", "--forecast-seed", "2"]);
  assert.is(text(zero, "control.csv"), text(perfect, "control.csv"));
  assert.is(text(a, "control.csv"), text(b, "control.csv"));
  assert.is.not(text(a, "control.csv"), text(perfect, "control.csv"));
  assert.is.not(text(c, "control.csv"), text(a, "control.csv"));
  assert.match(json(a).control.forecast, /^noisy: relative sigma 0\.3/);
});

test("bad input: one line, exit 2, nothing written", async () => {
  const w = workload(50, 1, 2);
  const cases: [string[], RegExp][] = [
    [[...w, "--controller", "power-budget"], /--controller power-budget needs --power-budget-w > 0/],
    [[...w, "--controller", "power-budget", "--power-budget-w", "-5"], /power[-_]budget[-_]w/],
    [[...w, "--controller", "solar-follow", "--replica-wake-up-s", "-1"], /replica[-_]wake[-_]up[-_]s/],
    [[...w, "--controller", "carbon-aware", "--control-low-load-off"], /--control-low-load-off needs --control-replica-qps > 0/],
    [[...w, "--controller", "solar-follow", "--control-min-replicas", "3"], /--control-min-replicas 3 exceeds/],
    [[...w, "--controller", "carbon-aware", "--forecast-error", "-0.1"], /forecast[-_]error/],
  ];
  let i = 0;
  for (const [args, message] of cases) await expectRefused(args, message, join(tmp, `bad${i++}`));
});

test.run();
