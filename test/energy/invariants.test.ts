import { test } from "uvu";
import * as assert from "uvu/assert";
import { runEngine } from "../../src/engine/engine.js";
import { energyReport } from "../../src/metrics/energy-accounting.js";
import { simulate } from "../../src/simulate.js";
import { options, relErr, scenario, sum } from "./helpers.js";

const CASES: [string, Record<string, unknown>][] = [
  ["vllm TP1", {}],
  ["sarathi TP2", { replica_scheduler_config_type: "sarathi", replica_config_tensor_parallel_size: 2 }],
  ["vllm PP2 x 2 replicas", { replica_config_num_pipeline_stages: 2, cluster_config_num_replicas: 2 }],
  ["time limit cuts stages", { time_limit: 3.3 }],
  ["phase model", { power_model: "phase" }],
  ["mfu model", { power_model: "mfu" }],
  ["orca", { replica_scheduler_config_type: "orca" }],
  [
    "faster_transformer",
    {
      replica_scheduler_config_type: "faster_transformer",
      random_forrest_execution_time_predictor_config_prediction_max_tokens_per_request: 4096,
    },
  ],
  ["lightllm", { replica_scheduler_config_type: "lightllm", lightllm_scheduler_config_block_size: 1 }],
  ["power cap", { power_cap_w: 300 }],
];

for (const [name, extra] of CASES) {
  test(`per-request energies + idle energy = total GPU energy (${name})`, () => {
    const run = simulate(options(extra));
    const e = run.result.energy!;
    const rep = energyReport(run.scenario, run.result)!;
    const perRequest = sum(e.requestEnergyJ);
    assert.ok(relErr(perRequest + rep.totals.idleJ, rep.totals.gpuJ) < 1e-9, `${perRequest} + ${rep.totals.idleJ} vs ${rep.totals.gpuJ}`);
    assert.ok(rep.totals.idleJ > 0);
    // the timeline integrates to the total (energy and emissions)
    const tl = rep.timeline.columns;
    const col = (n: string) => tl.find((c) => c.name === n)!.data as Float64Array;
    assert.ok(relErr(sum(col("gpu_energy_j")), rep.totals.gpuJ) < 1e-9, "timeline energy");
    assert.ok(relErr(sum(col("operational_co2_g")), rep.totals.operationalG) < 1e-9, "timeline emissions");
    // average power × duration = energy
    const s = run.summary as { energy: { avg_power_w_per_gpu: number; duration_s: number; num_gpus: number; gpu_energy_kwh: number } };
    assert.ok(relErr(s.energy.avg_power_w_per_gpu * s.energy.duration_s * s.energy.num_gpus, s.energy.gpu_energy_kwh * 3.6e6) < 1e-12);
    // every GPU of every replica, from 0 to the end: stage records × TP plus gaps at idle power
    const st = run.result.stages;
    const G = run.scenario.tensorParallelSize * run.scenario.numPipelineStages * run.scenario.numReplicas;
    const end = e.endS;
    let busy = 0,
      busyS = 0;
    for (let i = 0; i < st.start.length; i++) {
      const d = Math.min(st.end[i], end) - st.start[i];
      busy += e.stages.powerW[i] * d;
      busyS += d;
    }
    const tp = run.scenario.tensorParallelSize;
    const gap = run.scenario.power!.modelParams.gapW;
    const expect = tp * busy + gap * (G * end - tp * busyS);
    assert.ok(relErr(rep.totals.gpuJ, expect) < 1e-9, `${rep.totals.gpuJ} vs ${expect}`);
    // batch energies are the stage energies of finished batches
    assert.ok(sum(e.batchEnergyJ) <= rep.totals.busyJ * (1 + 1e-12));
  });
}

