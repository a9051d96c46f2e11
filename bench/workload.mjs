/**
 * Time to generate day-long workloads (issue 12; bench/RESULTS.md "## Workload generation"): 24 h of arrivals
 * at a mean of 20 QPS (~1.7M requests) with Vidur's `poisson` generator (the reference), the `diurnal` profile
 * (30 / 10 QPS, Europe/Berlin across the spring DST change), the same with 30 % deferrable requests, and an
 * hourly `rate_trace` of the same profile. Runs on the build (`npm run build` first).
 *
 *   node bench/workload.mjs [--reps 5]
 *
 * Each repetition runs every case once (interleaved, so machine noise spreads over all of them); the table
 * gives the median per case and its ratio to poisson.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateRequests } from "../dist/src/workload/index.js";
import { diurnalRate } from "../dist/src/workload/intervals/diurnal.js";

const argv = process.argv.slice(2);
const reps = Number(argv[argv.indexOf("--reps") + 1] ?? 5) || 5;

const dir = mkdtempSync(join(tmpdir(), "tokenwatt-bench-workload-"));
const trace = join(dir, "rate.csv");
const rows = ["time,qps"];
for (let h = 0; h < 24; h++) rows.push(`${h * 3600},${diurnalRate(h + 0.5, 30, 10, 14)}`);
writeFileSync(trace, `${rows.join("\n")}\n`);

const day = { synthetic_request_generator_config_duration: 86400 };
const diurnal = {
  ...day,
  interval_generator_config_type: "diurnal",
  diurnal_peak_qps: 30,
  diurnal_trough_qps: 10,
  diurnal_tz: "Europe/Berlin",
  start: "2024-03-30T12:00:00Z",
};
const cases = [
  ["poisson 20 QPS (Vidur's generator)", { ...day, poisson_request_interval_generator_config_qps: 20 }],
  ["diurnal 30/10 QPS, Europe/Berlin", diurnal],
  ["diurnal + 30 % deferrable", { ...diurnal, deferrable_fraction: 0.3, deferrable_deadline_s: 3600 }],
  ["rate_trace, 24 hourly rows", { ...day, interval_generator_config_type: "rate_trace", arrival_rate_trace: trace }],
];

const times = cases.map(() => []);
const counts = cases.map(() => 0);
for (let r = 0; r < reps; r++) {
  cases.forEach(([, cfg], i) => {
    const t0 = performance.now();
    const s = generateRequests(cfg);
    times[i].push(performance.now() - t0);
    counts[i] = s.arrivedAt.length;
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times[0]);
console.log(`| workload (24 h) | requests | median ms (${reps} runs) | M requests/s | vs poisson |`);
console.log("|---|---|---|---|---|");
cases.forEach(([name], i) => {
  const m = median(times[i]);
  const rate = (counts[i] / m / 1000).toFixed(2);
  console.log(`| ${name} | ${counts[i].toLocaleString("en-US")} | ${m.toFixed(0)} | ${rate} | ${(m / base).toFixed(2)} |`);
});
