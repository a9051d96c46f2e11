/**
 * Property-based fuzzing (fast-check) of options and workloads against the engine, for FUZZ_SECONDS: small
 * random scenarios (replicas, TP, PP, every scheduler, lengths, load, caps, time limits, closed loop, energy on
 * and off). Each either fails with an InputError (a configuration that cannot run, reported in one line) or
 * runs, and then: no trap; every request completes, or is reported as unfinished when a time limit cut the
 * run; each request's times are monotone; batch stages end after they start; and energy is conserved
 * (per-request energies + idle = total GPU energy = the timeline's sum).
 * TOKENWATT_FUZZ_SECONDS overrides the budget (CI runs the default).
 */
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { isInputError } from "../../src/core/errors.js";
import { energyReport } from "../../src/metrics/energy-accounting.js";
import { simulate } from "../../src/simulate.js";
import { InputCache } from "../../src/sweep/input-cache.js";

/** Op tables and workloads memoized as in a sweep worker (building tables dominates a small run). */
const cache = new InputCache();

/** Time budget of the property run (seconds). */
export const FUZZ_SECONDS = Number(process.env.TOKENWATT_FUZZ_SECONDS ?? 30);

const SCHEDULERS = ["vllm", "sarathi", "orca", "faster_transformer", "lightllm"] as const;

