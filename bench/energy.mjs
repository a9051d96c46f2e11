#!/usr/bin/env node
// Energy benchmarks (docs/energy.md, bench/RESULTS.md "## Energy"):
//   node --import tsx bench/energy.mjs            ML.ENERGY check + accounting overhead
//   node --import tsx bench/energy.mjs --fit      re-fit the Hopper roofline curve (prints weights for profiles/power/hopper.json)
// 1. Llama-3.1-8B on 1×H100 SXM, closed loop at concurrency 8/64/256, uniform 256-2048-token requests (P:D 1),
//    sarathi with 2048-token chunks (vLLM V1 mixes chunked prefills into decode batches), roofline predictor:
//    per-GPU power and J per output token against ML.ENERGY Leaderboard v3 (486/610/690 W; 0.455/0.119/0.077 J).
// 2. Overhead: the same engine run with and without energy accounting (median of alternating runs).
import { resolveOptions } from "../src/config/parse.ts";
import { runEngine } from "../src/engine/engine.ts";
import { resolveScenario } from "../src/scenario/resolve.ts";
import { simulate } from "../src/simulate.ts";
import { ML_ENERGY_TARGETS, mlEnergyWorkload } from "../src/cli/ml-energy.ts";

const TARGETS = Object.fromEntries(ML_ENERGY_TARGETS.map((t) => [t.concurrency, { w: t.watts, j: t.joulesPerOutputToken }]));

function chat(N, extra = {}) {
  return resolveOptions({
    ...mlEnergyWorkload(N, Math.max(20 * N, 400)),
    formats: "csv",
    metrics_config_keep_individual_batch_metrics: true,
    ...extra,
  });
}

function mlEnergy() {
  console.log("## ML.ENERGY: Llama-3.1-8B, 1×H100 SXM, closed loop, roofline power model");
  console.log("| concurrency | avg batch | TBT p50 (ms) | output tok/s | power W/GPU | target | err | J/out token | target | err |");
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const N of [8, 64, 256]) {
    const run = simulate(chat(N));
    const s = run.summary;
    const b = run.result.batches;
    let sz = 0,
      tw = 0;
    for (let i = 0; i < b.size.length; i++) {
      const d = b.completedAt[i] - b.scheduledAt[i];
      sz += b.size[i] * d;
      tw += d;
    }
    const w = s.energy.avg_power_w_per_gpu,
      j = s.energy.j_per_output_token,
      t = TARGETS[N];
    const pct = (x, y) => `${((x / y - 1) * 100).toFixed(1)} %`;
    console.log(
      `| ${N} | ${(sz / tw).toFixed(1)} | ${(s.tbt_s.p50 * 1e3).toFixed(2)} | ${s.throughput.decode_tokens_per_s.toFixed(0)} | ${w.toFixed(0)} | ${t.w} | ${pct(w, t.w)} | ${j.toFixed(3)} | ${t.j} | ${pct(j, t.j)} |`,
    );
  }
}

function fit() {
  const targets = Object.fromEntries(ML_ENERGY_TARGETS.map((t) => [t.concurrency, t.watts]));
  const data = [];
  let base = 0,
    max = 0;
  for (const N of [8, 64, 256]) {
    const run = simulate(chat(N, { metrics_config_enable_chrome_trace: true }));
    const st = run.result.energy.stages,
      b = run.result.stages;
    base = run.scenario.power.modelParams.baseW;
    max = run.scenario.power.modelParams.maxW;
    data.push({ N, uc: st.computeUtil, um: st.memoryUtil, d: Float64Array.from(b.end, (e, i) => e - b.start[i]) });
  }
  const avgP = (A, C, x) => {
    let s = 0,
      t = 0;
    for (let i = 0; i < x.d.length; i++) {
      const g = Math.min(1, A * Math.min(1, x.um[i]) + C * Math.min(1, x.uc[i]));
      s += (base + (max - base) * g) * x.d[i];
      t += x.d[i];
    }
    return s / t;
  };
  const err = (A, C) => data.reduce((e, x) => e + (avgP(A, C, x) / targets[x.N] - 1) ** 2, 0);
  let best = [0, 0],
    be = Infinity;
  for (let A = 0.2; A <= 1.6; A += 0.05)
    for (let C = 0; C <= 4; C += 0.1) {
      const e = err(A, C);
      if (e < be) {
        be = e;
        best = [A, C];
      }
    }
  const [A0, C0] = best;
  for (let A = A0 - 0.05; A <= A0 + 0.05; A += 0.0025)
    for (let C = Math.max(0, C0 - 0.1); C <= C0 + 0.1; C += 0.005) {
      const e = err(A, C);
      if (e < be) {
        be = e;
        best = [A, C];
      }
    }
  console.log(
    `fit: mem_weight ${best[0].toFixed(4)} compute_weight ${best[1].toFixed(4)} (exponents 1); powers ${data.map((x) => avgP(best[0], best[1], x).toFixed(1)).join(" / ")} W`,
  );
}

function overhead() {
  const o = resolveOptions({
    replica_scheduler_config_type: process.argv.includes("--vllm") ? "vllm" : "sarathi",
    synthetic_request_generator_config_num_requests: 20000,
    cluster_config_num_replicas: 2,
    poisson_request_interval_generator_config_qps: 8,
    formats: "csv",
  });
  const on = resolveScenario(o);
  const off = { ...on };
  delete off.power;
  const times = { on: [], off: [] };
  for (let k = 0; k < 7; k++) {
    for (const [name, s] of [
      ["off", off],
      ["on", on],
    ])
      times[name].push(runEngine(s).timings.loopMs);
  }
  const med = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const r = runEngine(on);
  console.log(`## Overhead: ${r.counters.batches} batches, ${r.counters.stages} stages, ${r.counters.events} events`);
  console.log(
    `engine loop median: energy off ${med(times.off).toFixed(1)} ms, on ${med(times.on).toFixed(1)} ms → overhead ${((med(times.on) / med(times.off) - 1) * 100).toFixed(1)} %`,
  );
}

if (process.argv.includes("--fit")) fit();
else {
  mlEnergy();
  overhead();
}
