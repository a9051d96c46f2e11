import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mergeSweeps } from "../../src/sweep/merge.js";
import { expandPlan } from "../../src/sweep/plan.js";
import { createPool } from "../../src/sweep/pool.js";
import { replicateSeed, replicateStats } from "../../src/sweep/replicates.js";
import { readSweepSpec } from "../../src/sweep/spec.js";
import { runSweep } from "../../src/sweep/sweep.js";
import { tQuantile } from "../../src/sweep/t-quantile.js";
import { runCli } from "../helpers/cli.js";
import { duck, tempDir, TINY_BASE, writeSpec } from "./helpers.js";

const dir = tempDir("tw-replicates-");
const pool = createPool(2);
test.after(() => pool.destroy());

test("t quantiles match published tables (two-sided 95 %: the 0.975 quantile)", () => {
  const table: [number, number][] = [
    [1, 12.706205],
    [2, 4.302653],
    [3, 3.182446],
    [4, 2.776445],
    [9, 2.262157],
    [29, 2.04523],
    [100, 1.983972],
  ];
  for (const [df, t] of table) assert.ok(Math.abs(tQuantile(0.975, df) - t) < 2e-6, `df ${df}: ${tQuantile(0.975, df)} vs ${t}`);
  assert.ok(Math.abs(tQuantile(0.95, 10) - 1.812461) < 2e-6);
  assert.throws(() => tQuantile(0.975, 0), /df >= 1/);
});

test("replicate statistics: mean, sample std, t interval; one value has no spread", () => {
  const s = replicateStats([1, 1.2, 0.9, Number.NaN]);
  assert.is(s.n, 3);
  assert.ok(Math.abs(s.mean - 3.1 / 3) < 1e-12);
  const sd = Math.sqrt(((1 - 3.1 / 3) ** 2 + (1.2 - 3.1 / 3) ** 2 + (0.9 - 3.1 / 3) ** 2) / 2);
  assert.ok(Math.abs(s.std - sd) < 1e-12);
  assert.ok(Math.abs(s.ci95High - s.mean - (4.302653 * sd) / Math.sqrt(3)) < 1e-5);
  assert.ok(Math.abs(s.mean - s.ci95Low - (s.ci95High - s.mean)) < 1e-12);
  const one = replicateStats([2]);
  assert.is(one.mean, 2);
  assert.ok(Number.isNaN(one.std) && Number.isNaN(one.ci95Low));
});

test("replicate seeds: replicate 0 keeps the seed, others are fixed, distinct and below 2^31", () => {
  assert.is(replicateSeed(42, 0), 42);
  const seeds = [1, 2, 3, 4].map((r) => replicateSeed(42, r));
  assert.is(new Set([42, ...seeds]).size, 5);
  for (const s of seeds) assert.ok(Number.isInteger(s) && s >= 0 && s < 2 ** 31);
  assert.equal(
    seeds,
    [1, 2, 3, 4].map((r) => replicateSeed(42, r)),
  );
  assert.is.not(replicateSeed(7, 1), replicateSeed(42, 1));
});

const SPEC = `${TINY_BASE}
grid:
  replica_scheduler_config_type: [vllm, sarathi]
`;

test("the plan: N runs per configuration, replicate 0 has the run id of the unreplicated sweep, seeds recorded", () => {
  const spec = readSweepSpec(writeSpec(dir, "plain.yaml", SPEC));
  const plain = expandPlan(spec);
  const rep = expandPlan({ ...spec, replicates: 3 });
  assert.is(rep.runs.length, 6);
  assert.equal(
    rep.runs.filter((r) => r.replicate!.index === 0).map((r) => r.id),
    plain.runs.map((r) => r.id),
  );
  assert.equal(
    rep.runs.map((r) => r.replicate!.configId),
    [plain.runs[0].id, plain.runs[0].id, plain.runs[0].id, plain.runs[1].id, plain.runs[1].id, plain.runs[1].id],
  );
  assert.equal(
    rep.runs.map((r) => r.replicate!.seed),
    [42, replicateSeed(42, 1), replicateSeed(42, 2), 42, replicateSeed(42, 1), replicateSeed(42, 2)],
  );
  assert.is(rep.runs[1].options.synthetic_request_generator_config_seed, replicateSeed(42, 1));
  assert.is(rep.runs[1].options.seed, replicateSeed(42, 1));
  assert.is(rep.runs[1].options.fixed_request_length_generator_config_seed, 42, "flags Vidur never reads are left alone");
  assert.is(new Set(rep.runs.map((r) => r.id)).size, 6);
  assert.is(plain.runs[0].replicate, undefined);
  // the spec file may set it too
  const fromFile = readSweepSpec(writeSpec(dir, "rep.yaml", `${SPEC}replicates: 2\n`));
  assert.is(expandPlan(fromFile).runs.length, 4);
});

