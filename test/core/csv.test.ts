import { mkdtempSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { parseCsv, readCsv, type CsvColumnSpec } from "../../src/core/csv.js";
import { readRequestsCsv } from "../../src/workload/index.js";

const COLS: CsvColumnSpec[] = ["arrived_at", "num_prefill_tokens", "num_decode_tokens"].map((name) => ({
  name,
  kind: "number",
  nonNegative: true,
}));
const HEADER = "arrived_at,num_prefill_tokens,num_decode_tokens\n";

function throwsInput(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof InputError && re.test(e.message));
}

test("parses numbers exactly as Number() does, with CRLF, blank lines, extra columns and a BOM", () => {
  const t = parseCsv(
    "\ufeffx,arrived_at,num_prefill_tokens,num_decode_tokens\r\nq,0.25501507181870026,1266,63\r\n\r\nr,1e-3,+7,.5\r\n",
    "f.csv",
    COLS,
  );
  assert.is(t.rows, 2);
  assert.equal(Array.from(t.numbers.arrived_at), [0.25501507181870026, 0.001]);
  assert.equal(Array.from(t.numbers.num_decode_tokens), [63, 0.5]);
  assert.equal(Array.from(t.lines), [2, 4]);
});

test("fast number path is correctly rounded (random decimals vs Number())", () => {
  const cells: string[] = [];
  for (let i = 0; i < 5000; i++) cells.push((Math.random() * 10 ** ((i % 12) - 4)).toPrecision(1 + (i % 17)));
  const t = parseCsv(`v\n${cells.join("\n")}`, "r.csv", [{ name: "v", kind: "number" }]);
  cells.forEach((c, i) => assert.is(t.numbers.v[i], Number(c), c));
});

test("missing column names the file, header line and what was found", () => {
  throwsInput(
    () => parseCsv("arrived_at,num_prefill_tokens\n0,1\n", "t.csv", COLS),
    /^t\.csv:1: is missing column 'num_decode_tokens' \(found: arrived_at, num_prefill_tokens\)/,
  );
});

test("non-numeric cell names file:line and column", () => {
  throwsInput(
    () => parseCsv(`${HEADER}0,1,1\n0.5,abc,2\n`, "t.csv", COLS),
    /^t\.csv:3: num_prefill_tokens must be a finite number, got 'abc'/,
  );
});

test("empty, NaN and hex cells are rejected", () => {
  throwsInput(() => parseCsv(`${HEADER}0,,1\n`, "t.csv", COLS), /t\.csv:2: num_prefill_tokens must be a finite number, got ''/);
  throwsInput(() => parseCsv(`${HEADER}nan,1,1\n`, "t.csv", COLS), /arrived_at must be a finite number/);
  throwsInput(() => parseCsv(`${HEADER}0x10,1,1\n`, "t.csv", COLS), /arrived_at must be a finite number/);
});

test("negative values are rejected where non-negative is required", () => {
  throwsInput(() => parseCsv(`${HEADER}-1,1,1\n`, "t.csv", COLS), /^t\.csv:2: arrived_at must be >= 0, got -1/);
});

test("wrong field count is rejected", () => {
  throwsInput(() => parseCsv(`${HEADER}0,1\n`, "t.csv", COLS), /^t\.csv:2: has 2 fields, the header has 3/);
});

test("simple quoted cells are accepted, quoted commas rejected clearly", () => {
  const t = parseCsv(`${HEADER}"0.5","12",3\n`, "t.csv", COLS);
  assert.equal([t.numbers.arrived_at[0], t.numbers.num_prefill_tokens[0]], [0.5, 12]);
  throwsInput(
    () => parseCsv(`${HEADER}0,"1,000",3\n`, "t.csv", COLS),
    /t\.csv:2: num_prefill_tokens is a quoted field containing a comma \("1,000"\); quoted commas are not supported/,
  );
});

test("missing file and empty file are InputErrors naming the path", () => {
  throwsInput(() => readCsv("/nonexistent/trace.csv", COLS), /^\/nonexistent\/trace\.csv: cannot read the CSV file \(ENOENT\)/);
  throwsInput(() => parseCsv("\n\n", "e.csv", COLS), /^e\.csv:1: is empty/);
});

test("readRequestsCsv requires integer token counts >= 1", () => {
  const dir = mkdtempSync(join(tmpdir(), "tw-csv-"));
  writeFileSync(join(dir, "r.csv"), `${HEADER}0,1.5,1\n`);
  throwsInput(
    () => readRequestsCsv(join(dir, "r.csv")),
    /r\.csv:2: num_prefill_tokens must be an integer token count in 1\.\.2147483647, got 1\.5/,
  );
  writeFileSync(join(dir, "z.csv"), `${HEADER}0,1,0\n`);
  throwsInput(() => readRequestsCsv(join(dir, "z.csv")), /z\.csv:2: num_decode_tokens must be an integer/);
});

// parse speed is a benchmark concern; this checks that a large trace parses exactly
test("100k rows with 17-digit arrivals parse exactly", () => {
  const parts = [HEADER];
  let t = 0;
  for (let i = 0; i < 100000; i++) {
    t += 0.1 + (i % 97) * 0.003071;
    parts.push(`${t},${1 + (i % 4000)},${1 + (i % 500)}\n`);
  }
  const text = parts.join("");
  const table = parseCsv(text, "big.csv", COLS);
  assert.is(table.rows, 100000);
});

test("empty cells and nan become NaN only where allowed; optional columns are filled", () => {
  const t = parseCsv("a,b\n1,\n2,nan\n3,4\n", "p.csv", [
    { name: "a" },
    { name: "b", allowEmpty: true },
    { name: "c", optional: true, fill: 7 },
  ]);
  assert.equal(Array.from(t.numbers.b), [NaN, NaN, 4]);
  assert.equal(Array.from(t.numbers.c), [7, 7, 7]);
  assert.equal(t.missing, ["c"]);
  throwsInput(() => parseCsv("a,b\n1,\n", "p.csv", [{ name: "b" }]), /^p\.csv:2: b must be a finite number, got ''/);
});

test("columns chosen from the header; .gz files are read through gunzip", () => {
  const dir = mkdtempSync(join(tmpdir(), "tokenwatt-csv-"));
  const file = join(dir, "ci.csv.gz");
  writeFileSync(file, gzipSync('time,"DE"\n"2023-01-01 00:00",300\n'));
  const t = readCsv(file, (header) => [{ name: header[0], kind: "string" }, { name: header[1] }]);
  assert.equal(t.header, ["time", "DE"]);
  assert.equal(t.strings.time, ["2023-01-01 00:00"]);
  assert.equal(Array.from(t.numbers.DE), [300]);
});

test.run();
