import { test } from "uvu";
import * as assert from "uvu/assert";
import { fixedRouteDraws, randomRouteDraws } from "../../src/scenario/route-table.js";
import { MT19937 } from "../../src/workload/random/mt19937.js";

/** CPython's random.randint(1, R) - 1 after `skipped` random() calls, drawn whole (the table built up front before). */
function wholeTable(seed: number, replicas: number, count: number, skipped: number): Int32Array {
  const mt = MT19937.python(seed);
  for (let i = 0; i < skipped; i++) mt.random();
  const k = 32 - Math.clz32(replicas);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    let r: number;
    do r = mt.nextUint32() >>> (32 - k);
    while (r >= replicas);
    out[i] = r;
  }
  return out;
}

test("route draws read in blocks equal the whole sequence, and every reader starts again at decision 0", () => {
  const count = 50_000;
  const draws = randomRouteDraws(7, 3, count, 1234);
  const whole = wholeTable(7, 3, count, 1234);
  for (const block of [16_384, 999, count]) {
    const next = draws.reader();
    const got = new Int32Array(count);
    for (let a = 0; a < count; a += block) got.set(next(Math.min(block, count - a)), a);
    assert.equal(got, whole, `blocks of ${block}`);
  }
  assert.ok(new Set(whole).size === 3, "all three replicas drawn");
});

test("a reader refuses draws past the routing decisions it was made for", () => {
  const next = randomRouteDraws(1, 2, 10, 0).reader();
  next(8);
  assert.throws(() => next(3), /11 draws asked of 10/);
  const fixed = fixedRouteDraws(Int32Array.of(2, 0, 1)).reader();
  assert.equal(Array.from(fixed(2)), [2, 0]);
  assert.equal(Array.from(fixed(1)), [1]);
  assert.throws(() => fixed(1), /4 draws asked of 3/);
});

test.run();