const scenarioArb = fc.record({
  scheduler: fc.constantFrom(...SCHEDULERS),
  global: fc.constantFrom("round_robin", "lor", "random"),
  replicas: fc.integer({ min: 1, max: 4 }),
  tp: fc.constantFrom(1, 2, 4),
  pp: fc.constantFrom(1, 1, 2),
  requests: fc.integer({ min: 1, max: 120 }),
  lengths: fc.oneof(
    fc.record({
      kind: fc.constant("fixed" as const),
      prefill: fc.integer({ min: 1, max: 3000 }),
      decode: fc.integer({ min: 1, max: 600 }),
    }),
    fc.record({ kind: fc.constant("uniform" as const), min: fc.integer({ min: 16, max: 512 }), max: fc.integer({ min: 513, max: 2048 }) }),
    fc.record({ kind: fc.constant("zipf" as const), min: fc.integer({ min: 16, max: 256 }), max: fc.integer({ min: 257, max: 2048 }) }),
  ),
  qps: fc.double({ min: 0.2, max: 64, noNaN: true }),
  batchCap: fc.integer({ min: 1, max: 256 }),
  chunk: fc.integer({ min: 16, max: 2048 }),
  closedLoop: fc.option(fc.integer({ min: 1, max: 32 }), { nil: undefined }),
  timeLimit: fc.option(fc.double({ min: 0.5, max: 60, noNaN: true }), { nil: undefined }),
  energy: fc.boolean(),
  powerCap: fc.option(fc.integer({ min: 150, max: 500 }), { nil: undefined }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

type Drawn = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function optionsFor(d: Drawn): Record<string, unknown> {
  const o: Record<string, unknown> = {
    replica_scheduler_config_type: d.scheduler,
    global_scheduler_config_type: d.global,
    cluster_config_num_replicas: d.replicas,
    replica_config_tensor_parallel_size: d.tp,
    replica_config_num_pipeline_stages: d.scheduler === "lightllm" ? 1 : d.pp,
    synthetic_request_generator_config_num_requests: d.requests,
    synthetic_request_generator_config_seed: d.seed,
    poisson_request_interval_generator_config_qps: d.qps,
    [`${d.scheduler}_scheduler_config_batch_size_cap`]: d.batchCap,
    energy: d.energy,
    time_limit: d.timeLimit ?? 0,
  };
  if (d.scheduler === "sarathi") o.sarathi_scheduler_config_chunk_size = d.chunk;
  if (d.scheduler === "orca" || d.scheduler === "faster_transformer") {
    // whole-prompt batching sizes the token grid as max tokens x max batch: a smaller batch grid keeps a
    // table build near 1 s instead of 5 s, so the time budget covers many more scenarios
    o.random_forrest_execution_time_predictor_config_prediction_max_batch_size = 32;
    o[`${d.scheduler}_scheduler_config_batch_size_cap`] = Math.min(d.batchCap, 32);
  }
  if (d.powerCap !== undefined && d.energy) o.power_cap_w = d.powerCap;
  if (d.closedLoop !== undefined) Object.assign(o, { request_generator_config_type: "closed_loop", concurrency: d.closedLoop });
  const L = d.lengths;
  if (L.kind === "fixed") {
    Object.assign(o, {
      length_generator_config_type: "fixed",
      fixed_request_length_generator_config_prefill_tokens: L.prefill,
      fixed_request_length_generator_config_decode_tokens: L.decode,
    });
  } else {
    const p = `${L.kind}_request_length_generator_config`;
    Object.assign(o, { length_generator_config_type: L.kind, [`${p}_min_tokens`]: L.min, [`${p}_max_tokens`]: L.max });
  }
  return o;
}

const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-9);
const total = (a: Float64Array): number => a.reduce((s, x) => s + x, 0);

const stats = { runs: 0, ran: 0, refused: 0 };

function checkInvariants(d: Drawn): void {
  stats.runs++;
  let run;
  try {
    run = simulate(resolveOptions(optionsFor(d)), { inputs: cache.inputs });
  } catch (e) {
    // a configuration that cannot run is reported as one InputError; anything else (a trap, a TypeError) is a bug
    if (isInputError(e)) {
      stats.refused++;
      assert.not.match(e.message, /\n/);
      return;
    }
    throw e;
  }
  stats.ran++;
  const r = run.result;
  const q = r.requests;
  const n = q.arrivedAt.length;
  assert.is(n, d.requests);
  let completed = 0;
  for (let i = 0; i < n; i++) {
    if (!q.completed[i]) continue;
    completed++;
    assert.ok(q.arrivedAt[i] <= q.scheduledAt[i] + 1e-9, `request ${i}: scheduled before it arrived`);
    assert.ok(q.scheduledAt[i] <= q.prefillCompletedAt[i] + 1e-9, `request ${i}: prefill done before scheduled`);
    assert.ok(q.prefillCompletedAt[i] <= q.completedAt[i] + 1e-9, `request ${i}: completed before its prefill`);
  }
  const summary = run.summary as { num_completed_requests: number; sim_status?: string; engine?: { status?: string } };
  assert.is(summary.num_completed_requests, completed, "summary reports the completed requests");
  if (!d.timeLimit) assert.is(completed, n, "without a time limit every request completes");
  const st = r.stages;
  for (let i = 0; i < st.start.length; i++) assert.ok(st.start[i] <= st.end[i] + 1e-12, `stage ${i} ends before it starts`);
  for (let i = 0; i < r.batches.scheduledAt.length; i++) assert.ok(r.batches.scheduledAt[i] <= r.batches.completedAt[i] + 1e-12);
  if (d.energy) {
    const e = r.energy!;
    const rep = energyReport(run.scenario, r)!;
    assert.ok(relErr(total(e.requestEnergyJ) + rep.totals.idleJ, rep.totals.gpuJ) < 1e-9, "per-request + idle = GPU energy");
    const tl = rep.timeline.columns.find((c) => c.name === "gpu_energy_j")!.data as Float64Array;
    assert.ok(relErr(total(tl), rep.totals.gpuJ) < 1e-9, "timeline integrates to the GPU energy");
  } else {
    assert.is(r.energy, undefined);
  }
}

test(`fuzzing options and workloads against the engine for ${FUZZ_SECONDS} s: no trap, invariants hold`, () => {
  const started = performance.now();
  fc.assert(fc.property(scenarioArb, checkInvariants), {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: FUZZ_SECONDS * 1000,
    markInterruptAsFailure: false,
    seed: Number(process.env.TOKENWATT_FUZZ_SEED ?? Date.now() % 2 ** 31),
  });
  const s = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz: ${stats.runs} scenarios in ${s} s (${stats.ran} ran and met every invariant, ${stats.refused} refused with one InputError line)`,
  );
  assert.ok(stats.ran >= 10, `only ${stats.ran} scenarios ran`);
});

test.run();
