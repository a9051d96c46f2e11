/**
 * The carbon-aware demo of docs/control.md, scaled to 12 hours and one replica so the suite stays fast:
 * Llama-3.1-8B on an H100 SXM, diurnal load, 30 % deferrable requests, solar + battery + the CAISO trace.
 * carbon-aware must lower grid-import emissions against the identical open-loop run at the same served
 * tokens, with no missed deadline and interactive p99 TTFT within 10 % of the baseline's.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../helpers/cli.js";
import { withShared } from "../helpers/shared.js";

const SOLAR = "data/vessim/solar_example.csv";
const CAISO = "data/vessim/watttime2023_caiso-north_actual.csv";

/** Runs the demo day (12 h) with `replicas` replicas and the controller flags; returns summary.json. */
async function demo(solar: string, caiso: string, replicas: number, controller: string[]) {
  const out = join(mkdtempSync(join(tmpdir(), "tw-control-demo-")), "run");
  const r = await runCli(
    "simulate",
    ...["--replica_config_model_name", "meta-llama/Llama-3.1-8B", "--replica_config_device", "h100-sxm"],
    ...["--replica_config_network_device", "h100_dgx", "--cluster_config_num_replicas", String(replicas)],
    ...["--interval-generator-config-type", "diurnal", "--diurnal-peak-qps", "1.5", "--diurnal-trough-qps", "0.5"],
    ...["--diurnal-tz", "America/Los_Angeles", "--start", "2023-06-08T00:00:00Z", "--duration", "43200"],
    ...["--deferrable-fraction", "0.3", "--deferrable-deadline-s", "21600"],
    ...["--solar-trace", solar, "--solar-column", "San Francisco", "--solar-peak-w", "800"],
    ...["--battery", "simple", "--battery-capacity-wh", "1000", "--battery-initial-soc", "0.5"],
    ...["--carbon-trace", caiso, "--carbon-trace-tz", "UTC", "--grid-step", "60", "--time_limit", "86400"],
    ...controller,
    ...["--compare-baseline", "--formats", "csv", "--output-dir", out],
  );
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
}

/** The acceptance conditions against the baseline, and the split of the saving adding up. */
function assertAcceptance(s: ReturnType<typeof JSON.parse>): void {
  const b = s.baseline;
  assert.is(s.served_output_tokens, b.served_output_tokens);
  assert.ok(
    s.microgrid.emissions_import_g < b.microgrid.emissions_import_g,
    `${s.microgrid.emissions_import_g} vs ${b.microgrid.emissions_import_g}`,
  );
  assert.is(s.classes.deferrable.missed_deadline, 0);
  const p99 = s.classes.interactive.ttft_s.p99;
  const p99b = b.classes.interactive.ttft_s.p99;
  assert.ok(p99 <= 1.1 * p99b, `interactive p99 TTFT ${p99} vs baseline ${p99b}`);
  const v = s.control.vs_baseline;
  const parts = v.saved_by_timing_g + v.saved_by_replicas_off_g + v.saved_by_power_cap_g + v.saved_by_other_g;
  assert.ok(Math.abs(parts - v.emissions_import_g_saved) < 1e-6 * b.microgrid.emissions_import_g, JSON.stringify(v));
}

const carbonAware = ["--controller", "carbon-aware", "--control-release-qps", "1", "--control-ci-percentile", "40"];
const horizon = ["--control-forecast-horizon-s", "21600"];

withShared(
  test,
  "carbon-aware lowers import emissions at the same served tokens, deadlines and interactive p99 TTFT kept",
  [SOLAR, CAISO],
  async (solar, caiso) => {
    const s = await demo(solar, caiso, 1, [...carbonAware, ...horizon]);
    assertAcceptance(s);
    assert.ok(s.control.held_requests > 0);
    assert.ok(s.control.vs_baseline.saved_by_timing_g > 0);
  },
);

withShared(
  test,
  "carbon-aware with low-load replicas off: saves more, the split shows the replicas switched off",
  [SOLAR, CAISO],
  async (solar, caiso) => {
    const off = ["--control-low-load-off", "--control-replica-qps", "0.5", "--replica-off-power-w", "60"];
    const s = await demo(solar, caiso, 2, [...carbonAware, ...horizon, ...off]);
    assertAcceptance(s);
    assert.ok(s.control.replica_off_s > 0);
    assert.ok(s.control.vs_baseline.saved_by_replicas_off_g > 0);
  },
);

test.run();
