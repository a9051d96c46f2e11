/**
 * Output writer benchmark: `node --import tsx bench/outputs.ts` prints write time and size per format. Budget from the design: each CSV well under
 * 200 ms. Data looks like request metrics: ids and token counts (ints) plus full-precision latencies.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { statSync } from "node:fs";
import { join } from "node:path";
import { writeArrow } from "../src/output/arrow.js";
import { writeCsv } from "../src/output/csv.js";
import { writeParquetFile } from "../src/output/parquet.js";
import { column, type Column, type ResultTable } from "../src/output/table.js";

function metricsTable(rows: number, cols: number): ResultTable {
  const columns: Column[] = [column("Request Id", "i32", Int32Array.from({ length: rows }, (_, i) => i))];
  for (let c = 1; c < cols; c++) {
    columns.push(
      c % 3 === 0
        ? column(`tokens ${c}`, "i32", Int32Array.from({ length: rows }, () => Math.floor(Math.random() * 4096)))
        : column(`latency ${c}`, "f64", Float64Array.from({ length: rows }, () => Math.random() * 30)),
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
  }
}

await main();
