#!/usr/bin/env node
/**
 * The week-long co-simulation of issue 16 (bench/RESULTS.md, "Bounded memory everywhere"): Llama-2-7B on
 * 8 A100 replicas, diurnal arrivals 10–30 QPS for 7 days (~12M requests), 30 % deferrable with a 12-hour
 * deadline, a 20 kWh battery, a synthetic carbon curve (300 ± 200 g/kWh, lowest at 15:00 UTC) and the
 * carbon-aware controller. Prints the CLI's summary line, its wall time and peak RSS (TOKENWATT_PROCESS_STATS).
 *
 * Usage: npm run build && node bench/week.mjs [duration_s=604800] [replicas=8]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const duration = process.argv[2] ?? "604800";
const replicas = process.argv[3] ?? "8";
const dir = mkdtempSync(join(tmpdir(), "tokenwatt-week-"));
const ci = join(dir, "ci.csv");
const t0 = Date.parse("2023-06-08T00:00:00Z");
const lines = ["time,ci"];
for (let m = 0; m < 10 * 1440; m += 30) {
  const h = (m % 1440) / 60;
  const v = 300 + 200 * Math.cos((2 * Math.PI * (h - 3)) / 24);
  lines.push(`${new Date(t0 + m * 60_000).toISOString().slice(0, 19).replace("T", " ")},${v.toFixed(2)}`);
}
writeFileSync(ci, `${lines.join("\n")}\n`);
const args = [
  "dist/src/cli/main.js",
  "simulate",
  "--replica_config_model_name",
  "meta-llama/Llama-2-7b-hf",
  "--replica_config_device",
  "a100",
  "--cluster_config_num_replicas",
  replicas,
  "--length_generator_config_type",
  "zipf",
  "--interval-generator-config-type",
  "diurnal",
  "--diurnal-peak-qps",
  "30",
  "--diurnal-trough-qps",
  "10",
  "--start",
  "2023-06-08T00:00:00Z",
  "--synthetic_request_generator_config_duration",
  duration,
  "--deferrable-fraction",
  "0.3",
  "--deferrable-deadline-s",
  "43200",
  "--carbon-trace",
  ci,
  "--carbon-trace-tz",
  "UTC",
  "--battery",
  "simple",
  "--battery-capacity-wh",
  "20000",
  "--battery-initial-soc",
  "0.5",
  "--grid-step",
  "60",
  "--controller",
  "carbon-aware",
  "--control-ci-threshold",
  "300",
  "--output-dir",
  join(dir, "out"),
];
const r = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, TOKENWATT_PROCESS_STATS: "1" } });
rmSync(dir, { recursive: true, force: true });
process.exit(r.status ?? 1);
