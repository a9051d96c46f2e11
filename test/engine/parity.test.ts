/**
 * Vidur parity: replaying the fixture's request stream with Vidur's own op tables under the same scenario must
 * reproduce Vidur's per-request times and its batch sequence (../shared/reference/vidur-parity).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import { materialize } from "../../src/tables/chunked.js";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { simulate } from "../../src/simulate.js";
import { generateRequests } from "../../src/workload/index.js";
import { PARITY_FIXTURE, PARITY_WORKLOAD, parityOptions } from "../helpers/parity.js";
import { withShared } from "../helpers/shared.js";

const FIXTURE = PARITY_FIXTURE;

function readCsv(path: string): { header: string[]; rows: number[][] } {
  const lines = readFileSync(path, "utf8").trim().split("\n");
  return { header: lines[0].split(","), rows: lines.slice(1).map((l) => l.split(",").map(Number)) };
}

function parityRun(fixture: string, scheduler: "vllm" | "sarathi") {
  return simulate(
    resolveOptions(
      parityOptions(fixture, scheduler, { op_tables: join(fixture, "op-tables"), metrics_config_keep_individual_batch_metrics: true }),
    ),
  );
}

for (const scheduler of ["vllm", "sarathi"] as const) {
  withShared(
    test,
    `${scheduler}: every request's TTFT, e2e, scheduling delay and preemption time match Vidur (rel 1e-6)`,
    [FIXTURE],
    (fixture) => {
      const run = parityRun(fixture, scheduler);
      const expected = readCsv(join(fixture, `expected-${scheduler}`, "request_metrics.csv"));
      const got = materialize(run.tables.find((t) => t.name === "request_metrics")!);
      const col = (name: string) => got.columns.find((c) => c.name === name)!.data as Float64Array;
      const metrics = [
        "prefill_e2e_time",
        "request_e2e_time",
        "request_scheduling_delay",
        "request_preemption_time",
        "request_execution_time",
        "request_num_restarts",
      ];
      assert.is(expected.rows.length, 2000);
      let worst = 0;
      for (const name of metrics) {
        const idx = expected.header.indexOf(name);
        const mine = col(name);
        for (const row of expected.rows) {
          const want = row[idx];
          const have = mine[row[0]];
          const rel = Math.abs(have - want) / Math.max(Math.abs(want), 1e-9);
          worst = Math.max(worst, rel);
          if (rel > 1e-6) assert.unreachable(`${name} of request ${row[0]}: ${have} vs Vidur ${want}`);
        }
      }
      assert.ok(worst <= 1e-6, `max relative error ${worst}`);
    },
  );

  withShared(test, `${scheduler}: the same batches as Vidur, in the same order and composition`, [FIXTURE], (fixture) => {
    const run = parityRun(fixture, scheduler);
    const expected = readCsv(join(fixture, `expected-${scheduler}`, "batch_metrics.csv"));
    const b = run.result.batches;
    assert.is(b.id.length, expected.rows.length, "number of batches");
    for (let i = 0; i < expected.rows.length; i++) {
      const [, tokens, prefill, decode, size, exec] = expected.rows[i];
      const mine = [b.numTokens[i], b.numPrefillTokens[i], b.numTokens[i] - b.numPrefillTokens[i], b.size[i]];
      if (mine.join() !== [tokens, prefill, decode, size].join())
        assert.unreachable(`batch ${i}: ${mine} vs Vidur ${[tokens, prefill, decode, size]}`);
      const myExec = b.completedAt[i] - b.scheduledAt[i];
      if (Math.abs(myExec - exec) > 1e-9 * exec) assert.unreachable(`batch ${i} execution time ${myExec} vs ${exec}`);
    }
  });
}

withShared(test, "vllm: MFU time-weighted mean matches Vidur's utilisation meter", [FIXTURE], (fixture) => {
  const run = parityRun(fixture, "vllm");
  const expected = JSON.parse(readFileSync(join(fixture, "expected-vllm", "plots", "replica_1_stage_1_mfu.json"), "utf8"));
  const mfu = run.result.meters.mfu[0];
  assert.ok(
    Math.abs(mfu.weightedMean - expected.replica_1_stage_1_mfu_weighted_mean) < 1e-9 * expected.replica_1_stage_1_mfu_weighted_mean,
  );
  assert.ok(Math.abs(mfu.max - expected.replica_1_stage_1_mfu_max) < 1e-9 * expected.replica_1_stage_1_mfu_max);
});

for (const scheduler of ["vllm", "sarathi"] as const) {
  withShared(
    test,
    `${scheduler}: memory-usage meter equals Vidur's (plain mean over updates) and its min and max`,
    [FIXTURE],
    (fixture) => {
      const run = parityRun(fixture, scheduler);
      const expected = JSON.parse(readFileSync(join(fixture, `expected-${scheduler}`, "plots", "replica_1_memory_usage.json"), "utf8"));
      const memory = run.result.meters.memory[0];
      assert.ok(
        Math.abs(memory.updateMean - expected.replica_1_memory_usage_weighted_mean) < 1e-12 * expected.replica_1_memory_usage_weighted_mean,
        `${memory.updateMean}`,
      );
      assert.is(memory.min, expected.replica_1_memory_usage_min);
      assert.is(memory.max, expected.replica_1_memory_usage_max);
      // the time-weighted mean is a different, larger figure on this run (memory stays high during long batches)
      assert.ok(memory.weightedMean > memory.updateMean);
      const summary = run.summary as { memory_usage_percent: { mean_over_replicas: number; time_weighted_mean_over_replicas: number } };
      assert.is(summary.memory_usage_percent.mean_over_replicas, memory.updateMean);
      assert.is(summary.memory_usage_percent.time_weighted_mean_over_replicas, memory.weightedMean);
    },
  );
}

/** The sample at sorted position floor(q·(n−1)) of run-length data sorted by value (the fixture's rule). */
function nearestRank(values: Float64Array, counts: Uint32Array, q: number): number {
  const n = counts.reduce((a, c) => a + c, 0);
  let k = Math.floor(q * (n - 1));
  for (let i = 0; i < values.length; i++) {
    if (k < counts[i]) return values[i];
    k -= counts[i];
  }
  return Number.NaN;
}

for (const scheduler of ["vllm", "sarathi"] as const) {
  withShared(test, `${scheduler}: time-between-token samples match Vidur's (p50, p90, p99, max)`, [FIXTURE], (fixture) => {
    const run = parityRun(fixture, scheduler);
    const expected = JSON.parse(readFileSync(join(fixture, `expected-${scheduler}`, "summary.json"), "utf8")).tbt_s;
    const { values, counts } = run.result.tbt;
    for (const [key, q] of [
      ["p50", 0.5],
      ["p90", 0.9],
      ["p99", 0.99],
      ["max", 1],
    ] as const) {
      const mine = nearestRank(values, counts, q);
      assert.ok(Math.abs(mine - expected[key]) <= 1e-9 * expected[key], `${key}: ${mine} vs Vidur ${expected[key]}`);
    }
  });
}

withShared(test, "the same flags without the trace generate exactly the fixture's requests.csv", [FIXTURE], (fixture) => {
  const stream = generateRequests(PARITY_WORKLOAD);
  const expected = readCsv(join(fixture, "requests.csv")).rows;
  assert.is(stream.arrivedAt.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.is(stream.numPrefillTokens[i], expected[i][1]);
    assert.is(stream.numDecodeTokens[i], expected[i][2]);
    assert.ok(Math.abs(stream.arrivedAt[i] - expected[i][0]) <= 1e-12 * expected[i][0], `arrival ${i}`);
  }
});

test.run();
