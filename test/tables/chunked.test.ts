import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tableFromIPC } from "apache-arrow";
import { WriterThread } from "../../src/output/background-writer.js";
import { duck } from "../helpers/duckdb.js";
import { loadParquetWasm } from "../../src/output/parquet.js";
import { chunked, materialize, reuseArray, type ChunkedTable } from "../../src/tables/chunked.js";
import { streamTable } from "../../src/output/table-stream.js";
import { column, tableRowCount, type ResultTable } from "../../src/tables/table.js";
import type { TableSink } from "../../src/output/table-writer.js";
import { WRITERS } from "../../src/output/writers.js";
import { leftoverTemps, tempDir } from "../output/helpers.js";

const n = 1000;
const table: ResultTable = {
  name: "t",
  columns: [
    column(
      "Request Id",
      "i32",
      Int32Array.from({ length: n }, (_, i) => i),
    ),
    column(
      "latency",
      "f64",
      Float64Array.from({ length: n }, (_, i) => (i % 11 === 5 ? NaN : i / 7)),
      true,
    ),
    column(
      "model",
      "utf8",
      Array.from({ length: n }, (_, i) => (i % 2 ? "a,b" : "c")),
    ),
  ],
};

test("chunk(start, end) copies the rows and materialize returns the whole table", () => {
  const t = chunked(table);
  assert.is(t.numRows, n);
  const c = t.chunk(10, 13);
  assert.equal(Array.from(c.columns[0].data as Int32Array), [10, 11, 12]);
  assert.is.not((c.columns[0].data as Int32Array).buffer, (table.columns[0].data as Int32Array).buffer);
  assert.equal(Array.from(materialize(t).columns[0].data as Int32Array), Array.from(table.columns[0].data as Int32Array));
});

test("a reused chunk's memory is overwritten instead of allocating", () => {
  const t = chunked(table);
  const first = t.chunk(0, 100);
  const second = t.chunk(100, 150, first);
  assert.is((second.columns[1].data as Float64Array).buffer, (first.columns[1].data as Float64Array).buffer);
  assert.is(second.columns[1].data.length, 50);
  assert.is((second.columns[0].data as Int32Array)[0], 100);
  const big = reuseArray(Float64Array, 200, first.columns[1].data); // too small to reuse
  assert.is.not(big.buffer, (first.columns[1].data as Float64Array).buffer);
});

async function readBack(format: string, path: string): Promise<string> {
  if (format === "arrow") return JSON.stringify(tableFromIPC(readFileSync(path)).toArray());
  if (format === "parquet") {
    const pq = await loadParquetWasm();
    return JSON.stringify(tableFromIPC(pq.readParquet(readFileSync(path)).intoIPCStream()).toArray());
  }
  return readFileSync(path, "utf8");
}

test("every format streamed in chunks reads back exactly as written whole", async () => {
  const dir = tempDir();
  for (const w of Object.values(WRITERS)) {
    const whole = join(dir, `whole${w.extension}`);
    const streamed = join(dir, `streamed${w.extension}`);
    await w.write(table, whole);
    await streamTable(chunked(table), [await w.open(streamed)], { chunkRows: 64 });
    assert.is(await readBack(w.format, streamed), await readBack(w.format, whole), w.format);
  }
  assert.equal(leftoverTemps(dir), []);
});

test("a zero-row table still gets its header and schema", async () => {
  const dir = tempDir();
  const empty = chunked({ name: "e", columns: [column("x", "f64", new Float64Array(0)), column("y", "i32", new Int32Array(0))] });
  const sinks = await Promise.all(Object.values(WRITERS).map((w) => w.open(join(dir, `e${w.extension}`))));
  await streamTable(empty, sinks);
  assert.is(readFileSync(join(dir, "e.csv"), "utf8"), "x,y\n");
  assert.equal(
    tableFromIPC(readFileSync(join(dir, "e.arrow"))).schema.fields.map((f) => f.name),
    ["x", "y"],
  );
});

