import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cumCi, constantTable, tableFromPoints } from "../../src/carbon/intensity.js";
import { findRegion } from "../../src/carbon/regions.js";
import { readCarbonTrace } from "../../src/carbon/trace.js";
import { InputError } from "../../src/core/errors.js";
import { energyReport } from "../../src/metrics/energy-accounting.js";
import { simulate } from "../../src/simulate.js";
import { withShared } from "../helpers/shared.js";
import { options, relErr } from "./helpers.js";

const CAISO = "data/vessim/watttime2023_caiso-north_actual.csv";
const dir = mkdtempSync(join(tmpdir(), "tw-carbon-"));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const throwsInput = (fn: () => unknown, re: RegExp) => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable("expected an InputError");
};

test("regions: Vidur-Energy's 15 and Ember countries", () => {
  const c = findRegion("california");
  assert.is(c.pue, 1.2);
  assert.is(c.carbonIntensity, 350.861);
  assert.is(c.electricityUsdPerKwh, 0.18);
  assert.is(findRegion("FRA").carbonIntensity, 56.04);
  assert.is(findRegion("united_kingdom").key, "GBR");
  throwsInput(() => findRegion("atlantis"), /unknown; closest/);
});

test("constant intensity: operational = PUE × energy × CI", () => {
  const run = simulate(options({ region: "germany" }));
  const rep = energyReport(run.scenario, run.result)!;
  assert.ok(relErr(rep.totals.operationalG, (1.2 * rep.totals.gpuJ * 350) / 3.6e6) < 1e-12);
  const s = run.summary as { carbon: { embodied_g: number; total_g: number } };
  const G = 1,
    kg = run.scenario.power!.embodiedKgPerGpu;
  assert.ok(relErr(s.carbon.embodied_g, (kg * 1000 * G * run.result.energy!.endS) / (5 * 365.25 * 86400)) < 1e-12);
});

test("piecewise primitive: ffill, bfill and linear integrate exactly", () => {
  const t = Float64Array.of(-10, 0, 10, 20),
    v = Float64Array.of(1, 2, 4, 8);
  const ff = tableFromPoints(t, v, "ffill", 10);
  assert.is(cumCi(ff, 0), 0);
  assert.is(cumCi(ff, 15), 2 * 10 + 4 * 5);
  assert.is(cumCi(ff, 30), 2 * 10 + 4 * 10 + 8 * 10);
  assert.is(cumCi(ff, 35), 140 + 8 * 5); // hold
  assert.is(cumCi(ff, 35, true), 140 + 2 * 5); // wrap: repeats the trace from the start (t = 0)
  const bf = tableFromPoints(t, v, "bfill", 10);
  assert.is(cumCi(bf, 10), 4 * 10);
  const li = tableFromPoints(t, v, "linear", 10);
  assert.is(cumCi(li, 10), 30); // mean of 2 and 4 over 10 s
  assert.is(cumCi(constantTable(5), 7), 35);
});

withShared(test, "Vessim/WattTime CAISO trace integrates exactly against stage power", [CAISO], (caiso) => {
  const run = simulate(options({ carbon_trace: caiso, carbon_trace_tz: "UTC", start: "2023-06-08T00:03:30Z", power_resolution: 0.7 }));
  const e = run.result.energy!;
  const tb = run.scenario.power!.carbon.table;
  const st = run.result.stages;
  const gap = run.scenario.power!.modelParams.gapW;
  let x = 0,
    busyDc = 0;
  for (let i = 0; i < st.start.length; i++) {
    const dc = cumCi(tb, st.end[i]) - cumCi(tb, st.start[i]);
    x += e.stages.powerW[i] * dc;
    busyDc += dc;
  }
  x += gap * (cumCi(tb, e.endS) - busyDc);
  const rep = energyReport(run.scenario, run.result)!;
  assert.ok(relErr(rep.totals.operationalG, (1.2 * x) / 3.6e6) < 1e-9, `${rep.totals.operationalG} vs ${(1.2 * x) / 3.6e6}`);
  // the first 5-minute value holds until 00:05, the next after: the run straddles the step
  assert.ok(tb.v[0] === 425.01605069 && tb.t[1] === 90);
});