test("a replicated sweep: summary rows carry replicate, seed and their configuration's mean, std and 95 % CI; shards merge", async () => {
  const specPath = writeSpec(dir, "sweep.yaml", SPEC);
  const out = join(dir, "out");
  const r = await runCli("sweep", "--spec", specPath, "--output-dir", out, "--workers", "2", "--replicates", "4", "--report");
  assert.is(r.code, 0, r.stderr);
  // the report draws one point per configuration with its confidence interval
  const html = readFileSync(join(out, "report.html"), "utf8");
  const charts = JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]).charts as {
    id: string;
    data: unknown[][];
    errorBars?: unknown[];
  }[];
  const energy = charts.find((c) => c.id === "pareto-energy")!;
  assert.is(energy.data[0].length, 2);
  assert.is(energy.errorBars!.length, 1);
  const { rows, types } = await duck(`SELECT * FROM '${join(out, "summary.parquet")}' ORDER BY run_index`);
  assert.is(rows.length, 8);
  assert.is(types.replicate, "INTEGER");
  assert.is(types.replicate_seed, "BIGINT");
  assert.is(types.ttft_s_p99_rep_ci95_low, "DOUBLE");
  assert.equal(
    rows.map((x) => x.replicate),
    [0, 1, 2, 3, 0, 1, 2, 3],
  );
  for (const cfg of [rows.slice(0, 4), rows.slice(4)]) {
    const ttft = cfg.map((x) => x.ttft_s_p99 as number);
    assert.ok(new Set(ttft).size > 1, "seeds change the workload");
    const s = replicateStats(ttft);
    for (const x of cfg) {
      assert.is(x.config_id, cfg[0].run_id);
      assert.is(x.replicates_ok, 4);
      assert.ok(Math.abs((x.ttft_s_p99_rep_mean as number) - s.mean) < 1e-12);
      assert.ok(Math.abs((x.ttft_s_p99_rep_std as number) - s.std) < 1e-12);
      assert.ok(Math.abs((x.ttft_s_p99_rep_ci95_low as number) - s.ci95Low) < 1e-12);
      assert.ok(Math.abs((x.ttft_s_p99_rep_ci95_high as number) - s.ci95High) < 1e-12);
      assert.ok((x.ttft_s_p99_rep_ci95_low as number) < s.mean && s.mean < (x.ttft_s_p99_rep_ci95_high as number));
    }
    assert.ok(!("wall_time_s_rep_mean" in cfg[0]), "machine timings are not aggregated");
  }
  // two shards of the same replicated sweep merge into the same summary
  const spec = { ...readSweepSpec(specPath), replicates: 4 };
  for (const i of [0, 1])
    await runSweep({ spec, outputDir: join(dir, `s${i}`), workers: 2, pool, progress: false, shard: { index: i, count: 2 } });
  await mergeSweeps([join(dir, "s0"), join(dir, "s1")], join(dir, "merged"));
  const merged = await duck(
    `SELECT * EXCLUDE (wall_time_s, attempts, engine_event_loop_s, engine_batches_per_s) FROM '${join(dir, "merged", "summary.parquet")}' ORDER BY run_index`,
  );
  const whole = await duck(
    `SELECT * EXCLUDE (wall_time_s, attempts, engine_event_loop_s, engine_batches_per_s) FROM '${join(out, "summary.parquet")}' ORDER BY run_index`,
  );
  assert.equal(merged.rows, whole.rows);
});

test("--replicates must be an integer from 1 to 1000 (exit 2)", async () => {
  const specPath = writeSpec(dir, "bad.yaml", SPEC);
  const r = await runCli("sweep", "--spec", specPath, "--output-dir", join(dir, "bad"), "--replicates", "0");
  assert.is(r.code, 2);
  assert.match(r.stderr, /sweep: --replicates must be an integer from 1 to 1000, got "0"/);
});

test.run();
