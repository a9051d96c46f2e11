import { test } from "uvu";
import * as assert from "uvu/assert";
import { simulate } from "../../src/simulate.js";
import { options } from "./helpers.js";

for (const [sched, N] of [
  ["vllm", 4],
  ["sarathi", 16],
] as const) {
  test(`closed loop (${sched}, concurrency ${N}): each completion releases the next request`, () => {
    const M = 60;
    const run = simulate(
      options({
        replica_scheduler_config_type: sched,
        request_generator_config_type: "closed_loop",
        concurrency: N,
        synthetic_request_generator_config_num_requests: M,
      }),
    );
    const q = run.result.requests;
    for (let i = 0; i < N; i++) assert.is(q.arrivedAt[i], 0);
    // the k-th later arrival is the k-th completion
    const completions = Array.from(q.completedAt).sort((a, b) => a - b);
    for (let i = N; i < M; i++) assert.is(q.arrivedAt[i], completions[i - N], `request ${i}`);
    // at most N requests in the system at any time
    const events: [number, number][] = [];
    for (let i = 0; i < M; i++) events.push([q.arrivedAt[i], 1], [q.completedAt[i], -1]);
    events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let inSystem = 0,
      peak = 0;
    for (const [, d] of events) {
      inSystem += d;
      peak = Math.max(peak, inSystem);
    }
    assert.is(peak, N);
    assert.is(
      q.completed.reduce((a, b) => a + b, 0),
      M,
    );
  });
}

test.run();
