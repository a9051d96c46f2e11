import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { stepRateArrivals, thinnedArrivals } from "../../src/workload/arrival-rate.js";
import { diurnalRate } from "../../src/workload/intervals/diurnal.js";
import { generateRequests, type WorkloadConfig } from "../../src/workload/index.js";
import { ownStream } from "../../src/workload/random/own-stream.js";
import { ZoneClock } from "../../src/workload/zone-clock.js";

const dir = mkdtempSync(join(tmpdir(), "tokenwatt-rate-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
function throwsInput(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && re.test(e.message));
}
/** |observed − expected| within z standard deviations of a Poisson count with that mean. */
function withinPoisson(observed: number, expected: number, z = 5, what = ""): void {
  const tol = z * Math.sqrt(expected);
  assert.ok(Math.abs(observed - expected) <= tol, `${what}: ${observed} arrivals, expected ${expected} ± ${tol.toFixed(0)}`);
}
function count(arrivals: Float64Array, from: number, to: number): number {
  let n = 0;
  for (const t of arrivals) if (t >= from && t < to) n++;
  return n;
}
const rateTrace = (path: string, extra: WorkloadConfig = {}): WorkloadConfig => ({
  interval_generator_config_type: "rate_trace",
  arrival_rate_trace: path,
  ...extra,
});
/** Circular mean of the hour of day (UTC) of the arrivals in [from, to): the centre of a daily profile. */
function meanUtcHour(arrivals: Float64Array, anchorS: number, from: number, to: number): number {
  let x = 0,
    y = 0;
  for (const t of arrivals) {
    if (t < from || t >= to) continue;
    const a = (2 * Math.PI * (((anchorS + t) / 3600) % 24)) / 24;
    x += Math.cos(a);
    y += Math.sin(a);
  }
  const h = (Math.atan2(y, x) * 24) / (2 * Math.PI);
  return h < 0 ? h + 24 : h;
}

// --- the exact methods ---

test("step-rate inversion: counts per step match the integrated rate (Poisson tolerance)", () => {
  const next = stepRateArrivals(Float64Array.of(0, 1000, 2000), Float64Array.of(2, 8, 0.5), 3000, ownStream(1, 1));
  const times: number[] = [];
  for (let t = next(0); t < Infinity; t = next(t)) times.push(t);
  const a = Float64Array.from(times);
  withinPoisson(count(a, 0, 1000), 2000, 5, "step 0");
  withinPoisson(count(a, 1000, 2000), 8000, 5, "step 1");
  withinPoisson(count(a, 2000, 3000), 500, 5, "step 2");
  assert.is(count(a, 3000, Infinity), 0, "nothing after the end");
});

test("step-rate inversion: a zero-rate step has no arrivals", () => {
  const next = stepRateArrivals(Float64Array.of(0, 100, 200), Float64Array.of(1, 0, 1), 300, ownStream(3, 1));
  const times: number[] = [];
  for (let t = next(0); t < Infinity; t = next(t)) times.push(t);
  assert.is(count(Float64Array.from(times), 100, 200), 0);
  assert.ok(times.length > 100);
});

test("thinning: the count over many periods matches the rate's integral", () => {
  const rate = (t: number) => 1 + Math.sin(t / 10) ** 2; // mean 1.5
  const next = thinnedArrivals(rate, 2, ownStream(7, 1));
  let n = 0;
  for (let t = next(0); t < 20_000 * Math.PI; t = next(t)) n++;
  withinPoisson(n, 1.5 * 20_000 * Math.PI, 5, "thinned");
});

test("own streams: stream 1 of seed 42 is Python's random.Random(42 + (1 << 32))", () => {
  // python3 -c "import random; print(random.Random(42 + (1 << 32)).random())"
  assert.is(ownStream(42, 1).random(), 0.5649283078895424);
});

// --- rate_trace ---

test("rate_trace: offset seconds, counts per step within Poisson tolerance", () => {
  const path = file("steps.csv", "time,qps\n0,2\n1000,8\n2000,0.5\n");
  const s = generateRequests(rateTrace(path, { synthetic_request_generator_config_duration: 3000 }));
  withinPoisson(count(s.arrivedAt, 0, 1000), 2000, 5, "0-1000 s");
  withinPoisson(count(s.arrivedAt, 1000, 2000), 8000, 5, "1000-2000 s");
  withinPoisson(count(s.arrivedAt, 2000, 3000), 500, 5, "2000-3000 s");
  assert.ok(s.arrivedAt[s.arrivedAt.length - 1] < 3000);
});

test("rate_trace: date-times are anchored by --start (else by the first stamp); zones are honoured", () => {
  // no requests in the first hour of the trace, 5 QPS in the second and third
  const z = file("zoned.csv", "time,qps\n2024-06-01T00:00:00Z,0\n2024-06-01T03:00:00+02:00,5\n2024-06-01T02:00:00Z,5\n");
  const first = generateRequests(rateTrace(z, { synthetic_request_generator_config_duration: 3600 * 3 }));
  assert.is(count(first.arrivedAt, 0, 3600), 0, "anchored at the first stamp: the idle hour comes first");
  const started = generateRequests(rateTrace(z, { start: "2024-06-01T03:00:00+02:00", synthetic_request_generator_config_duration: 7200 }));
  assert.ok(started.arrivedAt[0] < 5, "anchored at --start (01:00Z): busy from t = 0");
  withinPoisson(started.arrivedAt.length, 36_000, 5, "two hours at 5 QPS");
});

test("rate_trace: coverage errors name the file and what is wrong", () => {
  const short = file("short.csv", "time,qps\n0,1\n60,1\n");
  throwsInput(
    () => generateRequests(rateTrace(short, { synthetic_request_generator_config_duration: 500 })),
    /short\.csv covers the run until t = 120 s, shorter than --duration 500 s/,
  );
  throwsInput(
    () => generateRequests(rateTrace(short, { synthetic_request_generator_config_num_requests: 100_000 })),
    /short\.csv ends at t = 120 s after \d+ requests/,
  );
  const late = file("late.csv", "time,qps\n2024-06-01T01:00:00Z,1\n2024-06-01T02:00:00Z,1\n");
  throwsInput(
    () => generateRequests(rateTrace(late, { start: "2024-06-01T00:00:00Z", synthetic_request_generator_config_duration: 60 })),
    /late\.csv:2: time starts 3600 s after the simulation start/,
  );
  const naive = file("naive.csv", "time,qps\n2024-06-01 00:00:00,1\n2024-06-01 01:00:00,1\n");
  throwsInput(
    () => generateRequests(rateTrace(naive, { synthetic_request_generator_config_duration: 60 })),
    /naive\.csv:2: time .* has no time zone/,
  );
  const unsorted = file("unsorted.csv", "time,qps\n0,1\n100,1\n50,1\n");
  throwsInput(
    () => generateRequests(rateTrace(unsorted, { synthetic_request_generator_config_duration: 60 })),
    /unsorted\.csv:4: time must increase/,
  );
  const negative = file("negative.csv", "time,qps\n0,1\n100,-1\n");
  throwsInput(() => generateRequests(rateTrace(negative, { synthetic_request_generator_config_duration: 60 })), /negative\.csv:3/);
  throwsInput(
    () => generateRequests({ interval_generator_config_type: "rate_trace", synthetic_request_generator_config_duration: 60 }),
    /needs --arrival-rate-trace/,
  );
  throwsInput(
    () => generateRequests({ arrival_rate_trace: short }),
    /--arrival-rate-trace applies to --interval_generator_config_type rate_trace/,
  );
});

// --- diurnal ---

test("diurnal rate: peak at the peak hour, trough 12 h later, mean (peak + trough) / 2", () => {
  assert.is(diurnalRate(14, 30, 10, 14), 30);
  assert.ok(Math.abs(diurnalRate(2, 30, 10, 14) - 10) < 1e-12);
  let sum = 0;
  for (let i = 0; i < 2400; i++) sum += diurnalRate(i / 100, 30, 10, 14);
  assert.ok(Math.abs(sum / 2400 - 20) < 1e-9);
});

test("zone clock: Europe/Berlin local hours across the spring DST change", () => {
  const clock = new ZoneClock(Date.parse("2024-03-30T00:00:00Z"), "Europe/Berlin");
  assert.is(clock.localHour(0), 1); // CET
  assert.is(clock.localHour(86400 + 3599), 1 + 59 / 60 + 59 / 3600); // 00:59:59Z = 01:59:59 CET
  assert.is(clock.localHour(86400 + 3600), 3); // 01:00Z = 03:00 CEST
  assert.is(clock.localHour(3 * 86400), 2); // Apr 2 00:00Z = 02:00 CEST
});

test("zone clock: both DST changes of a year, to the second (Europe/Berlin)", () => {
  const clock = new ZoneClock(Date.parse("2024-03-01T00:00:00Z"), "Europe/Berlin");
  const at = (iso: string) => (Date.parse(iso) - Date.parse("2024-03-01T00:00:00Z")) / 1000;
  assert.is(clock.offsetSeconds(at("2024-03-31T00:59:59Z")), 3600);
  assert.is(clock.offsetSeconds(at("2024-03-31T01:00:00Z")), 7200);
  assert.is(clock.offsetSeconds(at("2024-10-27T00:59:59Z")), 7200);
  assert.is(clock.offsetSeconds(at("2024-10-27T01:00:00Z")), 3600); // 03:00 CEST → 02:00 CET
  assert.is(clock.localHour(at("2024-10-27T01:30:00Z")), 2.5);
  assert.is(clock.offsetSeconds(at("2024-03-15T00:00:00Z")), 3600, "earlier times after later ones");
});

test("diurnal: the day's arrivals centre on the peak hour in local time, before and after DST (Europe/Berlin)", () => {
  const start = "2024-03-30T00:00:00Z"; // clocks go forward on Sunday 31 March at 01:00 UTC
  const s = generateRequests({
    interval_generator_config_type: "diurnal",
    diurnal_peak_qps: 2,
    diurnal_trough_qps: 0.2,
    diurnal_peak_hour: 14,
    diurnal_tz: "Europe/Berlin",
    start,
    synthetic_request_generator_config_duration: 3 * 86400,
  });
  const anchor = Date.parse(start) / 1000;
  // 14:00 CET = 13:00 UTC on the 30th; 14:00 CEST = 12:00 UTC on the 31st and 1st (σ of the mean ≈ 0.03 h)
  const centre = (day: number) => meanUtcHour(s.arrivedAt, anchor, day * 86400, (day + 1) * 86400);
  assert.ok(Math.abs(centre(0) - 13) < 0.15, `30 Mar: ${centre(0)}`);
  assert.ok(Math.abs(centre(1) - 12) < 0.15, `31 Mar: ${centre(1)}`);
  assert.ok(Math.abs(centre(2) - 12) < 0.15, `1 Apr: ${centre(2)}`);
  withinPoisson(s.arrivedAt.length, 1.1 * 3 * 86400, 5, "three days at mean 1.1 QPS");
});

test("diurnal: the zone defaults to --start's offset, and to local midnight at t = 0 without --start", () => {
  const base: WorkloadConfig = {
    interval_generator_config_type: "diurnal",
    diurnal_peak_qps: 2,
    diurnal_trough_qps: 0.2,
    synthetic_request_generator_config_duration: 86400,
  };
  const india = generateRequests({ ...base, start: "2024-01-10T00:00:00+05:30" }); // peak 14:00 IST = 08:30 UTC
  const anchor = Date.parse("2024-01-10T00:00:00+05:30") / 1000;
  assert.ok(Math.abs(meanUtcHour(india.arrivedAt, anchor, 0, 86400) - 8.5) < 0.15);
  const bare = generateRequests(base); // t = 0 is 00:00, so the peak is at t = 14 h
  assert.ok(Math.abs(meanUtcHour(bare.arrivedAt, 0, 0, 86400) - 14) < 0.15);
});

test("diurnal: --location's zone places the peak hour; --diurnal-tz overrides it", () => {
  const base: WorkloadConfig = {
    interval_generator_config_type: "diurnal",
    diurnal_peak_qps: 2,
    diurnal_trough_qps: 0.2,
    start: "2023-06-08T00:00:00Z",
    synthetic_request_generator_config_duration: 86400,
  };
  const la = generateRequests({ ...base, diurnal_tz: "America/Los_Angeles" });
  const site = generateRequests({ ...base, location: "San Francisco" });
  assert.equal(Array.from(site.arrivedAt), Array.from(la.arrivedAt));
  const berlin = generateRequests({ ...base, location: "San Francisco", diurnal_tz: "Europe/Berlin" });
  assert.equal(Array.from(berlin.arrivedAt), Array.from(generateRequests({ ...base, diurnal_tz: "Europe/Berlin" }).arrivedAt));
  assert.not.equal(Array.from(berlin.arrivedAt), Array.from(la.arrivedAt));
});

test("diurnal: bad flags", () => {
  const d = { interval_generator_config_type: "diurnal", synthetic_request_generator_config_duration: 60 };
  throwsInput(() => generateRequests(d), /diurnal needs --diurnal-peak-qps and --diurnal-trough-qps/);
  throwsInput(() => generateRequests({ ...d, diurnal_peak_qps: 1, diurnal_trough_qps: 2 }), /--diurnal_trough_qps must be <= 1, got 2/);
  throwsInput(() => generateRequests({ ...d, diurnal_peak_qps: 0, diurnal_trough_qps: 0 }), /--diurnal_peak_qps must be > 0/);
  throwsInput(
    () => generateRequests({ ...d, diurnal_peak_qps: 1, diurnal_trough_qps: 0, diurnal_tz: "Europe/Berlin" }),
    /--diurnal_tz Europe\/Berlin needs --start/,
  );
  throwsInput(
    () => generateRequests({ ...d, diurnal_peak_qps: 1, diurnal_trough_qps: 0, diurnal_tz: "Mars/Olympus", start: "2024-01-01T00:00:00Z" }),
    /--diurnal_tz: bad time zone "Mars\/Olympus"/,
  );
  throwsInput(
    () => generateRequests({ diurnal_peak_qps: 1 }),
    /--diurnal-peak-qps applies to --interval_generator_config_type diurnal \(synthetic requests\), not --interval_generator_/,
  );
});

test("determinism: the same seed gives identical streams, another seed a different one", () => {
  const cfg: WorkloadConfig = {
    interval_generator_config_type: "diurnal",
    diurnal_peak_qps: 5,
    diurnal_trough_qps: 1,
    synthetic_request_generator_config_duration: 3600,
    length_generator_config_type: "uniform",
  };
  const a = generateRequests(cfg);
  const b = generateRequests(cfg);
  assert.equal(a, b);
  const c = generateRequests({ ...cfg, synthetic_request_generator_config_seed: 43 });
  assert.is.not(c.arrivedAt[0], a.arrivedAt[0]);
});

test.run();
