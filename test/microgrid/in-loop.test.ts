/**
 * The microgrid inside `simulate`: stepped in the loop on the facility power, it matches the post-hoc
 * `cosim --from-run` on the same run's timeline, its load integrates to the run's facility energy, and the
 * request metrics are byte-identical with and without microgrid flags.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "tw-mg-loop-"));
const workload = [
  "--synthetic_request_generator_config_num_requests",
  "300",
  "--poisson_request_interval_generator_config_qps",
  "0.2",
  "--host_power",
  "200",
  "--region",
  "germany",
  "--start",
  "2023-06-08T10:00:00Z",
  "--formats",
  "csv",
];
const grid = [
  "--location",
  "Berlin",
  "--solar-peak-w",
  "2000",
  "--battery",
  "clc",
  "--battery-cells",
  "30",
  "--battery-initial-soc",
  "0.6",
  "--battery-min-soc",
  "0.2",
  "--grid-step",
  "60",
  "--low-carbon-threshold",
  "100",
  "--high-carbon-threshold",
  "200",
];
const json = (dir: string) => JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));

test("in-loop microgrid = cosim --from-run on the same run; load = facility energy; request metrics unchanged", async () => {
  const plain = join(tmp, "plain");
  const withGrid = join(tmp, "grid");
  const post = join(tmp, "post");
  assert.is((await runCli("simulate", ...workload, "--output-dir", plain)).code, 0);
  const r = await runCli("simulate", ...workload, ...grid, "--output-dir", withGrid);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(withGrid, "request_metrics.csv"), "utf8"), readFileSync(join(plain, "request_metrics.csv"), "utf8"));
  const s = json(withGrid);
  const m = s.microgrid;
  assert.ok(
    Math.abs(m.load_kwh - s.energy.facility_energy_kwh) < 1e-9 * s.energy.facility_energy_kwh,
    `${m.load_kwh} vs ${s.energy.facility_energy_kwh}`,
  );
  assert.ok(m.solar_kwh > 0 && m.max_step_balance_error_wh < 1e-9);
  const c = await runCli(
    "cosim",
    "--from-run",
    withGrid,
    ...grid,
    "--start",
    "2023-06-08T10:00:00Z",
    "--region",
    "germany",
    "--formats",
    "csv",
    "--output-dir",
    post,
  );
  assert.is(c.code, 0, c.stderr);
  const p = json(post).microgrid;
  for (const k of ["load_kwh", "solar_kwh", "grid_import_kwh", "grid_export_kwh", "emissions_import_g", "battery_final_soc", "steps"]) {
    assert.ok(Math.abs(m[k] - p[k]) <= 1e-9 * Math.max(1, Math.abs(m[k])), `${k}: ${m[k]} vs ${p[k]}`);
  }
  const rows = readFileSync(join(withGrid, "microgrid.csv"), "utf8").trim().split("\n");
  assert.is(rows.length - 1, m.steps);
  assert.match(rows[1], /^0,2023-06-08T10:00:00Z,2023-06-08T12:00:00\+02:00,/);
});

test("in-loop: --grid-step must be whole timeline buckets, and energy must be on", async () => {
  const a = await runCli("simulate", ...workload, ...grid, "--power-resolution", "7", "--output-dir", join(tmp, "bad1"));
  assert.is(a.code, 2);
  assert.match(a.stderr, /--grid-step 60 must be a whole multiple of --power-resolution 7/);
  const b = await runCli("simulate", ...workload, ...grid, "--no-energy", "--output-dir", join(tmp, "bad2"));
  assert.is(b.code, 2);
  assert.match(b.stderr, /microgrid flags need energy accounting/);
});

test("cosim load trace (Vessim load_example layout) with column and scale", async () => {
  const f = join(tmp, "load.csv");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(f, "time,trace_a,trace_b\n0,0.5,1\n3600,1,0\n7200,0,0\n");
  const out = join(tmp, "loadtrace");
  const r = await runCli(
    "cosim",
    "--load-trace",
    f,
    "--load-column",
    "trace_a",
    "--load-scale",
    "1000",
    "--duration",
    "7200",
    "--grid-step",
    "900",
    "--output-dir",
    out,
    "--formats",
    "csv",
  );
  assert.is(r.code, 0, r.stderr);
  assert.ok(Math.abs(json(out).microgrid.load_kwh - 1.5) < 1e-12);
});

test.run();
