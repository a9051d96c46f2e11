import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvQuote, encodeCsv, writeCsv } from "../../src/output/csv.js";
import { column, type ResultTable } from "../../src/tables/table.js";
import { leftoverTemps, parseCsv, tempDir } from "./helpers.js";

const special: ResultTable = {
  name: "special",
  columns: [
    column("Request Id", "i32", Int32Array.of(0, -1, 2147483647, 3)),
    column("latency, s", "f64", Float64Array.of(0.1 + 0.2, NaN, Infinity, -Infinity), true),
    column("big", "i64", BigInt64Array.of(0n, -5n, 9223372036854775807n, 9007199254740993n)),
    column("ok", "bool", Uint8Array.of(1, 0, 2, 0)),
    column('say "hi"', "utf8", ["plain", "a,b", 'he said "x"', "line1\nline2"]),
    column("u", "utf8", ["", "héllo ✓", "crlf\r\n", " spaced "]),
  ],
};

function csvText(table: ResultTable): string {
  const parts: Buffer[] = [];
  encodeCsv(table, (b) => parts.push(Buffer.from(b)));
  return Buffer.concat(parts).toString("utf8");
}

test("header keeps names with spaces and quotes names that need it", () => {
  const [header] = parseCsv(csvText(special));
  assert.equal(header, ["Request Id", "latency, s", "big", "ok", 'say "hi"', "u"]);
  assert.ok(csvText(special).startsWith('Request Id,"latency, s",big,ok,"say ""hi""",u\n'));
});

test("special values parse back: NaN empty, inf, exact doubles, int64, bools, quoted strings", () => {
  const rows = parseCsv(csvText(special)).slice(1);
  assert.is(rows.length, 4);
  assert.equal(
    rows.map((r) => r[0]),
    ["0", "-1", "2147483647", "3"],
  );
  assert.is(Number(rows[0][1]), 0.1 + 0.2);
  assert.equal(rows.map((r) => r[1]).slice(1), ["", "inf", "-inf"]);
  assert.equal(
    rows.map((r) => r[2]),
    ["0", "-5", "9223372036854775807", "9007199254740993"],
  );
  assert.equal(
    rows.map((r) => r[3]),
    ["true", "false", "true", "false"],
  );
  assert.equal(
    rows.map((r) => r[4]),
    ["plain", "a,b", 'he said "x"', "line1\nline2"],
  );
  assert.equal(
    rows.map((r) => r[5]),
    ["", "héllo ✓", "crlf\r\n", " spaced "],
  );
});

test("an empty string is quoted so it differs from a missing value", () => {
  const text = csvText({ name: "t", columns: [column("s", "utf8", [""]), column("x", "f64", Float64Array.of(NaN))] });
  assert.is(text, 's,x\n"",\n');
});

test("numbers are String(n): shortest round trip", () => {
  const xs = Float64Array.from({ length: 5000 }, () => Math.random() * 10 ** Math.floor(Math.random() * 12 - 6));
  const rows = parseCsv(csvText({ name: "t", columns: [column("x", "f64", xs)] })).slice(1);
  rows.forEach((r, i) => {
    if (r[0] !== String(xs[i]) || Number(r[0]) !== xs[i]) assert.unreachable(`row ${i}: ${r[0]} vs ${String(xs[i])}`);
  });
});

test("csvQuote leaves plain text alone and doubles quotes", () => {
  assert.is(csvQuote("abc"), "abc");
  assert.is(csvQuote('a"b'), '"a""b"');
  assert.is(csvQuote(""), '""');
});

test("chunks are at most 4 MB and concatenate to the full file", () => {
  const n = 300_000;
  const t: ResultTable = {
    name: "t",
    columns: [
      column(
        "x",
        "f64",
        Float64Array.from({ length: n }, () => Math.random()),
      ),
    ],
  };
  const sizes: number[] = [];
  const parts: Buffer[] = [];
  encodeCsv(t, (b) => {
    sizes.push(b.length);
    parts.push(Buffer.from(b));
  });
  assert.ok(sizes.length > 1, "expected several chunks");
  assert.ok(Math.max(...sizes) <= 4 << 20);
  assert.is(Buffer.concat(parts).toString("utf8").split("\n").length, n + 2);
});

test("writeCsv writes the file atomically and leaves no temp file", async () => {
  const dir = tempDir();
  const path = join(dir, "special.csv");
  await writeCsv(special, path);
  assert.is(readFileSync(path, "utf8"), csvText(special));
  assert.equal(leftoverTemps(dir), []);
});

test("csvFloat columns write integral values like Python floats (0.0), in the WASM and the JS encoder alike", () => {
  const values = Float64Array.of(0, 3, -2, 0.5, 1e16, NaN, 1e-7);
  const t = (): ResultTable => ({
    name: "f",
    columns: [
      { ...column("request_preemption_time", "f64", values.slice(), true), csvFloat: true },
      column("plain", "f64", values.slice(), true),
    ],
  });
  const want = "request_preemption_time,plain\n0.0,0\n3.0,3\n-2.0,-2\n0.5,0.5\n10000000000000000,10000000000000000\n,\n1e-7,1e-7\n";
  assert.is(csvText(t()), want);
  const parts: Buffer[] = [];
  encodeCsv(t(), (b) => parts.push(Buffer.from(b)), { wasm: false });
  assert.is(Buffer.concat(parts).toString("utf8"), want);
});

test.run();
