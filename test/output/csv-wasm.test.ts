// The WASM CSV row encoder (build/csv.wasm) must write exactly the bytes of the JS encoder
// (encodeCsv with header: false, wasm: false), which writes numbers as String(x). Needs `npm run build:wasm` first.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodeCsv } from "../../src/output/csv.js";
import { csvWasmFallbacks, encodeCsvRowsWasm } from "../../src/output/csv-wasm.js";
import { column, type Column, type ResultTable } from "../../src/tables/table.js";

/** Deterministic uniform [0, 1) with 53 bits (LCG steps, output mixed), so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  const next32 = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    let z = s ^ (s >>> 16);
    z = Math.imul(z, 0x45d9f3b);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return () => ((next32() >>> 11) * 2 ** 32 + next32()) / 2 ** 53;
}

function jsText(table: ResultTable): string {
  const parts: Buffer[] = [];
  encodeCsv(table, (b) => parts.push(Buffer.from(b)), { header: false, wasm: false });
  return Buffer.concat(parts).toString("latin1");
}

function wasmText(table: ResultTable, sizes: number[] = []): string {
  const parts: Buffer[] = [];
  const ok = encodeCsvRowsWasm(table, (b) => {
    sizes.push(b.length);
    parts.push(Buffer.from(b));
  });
  assert.ok(ok, "encodeCsvRowsWasm declined a numeric table");
  return Buffer.concat(parts).toString("latin1");
}

/** Asserts byte equality; on a mismatch names the first differing line and the values in it. */
function assertSame(table: ResultTable): void {
  const want = jsText(table);
  const got = wasmText(table);
  if (got === want) return;
  const a = want.split("\n");
  const b = got.split("\n");
  const row = a.findIndex((line, i) => line !== b[i]);
  const values = table.columns.map((c) => String((c.data as ArrayLike<unknown>)[row]));
  assert.unreachable(`row ${row} (${values.join(", ")}): JS "${a[row]}", WASM "${b[row]}"`);
}

/** Splits `values` into `ncols` f64 columns (so multi-column layout is exercised too). */
function f64Table(values: Float64Array, ncols: number): ResultTable {
  const rows = Math.floor(values.length / ncols);
  const columns: Column[] = [];
  for (let c = 0; c < ncols; c++) columns.push(column(`c${c}`, "f64", values.subarray(c * rows, (c + 1) * rows), c % 2 === 1));
  return { name: "t", columns };
}

const word = new Float64Array(1);
const bitsOf = new Uint32Array(word.buffer);
/** The double with the given high and low 32-bit words. */
function fromBits(hi: number, lo: number): number {
  bitsOf[1] = hi;
  bitsOf[0] = lo;
  return word[0];
}

const EDGES = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  0.1,
  0.2,
  0.3,
  0.1 + 0.2,
  1 / 3,
  2 / 3,
  0.5,
  0.25,
  0.125,
  0.0625,
  1.5,
  1.25,
  100.5,
  12.34,
  123.456,
  0.001,
  1e-6,
  1.5e-6,
  9.999999999999999e-7,
  1e-7,
  5e-324,
  2.2250738585072014e-308,
  2.225073858507201e-308,
  1.7976931348623157e308,
  1e21,
  1e20 + 1,
  1e16,
  1e17,
  2 ** 53,
  2 ** 53 - 1,
  2 ** 53 + 2,
  2 ** 60,
  2 ** 52 - 0.5,
  2 ** 51 + 0.25,
  4503599627370495.5,
  1e15 + 0.3,
  1e15 + 0.25,
  999999999999999.9,
  0.09999999999999999,
  0.9999999999999999,
  9.999999999999998,
  99.99999999999999,
  1234567.0000000002,
  3.0000000000000004,
  0.000123,
  12345678.9,
  2147483647.5,
  Number.EPSILON,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  1e-5,
  1e-4,
  0.01,
  1e15,
  1e22,
  1e23,
];

test("edge values are byte-identical to the JS encoder (and to String)", () => {
  const values = Float64Array.from([...EDGES, ...EDGES.map((x) => -x)]);
  assertSame(f64Table(values, 1));
  const text = wasmText(f64Table(values, 1)).split("\n");
  values.forEach((x, i) => {
    const want = x !== x ? "" : x === Infinity ? "inf" : x === -Infinity ? "-inf" : Object.is(x, -0) ? "0" : String(x);
    assert.is(text[i], want, `value ${x}`);
  });
});

