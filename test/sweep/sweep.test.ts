import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { mergeSweeps } from "../../src/sweep/merge.js";
import { expandPlan } from "../../src/sweep/plan.js";
import { readSweepSpec } from "../../src/sweep/spec.js";
import { TIMING_COLUMNS } from "../../src/sweep/summary-table.js";
import { runSweep } from "../../src/sweep/sweep.js";
import { createPool } from "../../src/sweep/pool.js";
import { duck, exampleSpecFile, REPO_ROOT, tempDir, TINY_BASE, writeSpec } from "./helpers.js";

const dir = tempDir();
// one pool per size for the whole file (starting workers from source costs ~1 s each)
const pool1 = createPool(1);
const pool2 = createPool(2);
test.after(async () => {
  await pool1.destroy();
  await pool2.destroy();
});
const exampleSpec = readSweepSpec(exampleSpecFile(dir));

async function rejects(fn: () => Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await fn();
  } catch (e) {
    assert.match((e as Error).message, re);
    return;
  }
  assert.unreachable(`expected a rejection matching ${re}`);
}

/** Summary rows without machine-dependent columns, ordered by run_index. */
async function values(out: string): Promise<Record<string, unknown>[]> {
  const { rows } = await duck(`SELECT * FROM '${join(out, "summary.parquet")}' ORDER BY run_index`);
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_COLUMNS.includes(k))));
}

let oneWorker: Record<string, unknown>[] = [];

test("the docs' example sweep runs; DuckDB reads its Parquet summary with the right rows and types", async () => {
  const out = join(dir, "w1");
  const r = await runSweep({ spec: exampleSpec, outputDir: out, workers: 1, pool: pool1, progress: false });
  assert.is(r.planned, 11);
  assert.is(r.ran, 11);
  const { rows, types } = await duck(`SELECT * FROM '${join(out, "summary.parquet")}' ORDER BY run_index`);
  assert.is(rows.length, 11);
  assert.is(types.run_id, "VARCHAR");
  assert.is(types.run_index, "BIGINT");
  assert.is(types.status, "VARCHAR");
  assert.is(types.error, "VARCHAR");
  assert.is(types.wall_time_s, "DOUBLE");
  assert.is(types.replica_scheduler_config_type, "VARCHAR");
  assert.is(types.poisson_request_interval_generator_config_qps, "DOUBLE");
  assert.is(types.replica_config_tensor_parallel_size, "BIGINT");
  assert.is(types.ttft_s_p99, "DOUBLE");
  assert.is(types.throughput_total_tokens_per_s, "DOUBLE");
  assert.is(types.sim_status, "VARCHAR");
  // counts are int64, as in capacity.parquet; means stay DOUBLE
  for (const c of [
    "attempts",
    "num_requests",
    "num_completed_requests",
    "num_gpus",
    "ttft_s_count",
    "batches_count",
    "engine_events",
    "memory_plan_num_blocks_per_replica",
  ]) {
    assert.is(types[c], "BIGINT", c);
  }
  assert.is(types.batches_mean_batch_num_tokens, "DOUBLE");
  assert.ok(
    rows.every((x) => x.status === "ok" && x.error === null),
    JSON.stringify(rows.map((x) => x.error)),
  );
  assert.equal(
    rows.map((x) => Number(x.run_index)),
    [...Array(11).keys()],
  );
  const agg = await duck(
    `SELECT count(*) AS n, count(DISTINCT run_id) AS ids FROM '${join(out, "summary.arrow").replace(".arrow", ".parquet")}' WHERE num_completed_requests = 200`,
  );
  assert.is(Number(agg.rows[0].n), 11);
  assert.is(Number(agg.rows[0].ids), 11);
  assert.is(readdirSync(join(out, "records")).length, 11);
  oneWorker = await values(out);
});

test("1 worker vs 2 workers: identical summary values", async () => {
  const out = join(dir, "w2");
  await runSweep({ spec: exampleSpec, outputDir: out, workers: 2, pool: pool2, progress: false });
  assert.equal(await values(out), oneWorker);
});

test("shards 0/3, 1/3, 2/3 merged equal the unsharded run; merge detects missing and duplicate runs", async () => {
  const shards = [0, 1, 2].map((i) => join(dir, `shard${i}`));
  await Promise.all(
    shards.map((out, i) =>
      runSweep({ spec: exampleSpec, outputDir: out, workers: 1, pool: pool2, shard: { index: i, count: 3 }, progress: false }),
    ),
  );
  assert.equal(
    shards.map((s) => readdirSync(join(s, "records")).length),
    [4, 4, 3],
  );
  const merged = join(dir, "merged");
  const r = await mergeSweeps(shards, merged);
  assert.is(r.runs, 11);
  assert.equal(await values(merged), oneWorker);

  try {
    await mergeSweeps(shards.slice(0, 2), join(dir, "partial"));
    assert.unreachable("missing runs must be an error");
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /3 of 11 runs are missing \(first: [0-9a-f]{16}, index 2, shard 2\/3\)/);
  }
  const partial = await mergeSweeps(shards.slice(0, 2), join(dir, "partial2"), true);
  assert.is(partial.missing.length, 3);
  const { rows } = await duck(
    `SELECT status, count(*) AS n FROM '${join(dir, "partial2", "summary.parquet")}' GROUP BY status ORDER BY status`,
  );
  assert.equal(
    rows.map((x) => [x.status, Number(x.n)]),
    [
      ["missing", 3],
      ["ok", 8],
    ],
  );
  const dup = await mergeSweeps([...shards, shards[0]], join(dir, "dup"));
  assert.is(dup.duplicates, 4);
  assert.equal(await values(join(dir, "dup")), oneWorker);
});