test("a run with no requests draws idle power × GPUs × duration", () => {
  const s = scenario({ replica_config_tensor_parallel_size: 2, cluster_config_num_replicas: 3, time_limit: 100 });
  s.requests = {
    arrivedAt: new Float64Array(0),
    numPrefillTokens: new Int32Array(0),
    numDecodeTokens: new Int32Array(0),
  } as typeof s.requests;
  const r = runEngine(s);
  const rep = energyReport(s, r)!;
  const want = s.power!.modelParams.gapW * 6 * 100;
  assert.ok(relErr(rep.totals.gpuJ, want) < 1e-12, `${rep.totals.gpuJ} vs ${want}`);
  assert.is(rep.totals.busyJ, 0);
  assert.ok(relErr(rep.totals.idleJ, want) < 1e-12);
  assert.is(rep.timeline.columns[0].data.length, 100);
});

test("doubling TP with the same per-GPU load doubles the GPUs in the energy", () => {
  // idle: exactly twice the GPUs
  const idle = (tp: number) => {
    const s = scenario({ replica_config_tensor_parallel_size: tp, time_limit: 50 });
    s.requests = {
      arrivedAt: new Float64Array(0),
      numPrefillTokens: new Int32Array(0),
      numDecodeTokens: new Int32Array(0),
    } as typeof s.requests;
    return energyReport(s, runEngine(s))!.totals.gpuJ;
  };
  assert.ok(relErr(idle(2), 2 * idle(1)) < 1e-12);
  // busy: same stage times and per-GPU power (phase model, same op tables) → twice the energy
  const s1 = scenario({ power_model: "phase" });
  const s2 = scenario({ power_model: "phase" });
  // TP 2 with the TP-1 op tables and a free all-reduce: per-GPU work and times unchanged, twice the GPUs
  s2.tensorParallelSize = 2;
  s2.opTables.tokenOps.all_reduce = new Float64Array(s2.opTables.maxTokens + 1);
  s2.predictor = { ...s2.predictor, ncclCpuLaunchOverheadMs: 0, ncclCpuSkewOverheadPerDeviceMs: 0 };
  s2.power = { ...s2.power!, gpusPerStage: 2 };
  const r1 = runEngine(s1),
    r2 = runEngine(s2);
  assert.equal(Array.from(r2.requests.completedAt), Array.from(r1.requests.completedAt));
  const e1 = energyReport(s1, r1)!.totals,
    e2 = energyReport(s2, r2)!.totals;
  assert.ok(relErr(e2.gpuJ, 2 * e1.gpuJ) < 1e-12, `${e2.gpuJ} vs 2 × ${e1.gpuJ}`);
  assert.ok(relErr(e2.busyJ, 2 * e1.busyJ) < 1e-12);
});

test("energy accounting never changes simulated times (no cap)", () => {
  for (const extra of [{}, { replica_scheduler_config_type: "sarathi", replica_config_num_pipeline_stages: 2 }]) {
    const on = simulate(options(extra));
    const off = simulate(options({ ...extra, energy: false }));
    assert.is(off.result.energy, undefined);
    assert.equal(Array.from(on.result.requests.completedAt), Array.from(off.result.requests.completedAt));
    assert.equal(Array.from(on.result.batches.completedAt), Array.from(off.result.batches.completedAt));
    assert.is(on.result.makespan, off.result.makespan);
  }
});

test("host power and PUE: facility = (GPU + host) × PUE", () => {
  const run = simulate(options({ replica_config_device: "h100", replica_config_network_device: "h100_dgx", host_power: "node", pue: 1.3 }));
  const rep = energyReport(run.scenario, run.result)!;
  const host = (2800 - 8 * 75) / 8;
  assert.is(run.scenario.power!.hostWPerGpu, host);
  assert.ok(relErr(rep.totals.hostJ, host * run.result.energy!.endS) < 1e-12);
  assert.ok(relErr(rep.totals.facilityJ, 1.3 * (rep.totals.gpuJ + rep.totals.hostJ)) < 1e-12);
});

test.run();
