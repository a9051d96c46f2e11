// The engine's run status is cleared before a new configuration is validated: a bad configuration right after a
// failed run reports its own error, not the earlier run's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../src/core/errors.js";
import { runEngine } from "../../src/engine/engine.js";
import { instantiateEngine } from "../../src/engine/wasm.js";
import { tinyScenario } from "../helpers/scenario.js";

function errorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("expected an InputError");
}

test("a bad configuration after a failed run names the configuration, not the earlier op-table error", () => {
  const engine = instantiateEngine();
  // a 9000-token prompt is beyond the 8192-token op tables: the run fails inside the loop
  const failing = tinyScenario({ requests: [[0, 9000, 4]], maxTokensInBatch: 16384 });
  assert.match(errorOf(() => runEngine(failing, engine)).message, /^op tables: /);
  const bad = tinyScenario({ requests: [[0, 16, 4]] });
  bad.replicaScheduler.numBlocks = 0;
  const message = errorOf(() => runEngine(bad, engine)).message;
  assert.match(message, /^--vllm_scheduler_config_num_blocks: invalid value/);
  assert.not.match(message, /op tables/);
  // and the engine still runs a good scenario afterwards
  const good = runEngine(tinyScenario({ requests: [[0, 16, 4]] }), engine);
  assert.is(good.requests.completedAt.length, 1);
});

test.run();
