import { test } from "uvu";
import * as assert from "uvu/assert";
import { DDSketch } from "../../src/core/ddsketch.js";
import { LatencyAccumulator } from "../../src/metrics/latency-accumulator.js";
import { summarize } from "../../src/tables/quantiles.js";

/** Deterministic uniform [0, 1) stream (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Log-normal-ish latencies over six decades, with exact zeros and negatives mixed in. */
function data(n: number, seed: number): Float64Array {
  const u = uniform(seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = u();
    xs[i] = r < 0.02 ? 0 : r < 0.04 ? -Math.exp(6 * u() - 3) : Math.exp(14 * u() - 9) * (1 + u());
  }
  return xs;
}

const QS = [0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1];

/** The sample at rank floor(q (n - 1)): what the sketch promises to return within alpha. */
function orderStatistic(sorted: Float64Array, q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))];
}

for (const alpha of [0.005, 0.02]) {
  test(`quantiles are within the stated relative accuracy (alpha ${alpha}) of the exact order statistic`, () => {
    for (const [n, seed] of [
      [1, 1],
      [7, 2],
      [1000, 3],
      [200_000, 4],
    ] as const) {
      const xs = data(n, seed);
      const s = new DDSketch(alpha);
      for (const x of xs) s.add(x);
      const sorted = Float64Array.from(xs).sort();
      for (const q of QS) {
        const exact = orderStatistic(sorted, q);
        const got = s.quantile(q);
        assert.ok(Math.abs(got - exact) <= alpha * Math.abs(exact) + 1e-300, `n ${n} q ${q}: ${got} vs ${exact}`);
      }
      assert.is(s.count, n);
      assert.is(s.min, sorted[0]);
      assert.is(s.max, sorted[n - 1]);
      assert.ok(Math.abs(s.mean() - summarize(xs).mean) <= 1e-12 * Math.abs(summarize(xs).mean) + 1e-15);
    }
  });
}

test("merging two sketches equals sketching the union; JSON round trip keeps every answer", () => {
  const a = data(50_000, 11),
    b = data(30_000, 12);
  const sa = new DDSketch(),
    sb = new DDSketch(),
    all = new DDSketch();
  for (const x of a) {
    sa.add(x);
    all.add(x);
  }
  for (const x of b) {
    sb.add(x);
    all.add(x);
  }
  sa.merge(sb);
  const back = DDSketch.fromJSON(JSON.parse(JSON.stringify(sa)));
  for (const q of QS) {
    assert.is(sa.quantile(q), all.quantile(q), `q ${q}`);
    assert.is(back.quantile(q), all.quantile(q), `q ${q} after JSON`);
  }
  assert.is(sa.count, all.count);
  assert.throws(() => sa.merge(new DDSketch(0.01)), /cannot merge/);
});

test("counts (run-length samples) weigh like repeated adds; NaN is ignored; empty gives NaN", () => {
  const s = new DDSketch(),
    r = new DDSketch();
  s.add(2, 3);
  s.add(5);
  s.add(NaN);
  for (const x of [2, 2, 2, 5]) r.add(x);
  for (const q of QS) assert.is(s.quantile(q), r.quantile(q));
  assert.is(s.count, 4);
  assert.ok(Number.isNaN(new DDSketch().quantile(0.5)));
  assert.throws(() => new DDSketch(0));
});

test("the latency accumulator is exact up to its limit, then sketched within 0.5 %", () => {
  const xs = data(5000, 21).map(Math.abs);
  const exact = new LatencyAccumulator(5000),
    sketched = new LatencyAccumulator(1000);
  for (const x of xs) {
    exact.add(x);
    sketched.add(x);
  }
  assert.is(exact.method, "exact");
  assert.equal(exact.summary(), summarize(xs));
  assert.is(sketched.method, "sketch");
  const sorted = Float64Array.from(xs).sort();
  const s = sketched.summary();
  for (const [q, got] of [
    [0.5, s.p50],
    [0.9, s.p90],
    [0.99, s.p99],
  ] as const) {
    const want = orderStatistic(sorted, q);
    assert.ok(Math.abs(got - want) <= 0.005 * want, `q ${q}: ${got} vs ${want}`);
  }
  assert.is(s.count, 5000);
  assert.is(s.max, sorted[4999]);
});

test.run();
