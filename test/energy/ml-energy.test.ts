// The roofline power model against ML.ENERGY Leaderboard v3 (Llama-3.1-8B, 1×H100 SXM, vLLM, chat):
// per-GPU power within 10 %, J per output token within 25 % (the acceptance; full-size runs and
// figures in bench/energy.mjs and bench/RESULTS.md). Shorter closed-loop runs here keep the test fast.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { simulate } from "../../src/simulate.js";

const TARGETS: [number, number, number][] = [[8, 486, 0.455], [64, 610, 0.119], [256, 690, 0.077]];

for (const [N, watts, jPerToken] of TARGETS) {
  test(`Llama-3.1-8B on 1×H100 at concurrency ${N}: ${watts} W, ${jPerToken} J/token`, () => {
    const run = simulate(resolveOptions({
      replica_config_model_name: "meta-llama/Meta-Llama-3.1-8B", replica_config_device: "h100", replica_config_network_device: "h100_dgx",
      replica_scheduler_config_type: "sarathi", sarathi_scheduler_config_batch_size_cap: 512, sarathi_scheduler_config_chunk_size: 2048,
      random_forrest_execution_time_predictor_config_prediction_max_batch_size: 512,
      request_generator_config_type: "closed_loop", concurrency: N, synthetic_request_generator_config_num_requests: Math.max(6 * N, 150),
      length_generator_config_type: "uniform", uniform_request_length_generator_config_min_tokens: 256,
      uniform_request_length_generator_config_max_tokens: 2048, uniform_request_length_generator_config_prefill_to_decode_ratio: 1,
    }));
    const e = (run.summary as { energy: { avg_power_w_per_gpu: number; j_per_output_token: number } }).energy;
    assert.ok(Math.abs(e.avg_power_w_per_gpu / watts - 1) < 0.1, `power ${e.avg_power_w_per_gpu} W vs ${watts}`);
    assert.ok(Math.abs(e.j_per_output_token / jPerToken - 1) < 0.25, `${e.j_per_output_token} J/token vs ${jPerToken}`);
  });
}

test.run();