test("a failing chunk aborts every sink: no file, no temp file", async () => {
  const dir = tempDir();
  const failing: ChunkedTable = {
    name: "f",
    numRows: 100,
    chunk: (start, end) => {
      if (start >= 50) throw new Error("boom");
      return chunked(table).chunk(start, end);
    },
  };
  const sinks = await Promise.all(Object.values(WRITERS).map((w) => w.open(join(dir, `f${w.extension}`))));
  await streamTable(failing, sinks, { chunkRows: 25 }).then(
    () => assert.unreachable(),
    (e: Error) => assert.is(e.message, "boom"),
  );
  assert.equal(leftoverTemps(dir), []);
  for (const w of Object.values(WRITERS)) assert.not.ok(existsSync(join(dir, `f${w.extension}`)), w.format);
});

test("afterChunk runs after each chunk was handed to the sinks", async () => {
  const seen: number[] = [];
  const writes: number[] = [];
  const sink: TableSink = {
    write: async (c) => void writes.push(c.columns[0].data.length),
    close: async () => undefined,
    abort: async () => undefined,
  };
  await streamTable(chunked(table), [sink], { chunkRows: 300, afterChunk: (i) => seen.push(i * 10 + writes.length) });
  assert.equal(writes, [300, 300, 300, 100]);
  assert.equal(seen, [1, 12, 23, 34]);
});

/** Runs `body` with a fresh writer thread for `formats` and a temp dir; then no temp file may be left. */
async function withThread(formats: string[], body: (thread: WriterThread, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const thread = new WriterThread(formats);
  try {
    await body(thread, dir);
  } finally {
    await thread.terminate();
  }
  assert.equal(leftoverTemps(dir), []);
}

test("a writer thread writes the same bytes as this thread and hands buffers back for reuse", () =>
  withThread(["csv", "json"], async (thread, dir) => {
    const targets = [
      { format: "csv", path: join(dir, "bg.csv") },
      { format: "json", path: join(dir, "bg.json") },
    ];
    await streamTable(chunked(table), [await thread.open(targets)], { chunkRows: 100 });
    await WRITERS.csv.write(table, join(dir, "fg.csv"));
    await WRITERS.json.write(table, join(dir, "fg.json"));
    assert.is(readFileSync(join(dir, "bg.csv"), "utf8"), readFileSync(join(dir, "fg.csv"), "utf8"));
    assert.is(readFileSync(join(dir, "bg.json"), "utf8"), readFileSync(join(dir, "fg.json"), "utf8"));
    // a chunk handed to the thread stays intact for the other sinks
    const chunk = chunked(table).chunk(0, 10);
    const sink = await thread.open([{ format: "csv", path: join(dir, "one.csv") }]);
    await sink.write(chunk);
    assert.is((chunk.columns[0].data as Int32Array)[9], 9);
    await sink.close();
  }));

test("a writer thread's failure rejects the sink with the thread's message", () =>
  withThread(["csv"], async (thread, dir) => {
    const bad: ResultTable = { name: "bad", columns: [column("a", "f64", new Float64Array(2)), column("b", "f64", new Float64Array(1))] };
    const sink = await thread.open([{ format: "csv", path: join(dir, "bad.csv") }]);
    await sink.write(bad).catch(() => undefined); // the failure may surface here or at close
    await sink.close().then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /column "b" has 1 rows, expected 2/),
    );
    await sink.abort();
  }));

test("a target's write options reach the thread's writer (ZSTD Parquet through parquet-wasm)", () =>
  withThread(["parquet"], async (thread, dir) => {
    const path = join(dir, "z.parquet");
    await streamTable(chunked(table), [await thread.open([{ format: "parquet", path, options: { parquetCompression: "zstd" } }])], {
      chunkRows: 100,
    });
    const codecs = await duck(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
    assert.equal(
      codecs.rows.map((r) => r.compression),
      ["ZSTD"],
    );
    const rows = await duck(`SELECT count(*) AS n FROM '${path}'`);
    assert.is(Number(rows.rows[0].n), tableRowCount(table));
  }));

test("a thread that cannot open one of its targets leaves no file behind", () =>
  withThread(["csv", "json"], async (thread, dir) => {
    const targets = [
      { format: "csv", path: join(dir, "ok.csv") },
      { format: "xlsx", path: join(dir, "no.xlsx") },
    ];
    await thread.open(targets).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /unknown output format "xlsx"/),
    );
    assert.not.ok(existsSync(join(dir, "ok.csv")));
  }));

test.run();