test("failed configurations are recorded and the sweep goes on; a dying worker is replaced and its run retried once", async () => {
  const spec = readSweepSpec(
    writeSpec(
      dir,
      "fail.yaml",
      `${TINY_BASE}grid:\n  replica_config_model_name: [meta-llama/Llama-2-7b-hf, meta-llama/Llama-2-70b-hf]\n  seed: [1, 2, 3]\n`,
    ),
  );
  const plan = expandPlan(spec);
  const once = plan.runs[0].id,
    always = plan.runs[2].id;
  process.env.TOKENWATT_TEST_CRASH = `${once}:once,${always}`;
  const out = join(dir, "crash");
  // workers that die on those runs (test/sweep/crashing-worker.mjs wraps the real worker)
  const crashing = createPool(2, { filename: new URL("./crashing-worker.mjs", import.meta.url).href, execArgv: [] });
  let r;
  try {
    r = await runSweep({ spec, outputDir: out, workers: 2, pool: crashing, progress: false });
  } finally {
    delete process.env.TOKENWATT_TEST_CRASH;
    await crashing.destroy();
  }
  assert.is(r.ran, 6);
  assert.is(r.retried, 2);
  const { rows } = await duck(
    `SELECT run_id, status, error, attempts, replica_config_model_name AS model FROM '${join(out, "summary.parquet")}' ORDER BY run_index`,
  );
  assert.is(rows.length, 6);
  const byId = Object.fromEntries(rows.map((x) => [x.run_id, x]));
  assert.is(byId[once].status, "ok");
  assert.is(byId[once].attempts, 2n); // int64
  assert.is(byId[always].status, "failed");
  assert.match(String(byId[always].error), /^worker died twice/);
  const tooBig = rows.filter((x) => x.model === "meta-llama/Llama-2-70b-hf");
  assert.ok(
    tooBig.every((x) => x.status === "failed" && /needs .* GB of weights per device/.test(String(x.error))),
    tooBig.map((x) => `${x.status}: ${x.error}`).join("; "),
  );
  // resume with --retry-failed reruns only the failed runs
  const again = await runSweep({ spec, outputDir: out, workers: 1, pool: pool2, resume: true, retryFailed: true, progress: false });
  assert.is(again.skipped, 2);
  assert.is(again.ran, 4);
});

test("--keep-runs writes each run's tables; an existing sweep needs --resume; another sweep's directory is refused", async () => {
  const spec = readSweepSpec(writeSpec(dir, "keep.yaml", `${TINY_BASE}  formats: parquet\ngrid:\n  seed: [1, 2]\n`));
  const out = join(dir, "keep");
  await runSweep({ spec, outputDir: out, workers: 1, pool: pool1, keepRuns: true, progress: false });
  const ids = readdirSync(join(out, "runs"));
  assert.is(ids.length, 2);
  assert.ok(existsSync(join(out, "runs", ids[0], "request_metrics.parquet")));
  assert.ok(existsSync(join(out, "runs", ids[0], "summary.json")));
  // a kept run's config.json says where it was written (its options carry no output directory of their own)
  assert.is(JSON.parse(readFileSync(join(out, "runs", ids[0], "config.json"), "utf8")).output_dir, join(out, "runs", ids[0]));
  await rejects(
    () => runSweep({ spec, outputDir: out, workers: 1, progress: false }),
    /already holds 2 finished runs of this sweep; pass --resume/,
  );
  const skip = await runSweep({ spec, outputDir: out, workers: 1, pool: pool1, resume: true, progress: false });
  assert.is(skip.ran, 0);
  assert.is(skip.skipped, 2);
  const other = readSweepSpec(writeSpec(dir, "other.yaml", `${TINY_BASE}grid:\n  seed: [5, 6]\n`));
  await rejects(() => runSweep({ spec: other, outputDir: out, workers: 1, resume: true, progress: false }), /holds a different sweep/);
});

test("SIGKILL part-way, then --resume: every run appears exactly once", async () => {
  const spec = writeSpec(dir, "kill.yaml", `${TINY_BASE}grid:\n  seed: [${[...Array(40).keys()].join(", ")}]\n`);
  const out = join(dir, "kill");
  const cli = (extra: string[]) =>
    spawn(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), "sweep", "--spec", spec, "--output-dir", out, "--workers", "1", ...extra],
      {
        cwd: REPO_ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
  const child = cli([]);
  const records = join(out, "records");
  const count = () => (existsSync(records) ? readdirSync(records).filter((f) => f.endsWith(".json") && !f.startsWith(".")).length : 0);
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (count() >= 5) {
        clearInterval(t);
        child.kill("SIGKILL");
        resolve();
      }
    }, 5);
    child.on("exit", () => {
      clearInterval(t);
      reject(new Error("sweep finished before it could be killed"));
    });
  });
  await new Promise((r) => child.once("exit", r));
  const before = count();
  assert.ok(before >= 5 && before < 40, `killed after ${before} runs`);
  assert.not.ok(existsSync(join(out, "summary.parquet")));
  const resumed = cli(["--resume"]);
  let stdout = "";
  resumed.stdout.on("data", (d) => (stdout += d));
  const code = await new Promise((r) => resumed.once("exit", r));
  assert.is(code, 0, stdout);
  assert.match(stdout, new RegExp(`${40 - before} ran, ${before} already done`));
  const { rows } = await duck(
    `SELECT count(*) AS n, count(DISTINCT run_id) AS ids, count(DISTINCT seed) AS seeds FROM '${join(out, "summary.parquet")}' WHERE status = 'ok'`,
  );
  assert.equal([Number(rows[0].n), Number(rows[0].ids), Number(rows[0].seeds)], [40, 40, 40]);
  assert.is(count(), 40);
  assert.ok(JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")).total_runs === 40);
});

test.run();
