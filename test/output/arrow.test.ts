import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Type, tableFromIPC } from "apache-arrow";
import { toArrowTable, writeArrow } from "../../src/output/arrow.js";
import { column, type ResultTable } from "../../src/tables/table.js";
import { leftoverTemps, tempDir } from "./helpers.js";

const sample: ResultTable = {
  name: "sample",
  columns: [
    column("Request Id", "i32", Int32Array.of(0, 1, 2)),
    column("latency", "f64", Float64Array.of(0.1 + 0.2, NaN, 1e-300), true),
    column("raw", "f64", Float64Array.of(NaN, -0.5, Infinity)),
    column("tokens", "i64", BigInt64Array.of(9223372036854775807n, -1n, 0n)),
    column("done", "bool", Uint8Array.of(1, 0, 1)),
    column("model", "utf8", ["llama ✓", "", "a,b"]),
  ],
};

async function roundTrip(table: ResultTable) {
  const dir = tempDir();
  const path = join(dir, `${table.name}.arrow`);
  await writeArrow(table, path);
  assert.equal(leftoverTemps(dir), []);
  return tableFromIPC(readFileSync(path));
}

test("column names, order and Arrow types survive the IPC file", async () => {
  const t = await roundTrip(sample);
  assert.equal(
    t.schema.fields.map((f) => f.name),
    ["Request Id", "latency", "raw", "tokens", "done", "model"],
  );
  assert.equal(
    t.schema.fields.map((f) => f.typeId),
    [Type.Int, Type.Float, Type.Float, Type.Int, Type.Bool, Type.Utf8],
  );
  const [id, lat, , tok] = t.schema.fields;
  assert.is((id.type as { bitWidth: number }).bitWidth, 32);
  assert.is((tok.type as { bitWidth: number }).bitWidth, 64);
  assert.is((lat.type as { precision: number }).precision, 2); // Precision.DOUBLE
  assert.is(t.numRows, 3);
});

test("values round-trip, NaN in a nullable f64 becomes null, in a plain f64 stays NaN", async () => {
  const t = await roundTrip(sample);
  assert.equal(t.getChild("Request Id")!.toArray(), Int32Array.of(0, 1, 2));
  assert.equal([...t.getChild("latency")!], [0.1 + 0.2, null, 1e-300]);
  assert.is(t.getChild("latency")!.nullCount, 1);
  const raw = [...t.getChild("raw")!];
  assert.ok(Number.isNaN(raw[0]));
  assert.equal(raw.slice(1), [-0.5, Infinity]);
  assert.equal([...t.getChild("tokens")!], [9223372036854775807n, -1n, 0n]);
  assert.equal([...t.getChild("done")!], [true, false, true]);
  assert.equal([...t.getChild("model")!], ["llama ✓", "", "a,b"]);
});

test("nullable flag is carried to the schema", () => {
  const t = toArrowTable(sample);
  assert.equal(
    t.schema.fields.map((f) => f.nullable),
    [false, true, false, false, false, false],
  );
});

test("bool packing and validity bitmaps are right past the first byte", async () => {
  const n = 21;
  const bools = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const xs = Float64Array.from({ length: n }, (_, i) => (i % 4 === 1 ? NaN : i));
  const t = await roundTrip({ name: "bits", columns: [column("b", "bool", bools), column("x", "f64", xs, true)] });
  assert.equal(
    [...t.getChild("b")!],
    [...bools].map((b) => b === 1),
  );
  assert.equal(
    [...t.getChild("x")!],
    [...xs].map((x) => (Number.isNaN(x) ? null : x)),
  );
});

test("an empty table writes and reads back with its schema", async () => {
  const t = await roundTrip({ name: "empty", columns: [column("x", "f64", new Float64Array(0)), column("s", "utf8", [])] });
  assert.is(t.numRows, 0);
  assert.equal(
    t.schema.fields.map((f) => f.name),
    ["x", "s"],
  );
});

test.run();
