/**
 * Vessim's basic example (main examples/basic_example.py; energy-and-grid.md §5): 700 W load, Berlin solar ×
 * 5000 W, SimpleBattery 1500 Wh from SoC 0.8 with min 0.3, grid-connected, one day. Vessim's results: import
 * 5.82842 kWh, export 14.94167 kWh, 2467.75 g of import emissions, final SoC 0.300, at 300 s and 60 s steps.
 * The carbon trace is anchored at its first stamp (2023-06-08 00:00 UTC, mean CI over the day 417.25).
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveCosimOptions, runCosim } from "../../src/cosim/cosim.js";
import { runCli } from "../helpers/cli.js";
import { REPO_ROOT, withShared } from "../helpers/shared.js";

const FILES = ["data/vessim/solar_example.csv", "data/vessim/watttime_example.csv"];

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs ${expected}`);
}

for (const step of [300, 60]) {
  withShared(test, `Vessim basic example at ${step} s steps: import, export, emissions, final SoC`, FILES, (solar, carbon) => {
    const r = runCosim(
      resolveCosimOptions({
        load_w: 700,
        solar_trace: solar,
        solar_column: "Berlin",
        solar_peak_w: 5000,
        battery: "simple",
        battery_capacity_wh: 1500,
        battery_initial_soc: 0.8,
        battery_min_soc: 0.3,
        grid_step: step,
        duration: 86400,
        carbon_trace: carbon,
      }),
    );
    const m = r.summary.microgrid as Record<string, number>;
    // Vessim reports these to the digits given; tokenwatt must agree to 1e-6 relative of them
    close(m.grid_import_kwh, 5.82842, 1e-6, "import");
    close(m.grid_export_kwh, 14.94167, 1e-6, "export");
    close(m.emissions_import_g, 2467.75, 1e-6, "emissions");
    close(m.battery_final_soc, 0.3, 1e-6, "final SoC");
    close(m.load_kwh, 16.8, 1e-9, "load");
    close(m.solar_kwh, 25.1633, 1e-5, "solar");
    close(m.mean_ci_g_per_kwh, 417.25, 1e-5, "mean CI");
    const v = m.vidur_energy_style as unknown as Record<string, number>;
    close(v.gross_g, 7009.8, 1e-4, "fork-style gross");
    close(v.renewable_offset_g, 10384, 1e-4, "fork-style offset");
    assert.ok(m.max_step_balance_error_wh < 1e-9);
  });
}

withShared(
  test,
  "the README command writes microgrid.{csv,arrow,parquet}, microgrid_agg and summary.json",
  FILES,
  async (solar, carbon) => {
    const dir = join(mkdtempSync(join(tmpdir(), "tw-cosim-")), "out");
    const r = await runCli(
      "cosim",
      "--load-w",
      "700",
      "--solar-trace",
      solar,
      "--solar-column",
      "Berlin",
      "--solar-peak-w",
      "5000",
      "--battery",
      "simple",
      "--battery-capacity-wh",
      "1500",
      "--battery-initial-soc",
      "0.8",
      "--battery-min-soc",
      "0.3",
      "--grid-step",
      "300",
      "--duration",
      "86400",
      "--carbon-trace",
      carbon,
      "--output-dir",
      dir,
    );
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /grid import 5\.82842 kWh, export 14\.94167 kWh, emissions 2467\.75 g, final SoC 0\.300/);
    for (const f of ["microgrid.csv", "microgrid.arrow", "microgrid.parquet", "microgrid_agg.csv", "summary.json"])
      assert.ok(existsSync(join(dir, f)), f);
    const header = readFileSync(join(dir, "microgrid.csv"), "utf8").split("\n")[0].split(",");
    for (const c of [
      "t_s",
      "utc",
      "local_time",
      "load_w",
      "solar_w",
      "battery_w",
      "soc",
      "grid_import_w",
      "grid_export_w",
      "shortfall_w",
      "ci_g_per_kwh",
      "emissions_g",
    ]) {
      assert.ok(header.includes(c), c);
    }
    const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")).microgrid;
    for (const k of [
      "load_kwh",
      "solar_kwh",
      "grid_import_kwh",
      "grid_export_kwh",
      "self_consumption_ratio",
      "self_sufficiency_ratio",
      "battery_final_soc",
      "battery_equivalent_full_cycles",
      "emissions_import_g",
      "shortfall_kwh",
      "battery_min_soc",
      "avoided_emissions_g",
      "vidur_energy_style",
    ]) {
      assert.ok(k in s, k);
    }
  },
);

withShared(test, "the issue's scripted flags run as named (C-L-C, --start, 60 s steps)", FILES, async (solar, carbon) => {
  const dir = join(mkdtempSync(join(tmpdir(), "tw-cosim-")), "out");
  const r = await runCli(
    "cosim",
    "--load-w",
    "700",
    "--solar-trace",
    solar,
    "--solar-column",
    "Berlin",
    "--solar-peak-w",
    "5000",
    "--battery",
    "clc",
    "--battery-cells",
    "60",
    "--battery-initial-soc",
    "0.8",
    "--battery-min-soc",
    "0.3",
    "--grid-step",
    "60",
    "--duration",
    "86400",
    "--carbon-trace",
    carbon,
    "--start",
    "2023-06-08T00:00:00Z",
    "--output-dir",
    dir,
  );
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")).microgrid;
  assert.ok(s.max_step_balance_error_wh < 1e-9);
  assert.ok(s.battery_losses_kwh > 0);
  close(s.load_kwh, 16.8, 1e-12, "load");
});

/** The commands of README.md's microgrid section, as written (output directories moved to a temporary one). */
function readmeCommands(): string[][] {
  const text = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const start = text.indexOf("## Microgrid co-simulation");
  const section = text.slice(start, text.indexOf("\n## ", start + 5));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((b) =>
    b
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .filter((l) => l.startsWith("npx tokenwatt "))
      .map((l) => l.slice("npx tokenwatt ".length).trim().split(/\s+/)),
  );
}

withShared(test, "README's microgrid commands run as written (Vessim's example prints Vessim's results)", FILES, async () => {
  const cmds = readmeCommands();
  assert.is(cmds.length, 3);
  const tmp = mkdtempSync(join(tmpdir(), "tw-readme-"));
  for (const [i, args] of cmds.entries()) {
    const at = args.indexOf("--output-dir");
    args[at + 1] = join(tmp, `out-${i}`);
    const r = await runCli(...args);
    assert.is(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    if (i === 0) assert.match(r.stdout, /grid import 5\.82842 kWh, export 14\.94167 kWh, emissions 2467\.75 g, final SoC 0\.300/);
    assert.ok(existsSync(join(tmp, `out-${i}`, "summary.json")));
  }
});

test.run();
