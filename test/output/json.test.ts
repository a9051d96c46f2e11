import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeJson, writeJsonRecords } from "../../src/output/json.js";
import { column } from "../../src/output/table.js";
import { leftoverTemps, tempDir } from "./helpers.js";

test("writeJson is pretty, ends with a newline and writes NaN/Infinity as null", async () => {
  const dir = tempDir();
  const path = join(dir, "summary.json");
  await writeJson({ p99: NaN, max: Infinity, ok: 1.5 }, path);
  const text = readFileSync(path, "utf8");
  assert.is(text, '{\n  "p99": null,\n  "max": null,\n  "ok": 1.5\n}\n');
  assert.equal(leftoverTemps(dir), []);
});

test("writeJson turns typed arrays into arrays and bigint into numbers or strings", async () => {
  const path = join(tempDir(), "a.json");
  await writeJson({ xs: Float64Array.of(0.5, NaN), n: 3n, huge: 2n ** 60n }, path);
  assert.equal(JSON.parse(readFileSync(path, "utf8")), { xs: [0.5, null], n: 3, huge: "1152921504606846976" });
});

test("writeJsonRecords writes one object per row with nulls for NaN", async () => {
  const path = join(tempDir(), "t.json");
  await writeJsonRecords(
    {
      name: "t",
      columns: [
        column("Request Id", "i32", Int32Array.of(0, 1)),
        column("x", "f64", Float64Array.of(0.1 + 0.2, NaN), true),
        column("n", "i64", BigInt64Array.of(5n, 6n)),
        column("ok", "bool", Uint8Array.of(1, 0)),
        column("s", "utf8", ['a "q"', "é"]),
      ],
    },
    path,
  );
  assert.equal(JSON.parse(readFileSync(path, "utf8")), [
    { "Request Id": 0, x: 0.1 + 0.2, n: 5, ok: true, s: 'a "q"' },
    { "Request Id": 1, x: null, n: 6, ok: false, s: "é" },
  ]);
});

test("writeJsonRecords of an empty table is an empty array", async () => {
  const path = join(tempDir(), "e.json");
  await writeJsonRecords({ name: "e", columns: [column("x", "f64", new Float64Array(0))] }, path);
  assert.equal(JSON.parse(readFileSync(path, "utf8")), []);
});

test.run();
