import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Type, tableFromIPC } from "apache-arrow";
import { encodeParquet, loadParquetWasm, openParquet, writeParquetFile } from "../../src/output/parquet.js";
import { duck } from "../helpers/duckdb.js";
import { column, type ResultTable } from "../../src/tables/table.js";
import { leftoverTemps, tempDir } from "./helpers.js";

const n = 5000;
const table: ResultTable = {
  name: "requests",
  columns: [
    column(
      "Request Id",
      "i32",
      Int32Array.from({ length: n }, (_, i) => i),
    ),
    column(
      "latency",
      "f64",
      Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : Math.random() * 10)),
      true,
    ),
    column(
      "tokens",
      "i64",
      BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_000_007n),
    ),
    column(
      "done",
      "bool",
      Uint8Array.from({ length: n }, (_, i) => i & 1),
    ),
    column(
      "model",
      "utf8",
      Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "llama-2-7b" : "mistral ✓")),
    ),
  ],
};

async function readBack(bytes: Uint8Array) {
  const pq = await loadParquetWasm();
  return tableFromIPC(pq.readParquet(bytes).intoIPCStream());
}

test("parquet file reads back with the same column types", async () => {
  const dir = tempDir();
  const path = join(dir, "requests.parquet");
  await writeParquetFile(table, path);
  assert.equal(leftoverTemps(dir), []);
  const bytes = readFileSync(path);
  assert.is(bytes.subarray(0, 4).toString("latin1"), "PAR1");
  const t = await readBack(bytes);
  assert.equal(
    t.schema.fields.map((f) => f.name),
    ["Request Id", "latency", "tokens", "done", "model"],
  );
  assert.equal(
    t.schema.fields.map((f) => f.typeId),
    [Type.Int, Type.Float, Type.Int, Type.Bool, Type.Utf8],
  );
  assert.is((t.schema.fields[2].type as { bitWidth: number }).bitWidth, 64);
});

test("parquet values and nulls round-trip exactly", async () => {
  const t = await readBack(await encodeParquet(table));
  assert.is(t.numRows, n);
  assert.equal(t.getChild("Request Id")!.toArray(), table.columns[0].data);
  const lat = [...t.getChild("latency")!];
  const src = table.columns[1].data as Float64Array;
  lat.forEach((v, i) => {
    if (Number.isNaN(src[i]) ? v !== null : v !== src[i]) assert.unreachable(`latency row ${i}: ${v} vs ${src[i]}`);
  });
  assert.equal([...t.getChild("tokens")!], [...(table.columns[2].data as BigInt64Array)]);
  assert.equal(
    [...t.getChild("done")!],
    [...(table.columns[3].data as Uint8Array)].map((b) => b === 1),
  );
  assert.equal([...t.getChild("model")!], table.columns[4].data);
});

test("snappy and uncompressed options also read back", async () => {
  for (const compression of ["snappy", "none"] as const) {
    const t = await readBack(await encodeParquet(table, { compression }));
    assert.equal(t.getChild("Request Id")!.toArray(), table.columns[0].data, compression);
  }
});

test("zstd is smaller than uncompressed on repetitive data", async () => {
  const zstd = await encodeParquet(table, { compression: "zstd" });
  const none = await encodeParquet(table, { compression: "none" });
  assert.ok(zstd.length < none.length, `${zstd.length} >= ${none.length}`);
});

test("DuckDB reads the uncompressed encoder's files: types, values, nulls and row groups", async () => {
  const path = join(tempDir(), "t.parquet");
  await writeParquetFile(table, path, { rowGroupSize: 1000 });
  const q = await duck(
    `SELECT count(*) AS n, count(latency) AS present, sum("Request Id") AS ids, sum(latency) AS lat, max(tokens) AS tok, ` +
      `sum(done::INT) AS trues, count(*) FILTER (model = 'mistral ✓') AS mistral FROM '${path}'`,
  );
  const lat = table.columns[1].data as Float64Array;
  const r = q.rows[0];
  assert.is(Number(r.n), n);
  assert.is(Number(r.present), lat.filter((v) => !Number.isNaN(v)).length);
  assert.is(Number(r.ids), (n * (n - 1)) / 2);
  assert.ok(Math.abs(Number(r.lat) - lat.reduce((a, v) => (Number.isNaN(v) ? a : a + v), 0)) < 1e-6);
  assert.is(BigInt(r.tok as bigint), BigInt(n - 1) * 1_000_000_007n);
  assert.is(Number(r.trues), n / 2);
  assert.is(Number(r.mistral), n - Math.ceil(n / 3));
  const types = (await duck(`SELECT * FROM '${path}'`)).types;
  assert.equal(types, { "Request Id": "INTEGER", latency: "DOUBLE", tokens: "BIGINT", done: "BOOLEAN", model: "VARCHAR" });
  const groups = await duck(`SELECT num_row_groups FROM parquet_file_metadata('${path}')`);
  assert.is(Number(groups.rows[0].num_row_groups), 5);
});

