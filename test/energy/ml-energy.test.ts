// The roofline power model against ML.ENERGY Leaderboard v3 (Llama-3.1-8B, 1×H100 SXM, vLLM, chat):
// per-GPU power within 10 %, J per output token within 25 % (the acceptance; full-size runs and
// figures in bench/energy.mjs and bench/RESULTS.md). Shorter closed-loop runs here keep the test fast.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { ML_ENERGY_TARGETS, mlEnergyWorkload } from "../../src/cli/ml-energy.js";
import { simulate } from "../../src/simulate.js";

for (const { concurrency: N, watts, joulesPerOutputToken: jPerToken } of ML_ENERGY_TARGETS) {
  test(`Llama-3.1-8B on 1×H100 at concurrency ${N}: ${watts} W, ${jPerToken} J/token`, () => {
    const run = simulate(resolveOptions(mlEnergyWorkload(N, Math.max(6 * N, 150))));
    const e = (run.summary as { energy: { avg_power_w_per_gpu: number; j_per_output_token: number } }).energy;
    assert.ok(Math.abs(e.avg_power_w_per_gpu / watts - 1) < 0.1, `power ${e.avg_power_w_per_gpu} W vs ${watts}`);
    assert.ok(Math.abs(e.j_per_output_token / jPerToken - 1) < 0.25, `${e.j_per_output_token} J/token vs ${jPerToken}`);
  });
}

test.run();
