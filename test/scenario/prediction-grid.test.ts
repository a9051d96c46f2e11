/**
 * The op-table grid is sized from the scenario unless its flags are given, and every error about it names
 * flags that exist.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOption } from "../../src/config/options.js";
import { resolveOptions } from "../../src/config/parse.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { simulate } from "../../src/simulate.js";

const P = "random_forrest_execution_time_predictor_config_prediction_";
const small = {
  request_generator_config_type: "closed_loop",
  concurrency: 255,
  synthetic_request_generator_config_num_requests: 600,
  length_generator_config_type: "fixed",
  fixed_request_length_generator_config_prefill_tokens: 64,
  fixed_request_length_generator_config_decode_tokens: 32,
  replica_scheduler_config_type: "vllm",
  vllm_scheduler_config_batch_size_cap: 255,
};

/** Every --flag a message names is an option tokenwatt accepts. */
function flagsExist(message: string): void {
  const flags = [...message.matchAll(/--([a-z0-9_]+)/g)].map((m) => m[1]!);
  assert.ok(flags.length > 0, message);
  for (const f of flags) assert.ok(findOption(f), `--${f} in "${message}" is not an option`);
}

test("defaults: Vidur's grid (4096 tokens, batch 128, chunk 4096) when the scenario fits in it", () => {
  const g = resolveScenario(resolveOptions({ synthetic_request_generator_config_num_requests: 10 })).opTables;
  assert.equal([g.maxTokens, g.decodeMaxBatch, g.prefillMaxChunk], [4096, 128, 4096]);
});

test("a batch cap of 255 sizes the decode grid to 255: no extra flag needed", () => {
  const run = simulate(resolveOptions(small));
  assert.is(run.scenario.opTables.decodeMaxBatch, 255);
  assert.is((run.summary as { num_completed_requests: number }).num_completed_requests, 600);
});

test("requests longer than 4096 tokens and a larger token budget widen the token, KV and chunk grids", () => {
  const s = resolveScenario(
    resolveOptions({
      ...small,
      concurrency: 4,
      synthetic_request_generator_config_num_requests: 8,
      fixed_request_length_generator_config_prefill_tokens: 6000,
      fixed_request_length_generator_config_decode_tokens: 100,
      vllm_scheduler_config_max_tokens_in_batch: 8192,
      vllm_scheduler_config_batch_size_cap: 4,
    }),
  );
  assert.is(s.opTables.maxTokens, 8192);
  assert.is(s.opTables.prefillMaxChunk, 8192);
  assert.is(s.opTables.decodeMaxBatch, 128);
});

test("an explicit flag wins; the error when the run outgrows it names the grid flag and the batch cap flag", () => {
  try {
    simulate(resolveOptions({ ...small, [`${P}max_batch_size`]: 128 }));
    assert.unreachable("expected an op-table error");
  } catch (e) {
    const m = (e as Error).message;
    assert.match(m, /attn_decode has no entry for batch_size=\d+/);
    assert.match(m, new RegExp(`--${P}max_batch_size`));
    assert.match(m, /--vllm_scheduler_config_batch_size_cap/);
    flagsExist(m);
  }
});

test("token grid too small: the error names --…_prediction_max_tokens_per_request in full", () => {
  try {
    simulate(
      resolveOptions({
        ...small,
        concurrency: 2,
        vllm_scheduler_config_batch_size_cap: 2,
        fixed_request_length_generator_config_prefill_tokens: 1000,
        synthetic_request_generator_config_num_requests: 4,
        [`${P}max_tokens_per_request`]: 512,
      }),
    );
    assert.unreachable("expected an op-table error");
  } catch (e) {
    const m = (e as Error).message;
    assert.match(m, new RegExp(`--${P}max_tokens_per_request`));
    flagsExist(m);
  }
});

test.run();
