/**
 * The request-stream CSV layout of Vidur's trace replay (`arrived_at,num_prefill_tokens,num_decode_tokens`,
 * seconds and tokens, one request per row, row i = request id i), read and written exactly.
 *
 * @example
 * const s = readRequestsCsv("requests.csv");
 * formatRequestsCsv(s).split("\n")[1]; // "0.25501507181870026,1266,63"
 */
import { InputError } from "../core/errors.js";
import type { RequestStream } from "../core/types.js";
import { readCsv, type CsvTable } from "../core/csv.js";
import { firstUnsortedRow, sortByArrival } from "./stream.js";

export const REQUEST_COLUMNS = ["arrived_at", "num_prefill_tokens", "num_decode_tokens"] as const;

/** Reads the three columns of a trace-replay CSV as non-negative finite numbers (no other checks). */
export function readRequestsTable(path: string, flag?: string): CsvTable {
  return readCsv(
    path,
    REQUEST_COLUMNS.map((name) => ({ name, kind: "number" as const, nonNegative: true })),
    flag,
  );
}

/**
 * Reads a request stream as-is: token counts must be integers in 1..2**31-1 and arrivals finite and >= 0.
 * Rows out of arrival order are stably sorted (request ids then follow arrival order) and `warn` is told.
 */
export function readRequestsCsv(path: string, warn: (message: string) => void = defaultWarn): RequestStream {
  const t = readRequestsTable(path);
  const stream: RequestStream = {
    arrivedAt: Float64Array.from(t.numbers.arrived_at),
    numPrefillTokens: new Int32Array(t.rows),
    numDecodeTokens: new Int32Array(t.rows),
  };
  const tokenCols = [
    ["num_prefill_tokens", stream.numPrefillTokens],
    ["num_decode_tokens", stream.numDecodeTokens],
  ] as const;
  for (const [name, out] of tokenCols) {
    const src = t.numbers[name];
    for (let i = 0; i < t.rows; i++) {
      const v = src[i];
      if (!Number.isInteger(v) || v < 1 || v > 0x7fffffff) {
        throw InputError.at(path, t.lines[i], name, `must be an integer token count in 1..2147483647, got ${v}`);
      }
      out[i] = v;
    }
  }
  const bad = firstUnsortedRow(stream.arrivedAt);
  if (bad < 0) return stream;
  warn(unsortedMessage(path, t.lines[bad]));
  return sortByArrival(stream).stream;
}

export function unsortedMessage(file: string, line: number): string {
  return `${file}:${line}: arrived_at is not sorted (earlier than the row before); requests were stably sorted by arrival, so request ids follow arrival order rather than file order`;
}

export function defaultWarn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/**
 * Python's `repr(float)`: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16 (always with a
 * fractional part, "3.0"), otherwise `d.ddde±XX`. Matches what pandas `to_csv` writes.
 */
export function pythonFloatRepr(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = x.toExponential().split("e");
  const exp = Number(expStr);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const sign = neg ? "-" : "";
  if (exp >= -4 && exp < 16) {
    let s: string;
    if (exp < 0) s = `0.${"0".repeat(-exp - 1)}${digits}`;
    else if (digits.length > exp + 1) s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    else s = `${digits + "0".repeat(exp + 1 - digits.length)}.0`;
    return sign + s;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
}

/** The stream as trace-replay CSV text (header, `\n` line ends, arrivals as Python floats). */
export function formatRequestsCsv(stream: RequestStream): string {
  const n = stream.arrivedAt.length;
  const parts: string[] = new Array(n + 1);
  parts[0] = REQUEST_COLUMNS.join(",");
  for (let i = 0; i < n; i++) {
    parts[i + 1] = `${pythonFloatRepr(stream.arrivedAt[i])},${stream.numPrefillTokens[i]},${stream.numDecodeTokens[i]}`;
  }
  return `${parts.join("\n")}\n`;
}
