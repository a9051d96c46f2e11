/**
 * JSON output: `writeJson` for summaries/configs (pretty, NaN/±Infinity → null, typed arrays → arrays,
 * bigint → number), and a records-oriented table writer (`[{"col": value, ...}, ...]`, one row a line).
 */
import { openAtomic, writeFileAtomic } from "./atomic.js";
import { validateTable, type Column, type ResultTable } from "./table.js";
import { writeWhole, type TableSink, type TableWriter } from "./table-writer.js";

const FLUSH_CHARS = 1 << 20;

/** Registry entry: `.json` record arrays (`pandas.read_json(path)`, DuckDB `read_json_auto`). */
export const jsonRecordsWriter: TableWriter = {
  format: "json",
  extension: ".json",
  write: writeJsonRecords,
  open: openJsonRecords,
};

/**
 * JSON.stringify replacer: typed arrays become plain arrays, bigint becomes a number (a string when
 * beyond 2^53, so no digits are lost). NaN and ±Infinity already become null in JSON.stringify.
 */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value.toString();
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>);
  }
  return value;
}

/**
 * Writes `obj` as pretty JSON (2-space indent, trailing newline) atomically.
 *
 * @example
 * await writeJson({ p99: NaN, ttft: Float64Array.of(0.1, 0.2) }, "out/summary.json");
 * // { "p99": null, "ttft": [0.1, 0.2] }
 */
export async function writeJson(obj: unknown, path: string): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(obj, jsonReplacer, 2)}\n`);
}

/**
 * Writes `table` as a JSON array of row objects atomically; NaN/±Infinity → null, bool → true/false.
 *
 * @example
 * await writeJsonRecords(table, "out/request_metrics.json"); // pandas.read_json("out/request_metrics.json")
 */
export async function writeJsonRecords(table: ResultTable, path: string): Promise<void> {
  await writeWhole(openJsonRecords, table, path);
}

/**
 * Opens `path` for a JSON record array written chunk by chunk.
 *
 * @example
 * const sink = await openJsonRecords("out/t.json");
 * await sink.write(rows); await sink.close();
 */
export async function openJsonRecords(path: string): Promise<TableSink> {
  const file = await openAtomic(path);
  let rowsWritten = 0;
  file.write("[");
  return {
    async write(chunk) {
      const rows = validateTable(chunk);
      const keys = chunk.columns.map((c, i) => `${i === 0 ? "{" : ","}${JSON.stringify(c.name)}:`);
      const cells = chunk.columns.map(cellFormatter);
      let s = "";
      for (let r = 0; r < rows; r++) {
        s += rowsWritten + r === 0 ? "\n" : ",\n";
        for (let c = 0; c < keys.length; c++) s += keys[c] + cells[c](r);
        s += keys.length === 0 ? "{}" : "}";
        if (s.length > FLUSH_CHARS) {
          file.write(s);
          s = "";
        }
      }
      if (s) file.write(s);
      rowsWritten += rows;
    },
    async close() {
      file.write("\n]\n");
      await file.commit();
    },
    async abort() {
      file.abort();
    },
  };
}

function cellFormatter(c: Column): (r: number) => string {
  switch (c.type) {
    case "f64": {
      const d = c.data as Float64Array;
      return (r) => (Number.isFinite(d[r]) ? String(d[r]) : "null");
    }
    case "i32": {
      const d = c.data as Int32Array;
      return (r) => String(d[r]);
    }
    case "i64": {
      const d = c.data as BigInt64Array;
      return (r) => String(d[r]);
    }
    case "bool": {
      const d = c.data as Uint8Array;
      return (r) => (d[r] !== 0 ? "true" : "false");
    }
    case "utf8": {
      const d = c.data as string[];
      return (r) => (d[r] === null || d[r] === undefined ? "null" : JSON.stringify(d[r]));
    }
  }
}
