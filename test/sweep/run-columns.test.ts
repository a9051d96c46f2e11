// The run and parameter columns shared by summary.parquet and capacity.parquet: parameters typed by their option,
// float parameters nullable in the summary and required in capacity.parquet unless a run lacks the value.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { paramColumn, runColumns } from "../../src/sweep/run-columns.js";

test("parameters take their option's type", () => {
  const tp = paramColumn("replica_config_tensor_parallel_size", [1, 2, 4]);
  assert.is(tp.type, "i64");
  assert.equal(Array.from(tp.data as BigInt64Array), [1n, 2n, 4n]);
  assert.is(paramColumn("poisson_request_interval_generator_config_qps", [1, 2.5]).type, "f64");
  assert.is(paramColumn("replica_config_device", ["a100", "h100"]).type, "utf8");
  assert.is(paramColumn("replica_config_device", ["a100", "h100"]).nullable, true);
});

test("float parameters: nullable in the summary, required in capacity.parquet unless a value is missing", () => {
  const qps = "poisson_request_interval_generator_config_qps";
  assert.is(paramColumn(qps, [1, 2]).nullable, true);
  assert.is(paramColumn(qps, [1, 2], { nullableFloats: false }).nullable, undefined);
  const missing = paramColumn(qps, [1, null], { nullableFloats: false });
  assert.is(missing.nullable, true);
  assert.ok(Number.isNaN((missing.data as Float64Array)[1]));
  // an int parameter a run lacks becomes a nullable float column rather than a wrong 0
  const tp = paramColumn("replica_config_tensor_parallel_size", [1, undefined]);
  assert.is(tp.type, "f64");
  assert.is(tp.nullable, true);
});

test("run columns: run_id, run_index (int64), status, error (nullable)", () => {
  const cols = runColumns(
    [
      { run_id: "a", run_index: 0, error: null, status: "ok" },
      { run_id: "b", run_index: 1, error: "boom", status: "failed" },
    ],
    (r) => r.status,
  );
  assert.equal(
    cols.map((c) => [c.name, c.type]),
    [
      ["run_id", "utf8"],
      ["run_index", "i64"],
      ["status", "utf8"],
      ["error", "utf8"],
    ],
  );
  assert.equal(cols[3].data, [null, "boom"]);
  assert.is(cols[3].nullable, true);
});

test.run();
