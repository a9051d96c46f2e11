import { test } from "uvu";
import * as assert from "uvu/assert";
import { column, tableRowCount, validateTable, type ResultTable } from "../../src/tables/table.js";

test("tableRowCount is the first column's length, 0 without columns", () => {
  assert.is(tableRowCount({ name: "t", columns: [column("a", "i32", new Int32Array(7))] }), 7);
  assert.is(tableRowCount({ name: "t", columns: [] }), 0);
});

test("validateTable returns the row count of a consistent table", () => {
  const t: ResultTable = {
    name: "t",
    columns: [
      column("Request Id", "i32", Int32Array.of(0, 1)),
      column("x", "f64", Float64Array.of(1, NaN), true),
      column("n", "i64", BigInt64Array.of(1n, 2n)),
      column("ok", "bool", Uint8Array.of(1, 0)),
      column("s", "utf8", ["a", "b"]),
    ],
  };
  assert.is(validateTable(t), 2);
});

test("validateTable rejects unequal lengths, naming the column", () => {
  const t: ResultTable = { name: "t", columns: [column("a", "f64", new Float64Array(2)), column("b", "f64", new Float64Array(3))] };
  assert.throws(() => validateTable(t), /column "b" has 3 rows, expected 2/);
});

test("validateTable rejects an array that does not match the declared type", () => {
  const t: ResultTable = { name: "t", columns: [{ name: "a", type: "i32", data: new Float64Array(2) }] };
  assert.throws(() => validateTable(t), /"a" of type i32 holds a Float64Array/);
});

test("validateTable rejects duplicate column names", () => {
  const t: ResultTable = { name: "t", columns: [column("a", "f64", new Float64Array(1)), column("a", "i32", new Int32Array(1))] };
  assert.throws(() => validateTable(t), /duplicate column name "a"/);
});

test.run();
