import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { expandPlan, parseShard, runId, shardRuns } from "../../src/sweep/plan.js";
import { readSweepSpec } from "../../src/sweep/spec.js";
import { resolveOptions } from "../../src/config/parse.js";
import { exampleSpecFile, tempDir, writeSpec } from "./helpers.js";

const errorOf = (fn: () => unknown): InputError => {
  try {
    fn();
  } catch (e) {
    assert.instance(e, InputError);
    return e as InputError;
  }
  throw new Error("expected an InputError");
};

test("the docs' example spec expands to 11 runs: product, zip and exclude", () => {
  const plan = expandPlan(readSweepSpec(exampleSpecFile(tempDir())));
  assert.is(plan.runs.length, 11);
  assert.is(plan.excluded, 1);
  assert.equal(plan.parameters, [
    "replica_scheduler_config_type",
    "poisson_request_interval_generator_config_qps",
    "replica_config_model_name",
    "replica_config_tensor_parallel_size",
  ]);
  // first axis varies slowest; zipped options move together
  assert.equal(plan.runs[0].params, {
    replica_scheduler_config_type: "vllm",
    poisson_request_interval_generator_config_qps: 1,
    replica_config_model_name: "meta-llama/Llama-2-7b-hf",
    replica_config_tensor_parallel_size: 1,
  });
  assert.is(plan.runs[1].params.replica_config_tensor_parallel_size, 4);
  assert.ok(plan.runs.every((r, i) => r.index === i));
  assert.is(new Set(plan.runs.map((r) => r.id)).size, 11);
});

test("run ids hash the resolved non-default options, independent of spec layout", () => {
  const a = resolveOptions({ replica_config_tensor_parallel_size: 2, poisson_request_interval_generator_config_qps: 3 });
  const b = resolveOptions({ poisson_request_interval_generator_config_qps: "3", replica_config_tensor_parallel_size: "2" });
  assert.is(runId(a), runId(b));
  assert.is.not(runId(a), runId(resolveOptions({ replica_config_tensor_parallel_size: 2 })));
  assert.is(
    runId(resolveOptions({})),
    runId(resolveOptions({ replica_config_tensor_parallel_size: 1 })),
    "a default value is no difference",
  );
  assert.is(runId(a), runId({ ...a, metrics_config_output_dir: "elsewhere" }), "output-only options are not identity");
  assert.match(runId(a), /^[0-9a-f]{16}$/);
});

test("shards partition the plan deterministically", () => {
  const plan = expandPlan(readSweepSpec(exampleSpecFile(tempDir())));
  const shards = [0, 1, 2].map((i) => shardRuns(plan.runs, i, 3).map((r) => r.index));
  assert.equal(
    shards.flat().sort((x, y) => x - y),
    plan.runs.map((r) => r.index),
  );
  assert.equal(shards[1], [1, 4, 7, 10]);
  assert.equal(parseShard("2/3"), { index: 2, count: 3 });
  assert.match(errorOf(() => parseShard("3/3")).message, /--shard must be i\/N/);
});

test("bad specs: file:line, key, allowed values, suggestions", () => {
  const dir = tempDir();
  const e1 = errorOf(() =>
    readSweepSpec(writeSpec(dir, "a.yaml", "base:\n  seed: 1\ngrid:\n  replica_config_tensor_paralel_size: [1, 2]\n")),
  );
  assert.match(
    e1.message,
    /a\.yaml:4: grid: unknown option "replica_config_tensor_paralel_size"; did you mean "replica_config_tensor_parallel_size"/,
  );
  const e2 = errorOf(() => readSweepSpec(writeSpec(dir, "b.yaml", "grid:\n  replica_scheduler_config_type:\n    - vllm\n    - fifo\n")));
  assert.match(
    e2.message,
    /b\.yaml:4: grid\.replica_scheduler_config_type\[1\]: --replica_scheduler_config_type must be one of vllm, sarathi/,
  );
  const e3 = errorOf(() => readSweepSpec(writeSpec(dir, "c.json", '{\n  "base": {"seed": 1},\n  "gird": {}\n}\n')));
  assert.match(e3.message, /c\.json:3: unknown key "gird"; allowed: base, grid, zip, exclude.*did you mean "grid"/);
  const e4 = errorOf(() =>
    readSweepSpec(writeSpec(dir, "d.yaml", "zip:\n  replica_config_device: [a100, h100]\n  replica_config_tensor_parallel_size: [1]\n")),
  );
  assert.match(e4.message, /d\.yaml:3: zip\.replica_config_tensor_parallel_size has 1 values but replica_config_device has 2/);
  const e5 = errorOf(() => readSweepSpec(writeSpec(dir, "e.yaml", "grid:\n  seed: [1, 2]\nzip:\n  seed: [3, 4]\n")));
  assert.match(e5.message, /e\.yaml:4: zip: seed is already swept in grid/);
  const e6 = errorOf(() => readSweepSpec(writeSpec(dir, "f.yaml", "grid:\n  seed: 3\n")));
  assert.match(e6.message, /f\.yaml:2: grid\.seed must be a non-empty list/);
  const e7 = errorOf(() => expandPlan(readSweepSpec(writeSpec(dir, "g.yaml", "grid:\n  seed: [1]\nexclude:\n  - seed: 1\n"))));
  assert.match(e7.message, /every point of the grid is excluded/);
  const e8 = errorOf(() => readSweepSpec(writeSpec(dir, "h.yaml", "grid:\n  metrics_config_output_dir: [a, b]\n")));
  assert.match(e8.message, /cannot be swept/);
});

test.run();
