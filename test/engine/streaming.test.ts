import { test } from "uvu";
import * as assert from "uvu/assert";
import * as abi from "../../assembly/abi.js";
import { defaultEngine, engineRun, runEngine } from "../../src/engine/engine.js";
import { tinyScenario } from "../helpers/scenario.js";

// 40,000 short requests: three chunks of rows, and up to thousands in flight at once (the ring grows)
const n = 40_000;
const burst: Array<[number, number, number]> = Array.from({ length: n }, (_, i) => [
  i < 6000 ? 0 : (i - 6000) * 0.004,
  16 + ((i * 37) % 200),
  2 + ((i * 13) % 30),
]);

test("request rows leave the engine in id order, in chunks, and equal the collected columns", () => {
  const s = tinyScenario({ requests: burst, scheduler: "vllm", batchSizeCap: 64, numBlocks: 4000 });
  const whole = runEngine(s);
  const run = engineRun(s);
  let next = 0;
  const completedAt = new Float64Array(n);
  const restarts = new Int32Array(n);
  let step = run.next();
  for (; !step.done; step = run.next()) {
    const c = step.value;
    assert.is(c.start, next, "chunks are contiguous and in id order");
    assert.ok(c.rows === abi.OUTPUT_CHUNK_ROWS || c.start + c.rows === n, `chunk of ${c.rows} rows`);
    completedAt.set(c.completedAt, c.start);
    restarts.set(c.numRestarts, c.start);
    next += c.rows;
  }
  assert.is(next, n);
  assert.equal(completedAt, whole.requests.completedAt);
  assert.equal(restarts, whole.requests.numRestarts);
  assert.is(whole.counters.completedRequests, n);
  assert.ok(whole.requests.completed.every((c) => c === 1));
  for (let i = 0; i < n; i++) {
    const q = whole.requests;
    assert.ok(
      q.arrivedAt[i] <= q.scheduledAt[i] && q.scheduledAt[i] < q.prefillCompletedAt[i] && q.prefillCompletedAt[i] <= q.completedAt[i],
      `request ${i}`,
    );
  }
  // same answer on a second run of the same engine instance (state recycled, nothing left over)
  assert.equal(runEngine(s).requests.completedAt, whole.requests.completedAt);
});

test("engine memory follows the requests being served: 40,000 queued at once hold no ring slots until served", () => {
  const queued = burst.map(([, p, d]) => [0, p, d] as [number, number, number]);
  const r = runEngine(tinyScenario({ requests: queued, scheduler: "sarathi", batchSizeCap: 64, numBlocks: 4000 }));
  assert.is(r.counters.completedRequests, n);
  const slots = defaultEngine().requestRingSlots();
  assert.ok(slots <= 2 * abi.OUTPUT_CHUNK_ROWS && slots < n, `ring of ${slots} slots`);
});

test("the input ring grows in place inside its reservation and stays sized by the requests in flight", () => {
  const e = defaultEngine();
  // Watches the ring as rows leave: its columns never move (no abandoned copies), its mask only grows.
  const watch = (requests: Array<[number, number, number]>) => {
    const run = engineRun(tinyScenario({ requests, scheduler: "vllm", batchSizeCap: 64, numBlocks: 4000 }));
    const column = new Set<number>();
    const masks: number[] = [];
    const arrivedAt = new Float64Array(requests.length);
    for (let step = run.next(); !step.done; step = run.next()) {
      column.add(e.inputPtr(abi.IN_ARRIVED_AT));
      if (masks.at(-1) !== e.inputMask()) masks.push(e.inputMask());
      arrivedAt.set(step.value.arrivedAt, step.value.start);
    }
    assert.equal(
      arrivedAt,
      Float64Array.from(requests, (r) => r[0]),
      "every arrival read back from its slot",
    );
    return { columns: column.size, masks };
  };
  // 200,000 queued at once, then 100,000 one per second once they are served: 65,536 → 262,144 slots, the
  // later ids wrapping around the ring
  const queued = watch(Array.from({ length: 300_000 }, (_, i) => [i < 200_000 ? i * 1e-7 : 1e4 + i - 200_000, 16 + (i % 50), 2 + (i % 7)]));
  assert.is(queued.columns, 1, "the arrival column never moved");
  assert.equal(queued.masks.at(-1), 262_143);
  // 140,000 queued: past half the reservation the ring turns direct (every id at its own slot)
  const direct = watch(Array.from({ length: 140_000 }, (_, i) => [i * 1e-7, 16 + (i % 50), 2 + (i % 7)]));
  assert.is(direct.columns, 1);
  assert.equal(direct.masks.at(-1), -1);
  // 300,000 arriving one per second, served at once: the ring spans one feed ahead and the chunk of rows not
  // yet left, never the workload
  const light = watch(Array.from({ length: 300_000 }, (_, i) => [i, 16, 2]));
  assert.equal(light.masks, [abi.INPUT_CHUNK_ROWS - 1, 2 * abi.INPUT_CHUNK_ROWS - 1]);
});

test("past the exact limit, TBT quantiles come from the engine's sketch within 0.5 % of the exact order statistic", () => {
  const requests = burst.slice(0, 8000);
  const exact = runEngine(tinyScenario({ requests, scheduler: "sarathi", perTokenMs: 0.013 }));
  const sketched = runEngine(tinyScenario({ requests, scheduler: "sarathi", perTokenMs: 0.013, exactQuantileSamples: 5 }));
  assert.ok(exact.tbt.sketch === undefined && exact.tbt.values.length > 5);
  const sk = sketched.tbt.sketch!;
  assert.ok(sk !== undefined && sketched.tbt.values.length === 0);
  // the exact distribution, expanded from its runs
  const values: number[] = [];
  exact.tbt.values.forEach((v, i) => {
    for (let k = 0; k < exact.tbt.counts[i]; k++) values.push(v);
  });
  assert.is(sk.count, values.length);
  assert.is(sk.min, values[0]);
  assert.is(sk.max, values[values.length - 1]);
  for (const q of [0.01, 0.5, 0.9, 0.99]) {
    const want = values[Math.floor(q * (values.length - 1))];
    const got = sk.quantile(q);
    assert.ok(Math.abs(got - want) <= 0.005 * Math.abs(want), `q ${q}: ${got} vs ${want}`);
  }
  // everything else is untouched by the switch
  assert.equal(sketched.requests.completedAt, exact.requests.completedAt);
});

test.run();
