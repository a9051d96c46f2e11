import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeF64, writeSafeInt } from "../../src/output/ascii-number.js";

const buf = new Uint8Array(64);
const text = (end: number): string => Buffer.from(buf.subarray(0, end)).toString("latin1");
const f64 = (x: number): string => text(writeF64(buf, 0, x));

test("writeF64 equals String(x) on edge values", () => {
  const edges = [
    0,
    -0,
    0.1,
    0.2,
    0.3,
    0.1 + 0.2,
    1 / 3,
    2 / 3,
    -1 / 3,
    1e-6,
    1.5e-6,
    9.999999999999999e-7,
    1e-7,
    123.456,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    1e21,
    1e20 + 1,
    4503599627370495.5,
    9007199254740991,
    9007199254740992,
    0.5,
    0.25,
    1.25,
    100.5,
    1234567.0000000002,
    0.000123,
    12345678.9,
    1e15 + 0.3,
    2 ** 52 + 0.5,
    3.0000000000000004,
  ];
  for (const x of edges) assert.is(f64(x), String(x), `value ${x}`);
});

test("writeF64 equals String(x) on 600k random doubles of several shapes", () => {
  const word = new Float64Array(1);
  const u = new Uint32Array(word.buffer);
  const shapes: (() => number)[] = [
    () => Math.random() * 1000,
    () => Math.exp((Math.random() - 0.5) * 50),
    () => -Math.random() * 1e6,
    () => Math.round(Math.random() * 1e6) / 1000,
    () => Math.round(Math.random() * 1e4) / 100 + Math.round(Math.random() * 3) / 7,
    () => {
      u[0] = (Math.random() * 2 ** 32) >>> 0;
      u[1] = (Math.random() * 2 ** 31) >>> 0;
      return word[0];
    },
  ];
  let checked = 0;
  for (const shape of shapes) {
    for (let i = 0; i < 100_000; i++) {
      const x = shape();
      if (!Number.isFinite(x)) continue;
      const got = f64(x);
      if (got !== String(x)) assert.unreachable(`writeF64(${String(x)}) wrote ${got}`);
      checked++;
    }
  }
  assert.ok(checked > 590_000);
});

test("writeSafeInt writes integers like String, -0 as 0", () => {
  for (const v of [0, -0, 7, -7, 10, 2147483647, 2147483648, -2147483649, 9007199254740991, -9007199254740991]) {
    assert.is(text(writeSafeInt(buf, 0, v)), String(v));
  }
});

test.run();