withShared(test, "bad carbon traces give clear errors", [CAISO], (caiso) => {
  const lines = readFileSync(caiso, "utf8").trim().split("\n").slice(0, 200);
  const base = { fill: "ffill" as const, gaps: "error" as const };
  const good = write("good.csv", lines.join("\n"));
  throwsInput(() => readCarbonTrace(good, base), /no time zone: add --carbon_trace_tz/);
  const unsorted = [...lines];
  [unsorted[10], unsorted[11]] = [unsorted[11], unsorted[10]];
  throwsInput(
    () => readCarbonTrace(write("unsorted.csv", unsorted.join("\n")), { ...base, tz: "UTC" }),
    /unsorted\.csv:12: time goes back in time/,
  );
  const gap = lines.filter((_, i) => i < 50 || i > 60);
  throwsInput(() => readCarbonTrace(write("gap.csv", gap.join("\n")), { ...base, tz: "UTC" }), /gap\.csv:51: time follows a gap of 3600 s/);
  const filled = readCarbonTrace(write("gap.csv", gap.join("\n")), { ...base, gaps: "fill", tz: "UTC" });
  assert.match(filled.notes.join(";"), /bridged by ffill/);
  const lbs = [
    lines[0],
    ...lines.slice(1).map((l) => {
      const [t, v] = l.split(",");
      return `${t},${Number(v) / 0.45359237}`;
    }),
  ];
  throwsInput(
    () => readCarbonTrace(write("lbs.csv", lbs.join("\n")), { ...base, tz: "UTC", unit: "kg_per_kwh" }),
    /wrong --carbon_trace_unit/,
  );
  const lbsOk = readCarbonTrace(write("lbs.csv", lbs.join("\n")), { ...base, tz: "UTC", unit: "lbs_per_mwh" });
  assert.ok(relErr(lbsOk.table.v[0], 425.01605069) < 1e-12);
  const wt = [
    "point_time,value,frequency,market,region,signal_type",
    "2023-06-08T00:00:00+00:00,937.0,300,RTM,CAISO_NORTH,co2_moer",
    "2023-06-08T00:05:00+00:00,940.0,300,RTM,CAISO_NORTH,co2_moer",
  ];
  throwsInput(() => readCarbonTrace(write("wt.csv", wt.join("\n")), base), /WattTime API export .* --carbon_trace_unit lbs_per_mwh/);
  const kg = [
    lines[0],
    ...lines.slice(1).map((l) => {
      const [t, v] = l.split(",");
      return `${t},${Number(v) / 1000}`;
    }),
  ];
  throwsInput(() => readCarbonTrace(write("kg.csv", kg.join("\n")), { ...base, tz: "UTC" }), /look like kg\/kWh/);
  // --start without a zone, a start outside the trace, a run longer than the trace
  throwsInput(() => simulate(options({ carbon_trace: good, carbon_trace_tz: "UTC", start: "2023-06-08T00:00:00" })), /has no time zone/);
  throwsInput(() => simulate(options({ carbon_trace: good, carbon_trace_tz: "UTC", start: "2023-06-01T00:00:00Z" })), /must cover t = 0/);
  throwsInput(
    () => simulate(options({ carbon_trace: good, carbon_trace_tz: "UTC", start: "2023-06-08T16:34:58Z" })),
    /covers only .* --carbon_trace_beyond hold\|wrap/,
  );
  const held = simulate(
    options({ carbon_trace: good, carbon_trace_tz: "UTC", start: "2023-06-08T16:34:58Z", carbon_trace_beyond: "hold" }),
  );
  assert.match(JSON.stringify((held.summary as { carbon: unknown }).carbon), /outlasts the trace/);
});

test.run();
