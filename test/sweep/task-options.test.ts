// A sweep task carries only the options that differ from their defaults; the worker must see exactly the
// options the parent planned.
import { serialize } from "node:v8";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { expandPlan, runnableOptions } from "../../src/sweep/plan.js";
import { readSweepSpec } from "../../src/sweep/spec.js";
import { optionChanges, withDefaults } from "../../src/sweep/task-options.js";
import { exampleSpecFile, tempDir, writeSpec } from "./helpers.js";

const dir = tempDir();

test("withDefaults(optionChanges(options)) gives back every run's options, paths and lists included", () => {
  const specs = [
    readSweepSpec(exampleSpecFile(dir)),
    readSweepSpec(
      writeSpec(
        dir,
        "trace.yaml",
        "base:\n  request_generator_config_type: trace_replay\n  trace_request_generator_config_trace_file: trace.csv\n" +
          "  formats: csv,parquet\ngrid:\n  replica_scheduler_config_type: [vllm, sarathi]\n  seed: [0, 7]\n",
      ),
    ),
  ];
  for (const spec of specs) {
    for (const run of expandPlan(spec).runs) {
      const options = runnableOptions(run.options, spec.baseDir);
      const changes = optionChanges(options);
      assert.equal(withDefaults(changes), options);
      assert.ok(Object.keys(changes).length < Object.keys(options).length / 4, Object.keys(changes).join(", "));
      assert.ok(serialize(changes).length < serialize(options).length / 4);
    }
  }
});

test.run();