test("byte-identical on 800k doubles of several shapes", () => {
  const r = rng(20240601);
  const shapes: Record<string, () => number> = {
    unit: () => r(),
    latency: () => 0.001 * Math.exp(r() * Math.log(2e7)),
    magnitudes: () => (r() < 0.5 ? -1 : 1) * 10 ** (r() * 37 - 12), // 1e-12 .. 1e25
    integers: () => Math.floor((r() - 0.5) * 2 ** (r() * 60)),
    short: () => Math.round((r() - 0.5) * 1e7) / 10 ** Math.floor(r() * 8), // few digits: 0.125, 12.34
    bits: () => fromBits((r() * 2 ** 32) >>> 0, (r() * 2 ** 32) >>> 0), // any double: subnormals, NaN, huge
    fastRange: () => fromBits(((1003 + Math.floor(r() * 50)) << 20) | ((r() * 2 ** 20) >>> 0), (r() * 2 ** 32) >>> 0),
    special: () => {
      const k = Math.floor(r() * 9);
      if (k === 0) return 2 ** Math.floor(r() * 140 - 70); // powers of two
      if (k === 1) return Math.floor(r() * 2 ** 20) * 2 ** -Math.floor(r() * 30); // short dyadic fractions, exact in binary
      if (k === 2) return fromBits((r() * 2 ** 20) >>> 0, (r() * 2 ** 32) >>> 0); // subnormals
      if (k === 3) return [NaN, Infinity, -Infinity, -0, 0, 5e-324, Number.MAX_VALUE][Math.floor(r() * 7)];
      if (k === 4) return (Math.floor(r() * 1e6) + 0.1 * Math.floor(r() * 10)) / 10 ** Math.floor(r() * 6);
      if (k === 5) {
        // exact ties between two shortest candidates: X = x·100 ends in 25/75 (t = 1) or x·10 in .5 (t = 0)
        const base = r() < 0.5 ? 2 ** 49 + r() * 4e14 : 1e15 + r() * 1.2e14;
        return Math.floor(base) + (r() < 0.5 ? 0.25 : 0.75);
      }
      if (k === 6) return 10 ** Math.floor(r() * 20 - 6) * (1 + (r() - 0.5) * 1e-15); // next to decades
      if (k === 7) return Math.floor(r() * 2 ** 52) + 0.5; // the largest non-integers
      return -r() * 1e6;
    },
  };
  let compared = 0;
  for (const [name, shape] of Object.entries(shapes)) {
    const values = Float64Array.from({ length: 100_000 }, shape);
    const table = f64Table(values, 4);
    try {
      assertSame(table);
    } catch (err) {
      throw new Error(`shape ${name}: ${(err as Error).message}`);
    }
    compared += values.length;
  }
  assert.ok(compared >= 800_000);
});

test("the exact fast path handles almost every random double (String is a rare fallback)", () => {
  const r = rng(7);
  const table = f64Table(
    Float64Array.from({ length: 100_000 }, () => r() * 1000 - 500),
    2,
  );
  const before = csvWasmFallbacks();
  assertSame(table);
  assert.ok(csvWasmFallbacks() - before < 100, `${csvWasmFallbacks() - before} fallbacks`);
});

test("i32 columns (including -2^31) mixed with f64 columns", () => {
  const r = rng(99);
  const n = 50_000;
  const ints = Int32Array.from({ length: n }, () => ((r() - 0.5) * 2 ** 32) | 0);
  ints.set([0, -1, 1, 9, 10, 99, 100, -2147483648, 2147483647, -1000000000, 99999999, 100000000]);
  const small = Int32Array.from({ length: n }, () => Math.floor(r() * 1000) - 500);
  const table: ResultTable = {
    name: "mixed",
    columns: [
      column("Request Id", "i32", ints),
      column(
        "latency",
        "f64",
        Float64Array.from({ length: n }, () => r() * 20),
      ),
      column("small", "i32", small),
      column(
        "ttft",
        "f64",
        Float64Array.from({ length: n }, () => (r() < 0.1 ? NaN : r())),
        true,
      ),
    ],
  };
  assertSame(table);
});

test("output comes in pieces of at most 4 MB that concatenate to the JS text", () => {
  const r = rng(3);
  const ncols = 28;
  const rows = 12_000; // ~6.5 MB of text: at least two pieces
  const table: ResultTable = {
    name: "wide",
    columns: Array.from({ length: ncols }, (_, c) =>
      column(
        `c${c}`,
        "f64",
        Float64Array.from({ length: rows }, () => r() * 10 ** c),
      ),
    ),
  };
  const sizes: number[] = [];
  assert.is(wasmText(table, sizes), jsText(table));
  assert.ok(sizes.length > 1, "expected several pieces");
  assert.ok(Math.max(...sizes) <= 4 << 20);
});

test("declines tables with non-numeric columns, writes nothing for zero rows", () => {
  let emitted = 0;
  const emit = (): void => {
    emitted++;
  };
  for (const c of [column("b", "i64", BigInt64Array.of(1n)), column("ok", "bool", Uint8Array.of(1)), column("s", "utf8", ["x"])]) {
    assert.is(encodeCsvRowsWasm({ name: "t", columns: [column("x", "f64", Float64Array.of(1)), c] }, emit), false);
  }
  assert.is(encodeCsvRowsWasm({ name: "t", columns: [column("x", "f64", new Float64Array(0))] }, emit), true);
  assert.is(encodeCsvRowsWasm({ name: "t", columns: [] }, emit), true);
  assert.is(emitted, 0);
});

test.run();
