import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  quantile,
  quantileSorted,
  quantiles,
  summarize,
  summarizeWeighted,
  weightedQuantile,
  weightedQuantiles,
} from "../../src/tables/quantiles.js";

const QS = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

function expand(values: Float64Array, counts: Uint32Array): Float64Array {
  const out: number[] = [];
  values.forEach((v, i) => {
    for (let k = 0; k < counts[i]; k++) out.push(v);
  });
  return Float64Array.from(out);
}

test("linear interpolation matches numpy/pandas reference values", () => {
  // numpy.quantile([1, 2, 3, 4], q) and numpy.quantile([3, 1, 10], q)
  assert.equal(quantiles(Float64Array.of(1, 2, 3, 4), [0, 0.5, 0.9, 0.99, 1]), [1, 2.5, 3.7, 3.9699999999999998, 4]);
  assert.equal(quantiles(Float64Array.of(3, 1, 10), [0.25, 0.5, 0.75]), [2, 3, 6.5]);
});

test("a single sample is every quantile; no samples give NaN", () => {
  assert.equal(
    quantiles(Float64Array.of(7), QS),
    QS.map(() => 7),
  );
  assert.ok(Number.isNaN(quantile(new Float64Array(0), 0.5)));
});

test("NaN samples are ignored like pandas does; the input is not reordered", () => {
  const xs = Float64Array.of(5, NaN, 1, 3);
  assert.is(quantile(xs, 0.5), 3);
  assert.equal([...xs].slice(2), [1, 3]);
});

test("q outside [0, 1] is a RangeError", () => {
  assert.throws(() => quantile(Float64Array.of(1), 1.5), RangeError);
  assert.throws(() => quantileSorted(Float64Array.of(1), NaN), RangeError);
});

test("run-length quantiles equal quantiles of the expanded data (random, with ties)", () => {
  for (let trial = 0; trial < 200; trial++) {
    const runs = 1 + Math.floor(Math.random() * 30);
    // Few distinct values → ties across runs; unsorted on purpose.
    const values = Float64Array.from({ length: runs }, () => Math.floor(Math.random() * 10) * 0.37);
    const counts = Uint32Array.from({ length: runs }, () => Math.floor(Math.random() * 5)); // includes 0
    counts[0] = Math.max(1, counts[0]);
    const expected = quantiles(expand(values, counts), QS);
    const got = weightedQuantiles(values, counts, QS);
    assert.equal(got, expected, `trial ${trial}`);
  }
});

test("run-length quantiles with thousands of distinct values, negatives and -0 equal the expanded data", () => {
  const runs = 20_000;
  const values = Float64Array.from({ length: runs }, (_, i) =>
    i % 97 === 0 ? -0 : i % 89 === 0 ? 0 : (Math.random() - 0.2) * 1e-3 * (1 + (i % 7)),
  );
  values.set(values.subarray(0, 5000), 10_000); // repeated values in separate runs
  const counts = Uint32Array.from({ length: runs }, () => Math.floor(Math.random() * 4));
  const qs = [0, 0.001, 0.1, 0.25, 0.5, 0.77, 0.9, 0.99, 0.999, 1];
  assert.equal(weightedQuantiles(values, counts, qs), quantiles(expand(values, counts), qs));
  assert.equal(
    summarizeWeighted(values, counts).count,
    counts.reduce((a, b) => a + b, 0),
  );
});

test("run-length merge orders infinities, signed zeros and subnormals like numbers", () => {
  const values = Float64Array.of(Infinity, -Infinity, 1, -1, 0, -0, 5e-324, -5e-324, 1, -0);
  const counts = Uint32Array.of(1, 2, 3, 1, 2, 2, 1, 1, 1, 3);
  const qs = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
  assert.equal(weightedQuantiles(values, counts, qs), quantiles(expand(values, counts), qs));
});

test("run-length edge cases: all counts 1, one run, zero counts, NaN values", () => {
  const vs = Float64Array.of(4, 1, 3, 2);
  assert.equal(weightedQuantiles(vs, Uint32Array.of(1, 1, 1, 1), QS), quantiles(vs, QS));
  assert.equal(weightedQuantiles(Float64Array.of(2.5), Uint32Array.of(1000), [0, 0.5, 1]), [2.5, 2.5, 2.5]);
  assert.is(weightedQuantile(Float64Array.of(1, 100, 2), Uint32Array.of(1, 0, 1), 1), 2);
  assert.is(weightedQuantile(Float64Array.of(NaN, 1, 3), Uint32Array.of(5, 1, 1), 0.5), 2);
  assert.ok(Number.isNaN(weightedQuantile(Float64Array.of(1), Uint32Array.of(0), 0.5)));
});

test("run-length quantiles handle counts far too large to expand", () => {
  const values = Float64Array.of(1, 2);
  const counts = Uint32Array.of(4_000_000_000, 4_000_000_000);
  assert.equal(weightedQuantiles(values, counts, [0, 0.25, 0.5, 1]), [1, 1, 1.5, 2]);
});

test("mismatched values/counts lengths are a RangeError", () => {
  assert.throws(() => weightedQuantile(Float64Array.of(1, 2), Uint32Array.of(1), 0.5), RangeError);
});

test("summarize gives p50/p90/p99, mean, min, max and count", () => {
  assert.equal(summarize(Float64Array.of(4, 1, NaN, 3, 2)), {
    p50: 2.5,
    p90: 3.7,
    p99: 3.9699999999999998,
    mean: 2.5,
    min: 1,
    max: 4,
    count: 4,
  });
  const empty = summarize(new Float64Array(0));
  assert.is(empty.count, 0);
  assert.ok(Number.isNaN(empty.mean) && Number.isNaN(empty.p50) && Number.isNaN(empty.min));
});

test("summarizeWeighted equals summarize of the expanded data", () => {
  const values = Float64Array.from({ length: 50 }, () => Math.random() * 100);
  const counts = Uint32Array.from({ length: 50 }, () => 1 + Math.floor(Math.random() * 20));
  const w = summarizeWeighted(values, counts);
  const e = summarize(expand(values, counts));
  assert.equal({ ...w, mean: 0 }, { ...e, mean: 0 });
  assert.ok(Math.abs(w.mean - e.mean) <= 1e-12 * Math.abs(e.mean));
});

test.run();
