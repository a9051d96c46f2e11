import { test } from "uvu";
import * as assert from "uvu/assert";
import { CompactWriter } from "../../src/output/thrift-compact.js";

const bytes = (w: CompactWriter) => [...w.bytes()];

test("short field headers carry the id delta and the type", () => {
  const w = new CompactWriter();
  w.i32(1, 7);
  w.string(4, "x");
  w.stop();
  assert.equal(bytes(w), [0x15, 0x0e, 0x38, 0x01, 0x78, 0x00]);
});

test("a field id jump above 15 uses the long header with a zigzag id", () => {
  const w = new CompactWriter();
  w.i32(20, -1);
  assert.equal(bytes(w), [0x05, 40, 0x01]); // type byte, zigzag(20) = 40, zigzag(-1) = 1
});

test("i64 values beyond 2^32 are exact varints", () => {
  const w = new CompactWriter();
  w.i64(1, 2 ** 40 + 3);
  const out = bytes(w);
  assert.is(out[0], 0x16);
  let v = 0;
  for (let i = out.length - 1; i >= 1; i--) v = v * 128 + (out[i] & 0x7f);
  assert.is(v, 2 * (2 ** 40 + 3));
});

test("lists of 15 or more elements use the long list header", () => {
  const w = new CompactWriter();
  w.i32List(
    1,
    Array.from({ length: 15 }, () => 0),
  );
  assert.equal(bytes(w).slice(0, 3), [0x19, 0xf5, 15]);
  w.reset();
  w.i32List(1, [1, 2]);
  assert.equal(bytes(w), [0x19, 0x25, 2, 4]);
});

test("nested structs restart field deltas and restore the outer one", () => {
  const w = new CompactWriter();
  w.i32(1, 0);
  w.struct(2, () => w.i32(1, 0));
  w.i32(3, 0);
  w.stop();
  assert.equal(bytes(w), [0x15, 0, 0x1c, 0x15, 0, 0x00, 0x15, 0, 0x00]);
});

test("booleans live in the field header", () => {
  const w = new CompactWriter();
  w.bool(1, true);
  w.bool(2, false);
  assert.equal(bytes(w), [0x11, 0x12]);
});

test.run();
