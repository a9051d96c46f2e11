import { test } from "uvu";
import * as assert from "uvu/assert";
import { runEngine } from "../../src/engine/engine.js";
import { instantiateEngine } from "../../src/engine/wasm.js";
import { runTiny, tinyScenario } from "../helpers/scenario.js";

const workload: Array<[number, number, number]> = Array.from({ length: 60 }, (_, i) => [
  i * 0.013,
  50 + ((i * 97) % 700),
  2 + ((i * 31) % 40),
]);

test("events = 6 x batches + 3 x requests without pipeline parallelism (Vidur's invariant)", () => {
  for (const scheduler of ["vllm", "sarathi", "orca"] as const) {
    const r = runTiny({ requests: workload, scheduler });
    assert.is(r.counters.events, 6 * r.counters.batches + 3 * workload.length, scheduler);
  }
});

test("round_robin routes requests to replicas in turn", () => {
  const r = runTiny({ requests: workload.slice(0, 9), replicas: 3 });
  assert.equal(Array.from(r.requests.replica), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
});

test("lor routes to the replica with the fewest waiting requests", () => {
  const reqs: Array<[number, number, number]> = [
    [0, 10, 2],
    [0, 10, 2],
    [0, 10, 2],
    [0, 10, 2],
  ];
  const r = runTiny({ requests: reqs, replicas: 2, global: "lor" });
  // all four are routed in one round: counts 0,0 -> r0, 1,0 -> r1, 1,1 -> r0, 2,1 -> r1
  assert.equal(Array.from(r.requests.replica), [0, 1, 0, 1]);
});

test("random follows the host's route table", () => {
  const r = runTiny({ requests: workload.slice(0, 5), replicas: 3, global: "random", routeTable: [2, 2, 0, 1, 0] });
  assert.equal(Array.from(r.requests.replica), [2, 2, 0, 1, 0]);
});

test("pipeline stages: each batch runs on every stage, micro-batches overlap", () => {
  const r = runTiny({ requests: workload, scheduler: "vllm", stages: 2 });
  assert.is(r.counters.stages, 2 * r.counters.batches);
  const s = r.stages;
  let overlap = false;
  for (let i = 0; i < s.start.length; i++) {
    for (let j = i + 1; j < s.start.length && s.start[j] < s.end[i]; j++) if (s.stage[i] !== s.stage[j]) overlap = true;
  }
  assert.ok(overlap, "stage 0 of one micro-batch runs while stage 1 of another does");
});

test("a stage never runs two batches at once", () => {
  const r = runTiny({ requests: workload, scheduler: "sarathi", stages: 2, replicas: 2 });
  const s = r.stages;
  const lastEnd = new Map<string, number>();
  const order = Array.from(s.start.keys()).sort((a, b) => s.start[a] - s.start[b]);
  for (const i of order) {
    const key = `${s.replica[i]}/${s.stage[i]}`;
    assert.ok(s.start[i] >= (lastEnd.get(key) ?? 0) - 1e-12, `overlap on ${key}`);
    lastEnd.set(key, s.end[i]);
  }
});

test("the same scenario gives identical results on a reused engine and on a fresh one", () => {
  const scenario = tinyScenario({ requests: workload, scheduler: "sarathi", replicas: 2 });
  const a = runEngine(scenario);
  runEngine(tinyScenario({ requests: workload.slice(0, 7), scheduler: "orca" })); // dirty the shared instance
  const b = runEngine(scenario);
  const c = runEngine(scenario, instantiateEngine());
  assert.equal(Array.from(a.requests.completedAt), Array.from(b.requests.completedAt));
  assert.equal(Array.from(a.requests.completedAt), Array.from(c.requests.completedAt));
  assert.equal(Array.from(a.batches.numTokens), Array.from(c.batches.numTokens));
});

test("closed loop: a new request arrives exactly when one completes", () => {
  const reqs: Array<[number, number, number]> = Array.from({ length: 12 }, () => [0, 30, 4]);
  const r = runTiny({ requests: reqs, scheduler: "vllm", closedLoop: 3 });
  assert.is(r.counters.completedRequests, 12);
  const arrivals = Array.from(r.requests.arrivedAt);
  assert.equal(arrivals.slice(0, 3), [0, 0, 0]);
  const completions = new Set(Array.from(r.requests.completedAt));
  for (const a of arrivals.slice(3)) assert.ok(completions.has(a), `arrival ${a} coincides with a completion`);
  // never more than 3 requests in the system
  const events = arrivals.map((a, i) => [a, r.requests.completedAt[i]]);
  for (const [t] of events) {
    const inFlight = events.filter(([a, c]) => a <= t && c > t).length;
    assert.ok(inFlight <= 3, `in flight at ${t}: ${inFlight}`);
  }
});

test("time between tokens: one sample per decode token after the first", () => {
  const r = runTiny({ requests: workload, scheduler: "vllm" });
  const samples = r.tbt.counts.reduce((a, b) => a + b, 0);
  const expected = workload.reduce((a, [, , d]) => a + Math.max(0, d - 1), 0);
  assert.is(samples, expected);
});

test.run();
