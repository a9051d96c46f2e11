import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeJsonRows, writeJson, writeJsonRecords } from "../../src/output/json.js";
import { column, type ResultTable } from "../../src/tables/table.js";
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

test("numeric rows through the WASM encoder are byte-identical to the per-cell writer", () => {
  const n = 20_000;
  const special = [NaN, Infinity, -Infinity, -0, 0, 1e21, 1e-7, 5e-324, 2 ** 53 + 2, -1.5, 123456789.125, 0.1 + 0.2];
  const f = Float64Array.from({ length: n }, (_, i) =>
    i < special.length ? special[i] : (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 30 - 10),
  );
  const k = Int32Array.from({ length: n }, (_, i) => (i === 0 ? -(2 ** 31) : i === 1 ? 2 ** 31 - 1 : (i * 7919) % 100_003));
  const table: ResultTable = {
    name: "t",
    columns: [
      column("Request Id", "i32", k),
      column('lat "s"', "f64", f, true),
      column(
        "x",
        "f64",
        f.map((v) => v * 3),
      ),
    ],
  };
  const text = (wasm: boolean, first: boolean) => {
    const parts: Buffer[] = [];
    encodeJsonRows(
      table,
      first,
      (p) => {
        // the WASM path hands out bytes, the per-cell path strings: each path really ran
        assert.is(typeof p === "string", !wasm);
        parts.push(Buffer.from(p));
      },
      { wasm },
    );
    return Buffer.concat(parts).toString("utf8");
  };
  for (const first of [true, false]) {
    const slow = text(false, first);
    const fast = text(true, first);
    assert.is(fast.length, slow.length);
    assert.ok(fast === slow, "outputs differ");
  }
  const rows = JSON.parse(`[${text(true, true)}\n]`) as Record<string, number | null>[];
  assert.is(rows.length, n);
  assert.equal(
    rows.slice(0, 4).map((r) => r['lat "s"']),
    [null, null, null, 0],
  );
});

test("a chunk with a string column falls back to the per-cell writer", () => {
  const table: ResultTable = { name: "t", columns: [column("a", "f64", Float64Array.of(1.5, NaN)), column("s", "utf8", ["x", "y"])] };
  let out = "";
  encodeJsonRows(table, true, (p) => void (out += typeof p === "string" ? p : Buffer.from(p).toString()));
  assert.is(out, '\n{"a":1.5,"s":"x"},\n{"a":null,"s":"y"}');
});

test.run();
