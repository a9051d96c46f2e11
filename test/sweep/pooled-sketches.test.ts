/**
 * Replicates whose latency metrics were sketched (past --metrics_config_exact_quantile_samples) get pooled
 * quantiles per configuration from their merged DDSketches: the same whether the replicates ran in one sweep or
 * in shards merged later, and within the sketch's 0.5 % of the exact quantile of the pooled samples.
 */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mergeSweeps } from "../../src/sweep/merge.js";
import { expandPlan, runnableOptions } from "../../src/sweep/plan.js";
import { createPool } from "../../src/sweep/pool.js";
import { readSweepSpec } from "../../src/sweep/spec.js";
import { runSweep } from "../../src/sweep/sweep.js";
import { readRecords } from "../../src/sweep/store.js";
import { simulate } from "../../src/simulate.js";
import { duck, tempDir, writeSpec } from "./helpers.js";

const dir = tempDir("tw-pooled-");
const pool = createPool(2);
test.after(() => pool.destroy());

const SPEC = `
base:
  synthetic_request_generator_config_num_requests: 3000
  poisson_request_interval_generator_config_qps: 6
  metrics_config_exact_quantile_samples: 500
grid:
  replica_scheduler_config_type: [vllm, sarathi]
`;
const COLUMNS = ["ttft_s", "e2e_latency_s", "tbt_s"].flatMap((m) => ["p50", "p90", "p99"].map((q) => `${m}_pooled_${q}`));

test("pooled quantiles from merged sketches: one sweep and merged shards agree, within 0.5 % of the exact pooled value", async () => {
  const spec = { ...readSweepSpec(writeSpec(dir, "sweep.yaml", SPEC)), replicates: 3 };
  await runSweep({ spec, outputDir: join(dir, "whole"), workers: 2, pool, progress: false });
  for (const i of [0, 1])
    await runSweep({ spec, outputDir: join(dir, `s${i}`), workers: 2, pool, progress: false, shard: { index: i, count: 2 } });
  await mergeSweeps([join(dir, "s0"), join(dir, "s1")], join(dir, "merged"));
  const select = (d: string) =>
    duck(`SELECT config_id, ${COLUMNS.join(", ")} FROM '${join(dir, d, "summary.parquet")}' ORDER BY run_index`);
  const whole = (await select("whole")).rows;
  assert.equal((await select("merged")).rows, whole);
  assert.ok(readRecords(join(dir, "whole")).every((r) => r.sketches?.ttft_s !== undefined));

  // exact: every completed request's TTFT of the configuration's three replicates, pooled
  const plan = expandPlan(spec);
  for (const configId of new Set(plan.runs.map((r) => r.replicate!.configId))) {
    const ttft: number[] = [];
    for (const run of plan.runs.filter((r) => r.replicate!.configId === configId)) {
      const options = { ...runnableOptions(run.options, spec.baseDir), metrics_config_exact_quantile_samples: 1e9 };
      const q = simulate(options).result.requests;
      for (let i = 0; i < q.arrivedAt.length; i++) if (q.completed[i]) ttft.push(q.prefillCompletedAt[i] - q.arrivedAt[i]);
    }
    assert.is(ttft.length, 9000);
    ttft.sort((a, b) => a - b);
    const rows = whole.filter((r) => r.config_id === configId);
    assert.is(rows.length, 3);
    for (const [suffix, p] of [
      ["p50", 0.5],
      ["p90", 0.9],
      ["p99", 0.99],
    ] as const) {
      const exact = ttft[Math.floor(p * (ttft.length - 1))];
      const pooled = rows[0][`ttft_s_pooled_${suffix}`] as number;
      assert.ok(Math.abs(pooled - exact) <= 0.005 * Math.abs(exact) + 1e-12, `${configId} ${suffix}: ${pooled} vs exact ${exact}`);
      for (const r of rows) assert.is(r[`ttft_s_pooled_${suffix}`], pooled, "repeated on every replicate's row");
    }
  }
});

test("exact runs carry no sketches and the summary no pooled columns", async () => {
  const spec = { ...readSweepSpec(writeSpec(dir, "exact.yaml", SPEC.replace("500", "1000000"))), replicates: 2 };
  await runSweep({ spec, outputDir: join(dir, "exact"), workers: 2, pool, progress: false });
  assert.ok(readRecords(join(dir, "exact")).every((r) => r.sketches === undefined));
  const { rows } = await duck(`SELECT * FROM '${join(dir, "exact", "summary.parquet")}'`);
  assert.not.ok(Object.keys(rows[0]).some((k) => k.includes("_pooled_")));
});

test.run();
