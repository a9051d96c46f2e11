/**
 * Output writer benchmark: `node --import tsx bench/outputs.ts` prints write time and size per format (the
 * first write of a format includes loading its library), then
 * the CSV row encoder in JavaScript against the WASM one (median of 5, one process). Data looks like request
 * metrics: ids and token counts (ints) plus full-precision latencies. Needs `npm run build:wasm`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { statSync } from "node:fs";
import { join } from "node:path";
import { writeArrow } from "../src/output/arrow.js";
import { encodeCsv, writeCsv } from "../src/output/csv.js";
import { encodeCsvRowsWasm } from "../src/output/csv-wasm.js";
import { writeParquetFile } from "../src/output/parquet.js";
import { column, type Column, type ResultTable } from "../src/tables/table.js";

function metricsTable(rows: number, cols: number): ResultTable {
  const columns: Column[] = [
    column(
      "Request Id",
      "i32",
      Int32Array.from({ length: rows }, (_, i) => i),
    ),
  ];
  for (let c = 1; c < cols; c++) {
    columns.push(
      c % 3 === 0
        ? column(
            `tokens ${c}`,
            "i32",
            Int32Array.from({ length: rows }, () => Math.floor(Math.random() * 4096)),
          )
        : column(
            `latency ${c}`,
            "f64",
            Float64Array.from({ length: rows }, () => Math.random() * 30),
          ),
    );
  }
  return { name: `metrics_${rows}x${cols}`, columns };
}

async function timed(label: string, write: () => Promise<void>, path: string): Promise<number> {
  const t0 = performance.now();
  await write();
  const ms = performance.now() - t0;
  console.log(`  ${label}: ${ms.toFixed(0)} ms, ${(statSync(path).size / 1e6).toFixed(1)} MB`);
  return ms;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tokenwatt-bench-outputs-"));
  for (const [rows, cols] of [
    [250_000, 6],
    [100_000, 25],
  ]) {
    const t = metricsTable(rows, cols);
    const base = join(dir, t.name);
    await timed(`${t.name} csv`, () => writeCsv(t, `${base}.csv`), `${base}.csv`);
    await timed(`${t.name} arrow`, () => writeArrow(t, `${base}.arrow`), `${base}.arrow`);
    await timed(`${t.name} parquet`, () => writeParquetFile(t, `${base}.parquet`), `${base}.parquet`);
    // the compressed codecs go through parquet-wasm (Arrow IPC round trip into its WASM encoder)
    for (const compression of ["snappy", "zstd"] as const) {
      const path = `${base}.${compression}.parquet`;
      await timed(`${t.name} parquet ${compression} (parquet-wasm)`, () => writeParquetFile(t, path, { compression }), path);
    }
  }
}

/** JS vs WASM CSV rows: 100k rows × 28 f64 columns of latency-like values (0.001..20000 s, 16-17 digits). */
function csvEncoders(): void {
  const rows = 100_000;
  const cols = 28;
  const table: ResultTable = {
    name: "latencies",
    columns: Array.from({ length: cols }, (_, c) =>
      column(
        `c${c}`,
        "f64",
        Float64Array.from({ length: rows }, () => 0.001 * Math.exp(Math.random() * Math.log(2e7))),
      ),
    ),
  };
  const emit = (): void => undefined;
  const scratch = Buffer.allocUnsafe(4 << 20);
  const median = (f: () => void): number => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      f();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[2];
  };
  encodeCsvRowsWasm(table, emit); // instantiate and warm up
  const js = median(() => encodeCsv(table, emit, { header: false, scratch, wasm: false }));
  const wasm = median(() => encodeCsvRowsWasm(table, emit));
  const ns = (ms: number) => ((ms * 1e6) / (rows * cols)).toFixed(0);
  console.log(
    `csv rows, ${rows} x ${cols} f64: JS ${js.toFixed(0)} ms (${ns(js)} ns/number), WASM ${wasm.toFixed(0)} ms (${ns(wasm)} ns/number), ${(js / wasm).toFixed(1)}x`,
  );
}

await main();
csvEncoders();