test("column-chunk statistics hold each row group's min, max and null count", async () => {
  const path = join(tempDir(), "t.parquet");
  await writeParquetFile(table, path, { rowGroupSize: 1000 });
  const meta = await duck(
    `SELECT row_group_id AS g, path_in_schema AS col, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls ` +
      `FROM parquet_metadata('${path}') ORDER BY g, column_id`,
  );
  const lat = table.columns[1].data as Float64Array;
  for (const row of meta.rows) {
    const g = Number(row.g);
    const part = lat.subarray(g * 1000, (g + 1) * 1000);
    if (row.col === "Request Id") assert.equal([row.lo, row.hi], [String(g * 1000), String(g * 1000 + 999)]);
    if (row.col === "latency") {
      const present = [...part].filter((v) => !Number.isNaN(v));
      assert.is(Number(row.nulls), part.length - present.length);
      assert.is(Number(row.lo), Math.min(...present));
      assert.is(Number(row.hi), Math.max(...present));
    }
    if (row.col === "done") assert.equal([row.lo, row.hi], ["false", "true"]);
    // unsigned UTF-8 byte order: "llama-2-7b" < "mistral ✓"
    if (row.col === "model") assert.equal([row.lo, row.hi], ["llama-2-7b", "mistral ✓"]);
  }
  // DuckDB skips row groups by these statistics: a selective filter still gives the exact answer
  const hit = await duck(`SELECT count(*) AS c FROM '${path}' WHERE "Request Id" BETWEEN 2500 AND 2599`);
  assert.is(Number(hit.rows[0].c), 100);
});

test("string statistics follow UTF-8 byte order, not JavaScript's UTF-16 order", async () => {
  // U+FF61 sorts after the surrogate pair of U+1F600 in UTF-16 but before it in UTF-8 (EF.. < F0..)
  const path = join(tempDir(), "s.parquet");
  await writeParquetFile({ name: "s", columns: [column("s", "utf8", ["😀", "\uff61", "b"])] }, path);
  const meta = await duck(`SELECT stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${path}')`);
  assert.equal([meta.rows[0].lo, meta.rows[0].hi], ["b", "😀"]);
  const hit = await duck(`SELECT count(*) AS c FROM '${path}' WHERE s = '\uff61'`);
  assert.is(Number(hit.rows[0].c), 1);
});

test("chunks streamed into one sink become row groups in order; a zero-row table keeps its schema", async () => {
  const dir = tempDir();
  const path = join(dir, "s.parquet");
  const sink = await openParquet(path);
  const ids = table.columns[0].data as Int32Array;
  for (const [a, b] of [
    [0, 10],
    [10, 10],
    [10, 25],
  ]) {
    await sink.write({ name: "s", columns: [column("Request Id", "i32", ids.slice(a, b))] });
  }
  await sink.close();
  const t = await readBack(readFileSync(path));
  assert.equal([...t.getChild("Request Id")!], [...ids.slice(0, 25)]);
  const empty = join(dir, "empty.parquet");
  await writeParquetFile({ name: "e", columns: [column("x", "f64", new Float64Array(0), true), column("s", "utf8", [])] }, empty);
  const q = await duck(`SELECT count(*) AS c FROM '${empty}'`);
  assert.is(Number(q.rows[0].c), 0);
  assert.equal((await duck(`SELECT * FROM '${empty}'`)).types, { x: "DOUBLE", s: "VARCHAR" });
  assert.equal(leftoverTemps(dir), []);
});

test.run();
