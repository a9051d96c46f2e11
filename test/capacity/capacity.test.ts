import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCapacity, paretoFrontier } from "../../src/capacity/capacity.js";
import { capacitySearch, sloMetric } from "../../src/capacity/search.js";
import { simulateShared } from "../../src/sweep/execute.js";
import { expandPlan, runnableOptions } from "../../src/sweep/plan.js";
import { readSweepSpec } from "../../src/sweep/spec.js";
import { withShared } from "../helpers/shared.js";
import { duck, REPO_ROOT, tempDir, writeSpec } from "../sweep/helpers.js";

test("Vidur's search rules: bracket growth, >500 s halving, granularity stop", () => {
  // a system whose P99 delay is 0 up to 3 qps, then grows steeply
  const delay = (q: number) => (q <= 3 ? 0.1 : (q - 3) * 100);
  const r = capacitySearch(delay, { slo: 5, startQps: 1 });
  assert.is(r.steps[0].qps, 1); // (0 + 2)/2
  assert.is(r.steps[1].qps, 4.5); // under & delay < SLO/8 → right = 8, qps = (1+8)/2
  assert.is(r.steps[1].underSlo, false); // 150 s: right = 4.5
  assert.ok(r.maxQps! <= 3.05 && r.maxQps! >= 3 * 0.95, String(r.maxQps));
  assert.is(r.stop, "granularity");
  const huge = capacitySearch((q) => (q > 1 ? 1000 : 0), { slo: 5, startQps: 4 });
  assert.is(huge.steps[0].qps, 4);
  assert.is(huge.steps[1].qps, 1); // delay > 500 → right = qps/2 = 2, qps = (0+2)/2
  const none = capacitySearch(() => 9, { slo: 5, startQps: 1, maxIterations: 5 });
  assert.is(none.maxQps, null);
  assert.is(none.steps.length, 5);
});

test("Pareto frontier minimises both axes", () => {
  const f = paretoFrontier([{ x: 1, y: 5 }, { x: 2, y: 2 }, { x: 3, y: 3 }, null, { x: 5, y: 1 }]);
  assert.equal([...f].sort(), [0, 1, 4]);
});

const P = "reference/vidur-parity/codellama34b-tp2";
withShared(
  test,
  "parity scenario (CodeLlama-34B TP2): vLLM and Sarathi capacity agrees with a brute-force QPS scan",
  [`${P}/op-tables`, `${P}/requests.csv`],
  async (opTables, requests) => {
    const dir = tempDir("tw-cap-");
    const spec = readSweepSpec(
      writeSpec(
        dir,
        "cap.yaml",
        `
base:
  replica_config_model_name: codellama/CodeLlama-34b-Instruct-hf
  replica_config_device: a100
  replica_config_network_device: a100_pairwise_nvlink
  replica_config_tensor_parallel_size: 2
  op_tables: ${opTables}
  length_generator_config_type: trace
  trace_request_length_generator_config_trace_file: ${requests}
  synthetic_request_generator_config_num_requests: 600
  poisson_request_interval_generator_config_qps: 1
grid:
  replica_scheduler_config_type: [vllm, sarathi]
`,
      ),
    );
    const report = await runCapacity({
      spec,
      outputDir: join(dir, "out"),
      workers: 2,
      slo: { metric: "scheduling_delay", quantile: 0.99, value: 5 },
      progress: false,
    });
    const plan = expandPlan(spec);
    for (const row of report.rows) {
      assert.is(row.status, "ok", String(row.error));
      const maxQps = row.max_qps!;
      assert.ok(maxQps > 0.2 && maxQps < 20, `${row.params.replica_scheduler_config_type}: ${maxQps}`);
      assert.is(row.num_gpus, 2);
      assert.ok(Math.abs(row.qps_per_gpu! - maxQps / 2) < 1e-12);
      // brute force: scan qps around the answer in steps of the search granularity
      const options = runnableOptions(plan.runs[row.run_index].options, spec.baseDir);
      const step = 0.025 * maxQps;
      let bruteMax = 0;
      for (let q = 0.6 * maxQps; q <= 1.4 * maxQps; q += step) {
        const v = sloMetric(
          simulateShared({ ...options, poisson_request_interval_generator_config_qps: q }, spec.baseDir),
          "scheduling_delay",
          0.99,
        );
        if (v <= 5) bruteMax = q;
      }
      assert.ok(Math.abs(bruteMax - maxQps) <= 2 * step, `${row.params.replica_scheduler_config_type}: search ${maxQps}, scan ${bruteMax}`);
      assert.ok(row.slo_metric_at_capacity! <= 5);
    }
  },
);

test("examples/capacity.yaml runs; capacity.parquet has int64 counts and parameters, like summary.parquet", async () => {
  const out = join(tempDir("tw-cap-ex-"), "cap");
  const spec = readSweepSpec(join(REPO_ROOT, "examples", "capacity.yaml"));
  const r = await runCapacity({
    spec,
    outputDir: out,
    workers: 1,
    slo: { metric: "scheduling_delay", quantile: 0.99, value: 5 },
    progress: false,
  });
  assert.is(r.rows.length, 2);
  const { rows, types } = await duck(`SELECT * FROM '${join(out, "capacity.parquet")}' ORDER BY run_index`);
  assert.is(rows.length, 2);
  for (const c of ["run_index", "num_gpus", "search_steps"]) assert.is(types[c], "BIGINT", c);
  assert.is(types.max_qps, "DOUBLE");
  assert.ok(rows.every((x) => x.status === "ok" && (x.max_qps as number) > 0));
});

test.run();
