import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Type, tableFromIPC } from "apache-arrow";
import { encodeParquet, loadParquetWasm, writeParquetFile } from "../../src/output/parquet.js";
import { column, type ResultTable } from "../../src/output/table.js";
import { leftoverTemps, tempDir } from "./helpers.js";

const n = 5000;
const table: ResultTable = {
  name: "requests",
  columns: [
    column("Request Id", "i32", Int32Array.from({ length: n }, (_, i) => i)),
    column("latency", "f64", Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? NaN : Math.random() * 10)), true),
    column("tokens", "i64", BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_000_007n)),
    column("done", "bool", Uint8Array.from({ length: n }, (_, i) => i & 1)),
    column("model", "utf8", Array.from({ length: n }, (_, i) => (i % 3 === 0 ? "llama-2-7b" : "mistral ✓"))),
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
  assert.equal(t.schema.fields.map((f) => f.name), ["Request Id", "latency", "tokens", "done", "model"]);
  assert.equal(t.schema.fields.map((f) => f.typeId), [Type.Int, Type.Float, Type.Int, Type.Bool, Type.Utf8]);
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
  assert.equal([...t.getChild("done")!], [...(table.columns[3].data as Uint8Array)].map((b) => b === 1));
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

test.run();
