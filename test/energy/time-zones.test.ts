import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkZone, parseZoned, zoneOffsetMinutes } from "../../src/carbon/time.js";
import { readCarbonTrace } from "../../src/carbon/trace.js";
import { InputError } from "../../src/core/errors.js";

const iso = (ms: number) => new Date(ms).toISOString();
const dir = mkdtempSync(join(tmpdir(), "tw-tz-"));

test("IANA zones follow daylight saving time", () => {
  assert.is(iso(parseZoned("2023-06-08 12:00:00", "Europe/Berlin")!.ms), "2023-06-08T10:00:00.000Z");
  assert.is(iso(parseZoned("2023-01-08 12:00:00", "Europe/Berlin")!.ms), "2023-01-08T11:00:00.000Z");
  assert.is(iso(parseZoned("2023-06-08T05:00", "America/Los_Angeles")!.ms), "2023-06-08T12:00:00.000Z");
  assert.is(zoneOffsetMinutes("Asia/Kolkata", Date.UTC(2023, 0, 1)), 330);
  // fixed offsets and stamps with their own zone are unchanged
  assert.is(iso(parseZoned("2023-06-08 12:00", "+02:00")!.ms), "2023-06-08T10:00:00.000Z");
  assert.is(iso(parseZoned("2023-06-08T12:00:00Z", "Europe/Berlin")!.ms), "2023-06-08T12:00:00.000Z");
});

test("the hour repeated when clocks go back reads as its two instants in a series", () => {
  // Berlin, 2023-10-29: 03:00 CEST becomes 02:00 CET, so 02:00-02:59 happens twice
  const first = parseZoned("2023-10-29 02:30", "Europe/Berlin")!.ms;
  assert.is(iso(first), "2023-10-29T00:30:00.000Z");
  assert.is(iso(parseZoned("2023-10-29 02:30", "Europe/Berlin", first)!.ms), "2023-10-29T01:30:00.000Z");
});

test("a local time that clocks skip is an error, and so is an unknown zone", () => {
  assert.throws(() => parseZoned("2023-03-26 02:30", "Europe/Berlin"), /does not exist in Europe\/Berlin/);
  assert.throws(() => checkZone("Mars/Olympus_Mons"), /bad time zone "Mars\/Olympus_Mons".*IANA name/);
  assert.not.throws(() => checkZone("UTC"));
});

test("an hourly carbon trace in local time across both DST changes reads strictly increasing, one hour apart", () => {
  const rows = ["time,ci"];
  // spring: 2023-03-26 01:00, [02:00 skipped], 03:00 ... ; autumn: 2023-10-29 01:00, 02:00, 02:00, 03:00
  for (const t of ["2023-03-26 00:00", "2023-03-26 01:00", "2023-03-26 03:00", "2023-03-26 04:00"]) rows.push(`${t},300`);
  const spring = readCarbonTrace(write("spring.csv", rows.join("\n")), { tz: "Europe/Berlin", fill: "ffill", gaps: "error" });
  assert.equal(spring.coverage[0], 0);
  const autumnRows = [
    "time,ci",
    ...["2023-10-29 00:00", "2023-10-29 01:00", "2023-10-29 02:00", "2023-10-29 02:00", "2023-10-29 03:00"].map((t) => `${t},300`),
  ];
  const autumn = readCarbonTrace(write("autumn.csv", autumnRows.join("\n")), { tz: "Europe/Berlin", fill: "ffill", gaps: "error" });
  assert.is(autumn.rows, 5);
  assert.equal([...autumn.table.t], [0, 3600, 7200, 10800, 14400]);
  assert.is(autumn.startMs, Date.UTC(2023, 9, 28, 22));
  // a skipped local time names the file and line
  const bad = write("bad.csv", "time,ci\n2023-03-26 01:00,300\n2023-03-26 02:00,300\n");
  assert.throws(
    () => readCarbonTrace(bad, { tz: "Europe/Berlin", fill: "ffill", gaps: "error" }),
    (e: Error) => e instanceof InputError && /bad\.csv:3.*does not exist/.test(e.message),
  );
  assert.throws(
    () => readCarbonTrace(bad, { tz: "Nowhere/Land", fill: "ffill", gaps: "error" }),
    (e: Error) => e instanceof InputError && /--carbon_trace_tz: bad time zone/.test(e.message),
  );
});

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test.run();
