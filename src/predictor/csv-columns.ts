/**
 * A fast column-oriented CSV reader for numeric tables (Vidur's op tables and profiling CSVs): one pass over the
 * text, no per-row objects, only the requested columns parsed. No quoting support — Vidur never quotes.
 *
 * @example
 * const { cols, rows } = readCsvColumns("add.csv", "num_tokens,prediction\n1,0.002\n", [
 *   { name: "num_tokens" }, { name: "prediction" }]);
 * cols.num_tokens[0] // 1
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { InputError } from "../core/errors.js";

export interface ColumnSpec {
  name: string;
  /** "number" (default) parses to a Float64Array; "string" keeps the raw text. */
  type?: "number" | "string";
  /** Absent column → filled with `fill` (numbers) / "" (strings) instead of an error. */
  optional?: boolean;
  fill?: number;
  /** Empty numeric cells become NaN instead of an error (attention.csv leaves prefill stats empty on decode rows). */
  allowEmpty?: boolean;
}

export interface CsvColumns {
  rows: number;
  header: string[];
  num: Record<string, Float64Array>;
  str: Record<string, string[]>;
  /** Which requested columns were absent (optional ones only). */
  missing: string[];
}

/** Reads a file as text, gunzipping `.gz`. Errors name the file. */
export function readTextFile(file: string): string {
  try {
    const buf = readFileSync(file);
    return (file.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
  } catch (e) {
    throw InputError.at(file, undefined, undefined, `cannot be read (${(e as Error).message})`);
  }
}

export function readCsvColumns(file: string, text: string, specs: ColumnSpec[]): CsvColumns {
  let headerEnd = text.indexOf("\n");
  if (headerEnd < 0) headerEnd = text.length;
  const header = text.slice(0, headerEnd).replace(/\r$/, "").split(",").map((h) => h.trim());
  if (header.length === 1 && header[0] === "") throw InputError.at(file, 1, undefined, "is empty (expected a CSV header line)");

  // Column index → slot in the output, -1 when not requested.
  const slotOf = new Int32Array(header.length).fill(-1);
  const missing: string[] = [];
  const present: { spec: ColumnSpec; col: number }[] = [];
  for (const spec of specs) {
    const col = header.indexOf(spec.name);
    if (col < 0) {
      if (!spec.optional) {
        throw InputError.at(file, 1, spec.name, `column is missing (header has: ${header.filter((h) => h).slice(0, 12).join(", ")}${header.length > 12 ? ", …" : ""})`);
      }
      missing.push(spec.name);
      continue;
    }
    slotOf[col] = present.length;
    present.push({ spec, col });
  }

  // Count data lines to size the arrays once.
  let rows = 0;
  for (let i = headerEnd + 1; i < text.length; ) {
    let j = text.indexOf("\n", i);
    if (j < 0) j = text.length;
    if (j > i && !(j === i + 1 && text.charCodeAt(i) === 13)) rows++;
    i = j + 1;
  }
  if (rows === 0) throw InputError.at(file, 2, undefined, "has a header but no data rows");

  const numOut: (Float64Array | undefined)[] = present.map((p) => (p.spec.type === "string" ? undefined : new Float64Array(rows)));
  const strOut: (string[] | undefined)[] = present.map((p) => (p.spec.type === "string" ? new Array<string>(rows) : undefined));

  let row = 0;
  let line = 1;
  for (let i = headerEnd + 1; i < text.length; ) {
    let end = text.indexOf("\n", i);
    if (end < 0) end = text.length;
    line++;
    let lineEnd = end;
    if (lineEnd > i && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (lineEnd > i) {
      let col = 0;
      let start = i;
      for (let k = i; k <= lineEnd; k++) {
        if (k === lineEnd || text.charCodeAt(k) === 44 /* , */) {
          const slot = col < slotOf.length ? slotOf[col]! : -1;
          if (slot >= 0) {
            const num = numOut[slot];
            if (num !== undefined) {
              let v: number;
              if (k === start) {
                if (!present[slot]!.spec.allowEmpty) throw InputError.at(file, line, present[slot]!.spec.name, "is empty (expected a number)");
                v = NaN;
              } else {
                v = +text.slice(start, k);
                if (Number.isNaN(v)) {
                  const raw = text.slice(start, k);
                  if (!(present[slot]!.spec.allowEmpty && raw.toLowerCase() === "nan")) {
                    throw InputError.at(file, line, present[slot]!.spec.name, `must be a number, got "${raw}"`);
                  }
                }
              }
              num[row] = v;
            } else {
              strOut[slot]![row] = text.slice(start, k);
            }
          }
          col++;
          start = k + 1;
        }
      }
      if (col < header.length) {
        // A short row would silently leave zeros in the arrays.
        const lastNeeded = Math.max(...present.map((p) => p.col));
        if (col <= lastNeeded) throw InputError.at(file, line, header[col] ?? `column ${col + 1}`, `is missing (row has ${col} of ${header.length} fields)`);
      }
      row++;
    }
    i = end + 1;
  }

  const num: Record<string, Float64Array> = {};
  const str: Record<string, string[]> = {};
  present.forEach((p, s) => {
    if (numOut[s]) num[p.spec.name] = numOut[s]!;
    else str[p.spec.name] = strOut[s]!;
  });
  for (const spec of specs) {
    if (!missing.includes(spec.name)) continue;
    if (spec.type === "string") str[spec.name] = new Array<string>(rows).fill("");
    else num[spec.name] = new Float64Array(rows).fill(spec.fill ?? 0);
  }
  return { rows, header, num, str, missing };
}
