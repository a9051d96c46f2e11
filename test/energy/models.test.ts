import { test } from "uvu";
import * as assert from "uvu/assert";
import { POWER_MODEL_REGISTRY } from "../../src/plugins/power-models/index.js";
import { loadPowerProfile } from "../../src/profiles/power-profiles.js";
import { stageWork, workCoefficients } from "../../src/energy/work.js";
import { decodeAttnCost, prefillAttnCost, shardModel, tokenOpCost } from "../../src/predictor/op-costs.js";
import { findDevice, findModel } from "../../src/profiles/catalog.js";
import { simulate } from "../../src/simulate.js";
import { options, relErr } from "./helpers.js";

const load = (o: Partial<{ computeUtil: number; memoryUtil: number; prefillShare: number; vidurMfu: number }>) => ({
  computeUtil: 0,
  memoryUtil: 0,
  prefillShare: 0,
  vidurMfu: 0,
  ...o,
});

test("mfu model reproduces Vidur-Energy's curve with MFU as a fraction", () => {
  const m = POWER_MODEL_REGISTRY.mfu;
  const a100 = findDevice("a100");
  const p = m.params(a100, loadPowerProfile(a100));
  const at = (u: number) => m.power(p, load({ vidurMfu: u }));
  assert.is(at(0), 100);
  assert.ok(Math.abs(at(0.1) - 204.7) < 0.05, `${at(0.1)}`);
  assert.ok(Math.abs(at(0.2) - 270.1) < 0.05);
  assert.ok(Math.abs(at(0.3) - 325.9) < 0.05);
  assert.is(at(0.45), 400);
  assert.is(at(0.9), 400);
  const h100 = findDevice("h100");
  const ph = m.params(h100, loadPowerProfile(h100));
  assert.ok(Math.abs(m.power(ph, load({ vidurMfu: 0.1 })) - 283.3) < 0.05);
  assert.ok(Math.abs(m.power(ph, load({ vidurMfu: 0.01 })) - 104.6) < 0.05);
  assert.is(ph.gapW, 60);
});

test("phase model reproduces Splitwise's constants and mixes by token share", () => {
  const m = POWER_MODEL_REGISTRY.phase;
  for (const [dev, idle, prefill, decode] of [
    ["h100", 75, 700, 380],
    ["a100", 63, 400, 250],
  ] as const) {
    const d = findDevice(dev);
    const p = m.params(d, loadPowerProfile(d));
    assert.is(p.gapW, idle);
    assert.is(m.power(p, load({ prefillShare: 1 })), prefill);
    assert.is(m.power(p, load({ prefillShare: 0 })), decode);
    assert.is(m.power(p, load({ prefillShare: 0.25 })), 0.25 * prefill + 0.75 * decode);
  }
});

test("roofline curve: memory-bound decode draws a large share of TDP, compute-bound prefill saturates", () => {
  const m = POWER_MODEL_REGISTRY.roofline;
  const d = findDevice("h100");
  const p = m.params(d, loadPowerProfile(d));
  assert.is(p.gapW, 115);
  const decode = m.power(p, load({ memoryUtil: 0.65, computeUtil: 0.01 }));
  assert.ok(decode > 0.5 * 700 && decode < 0.8 * 700, `${decode}`);
  assert.is(m.power(p, load({ memoryUtil: 0.1, computeUtil: 0.7 })), 700);
  assert.is(m.power(p, load({})), 115);
});

for (const model of ["roofline", "phase", "mfu"] as const) {
  test(`engine stage powers equal the TypeScript model (${model})`, () => {
    const run = simulate(
      options({
        power_model: model,
        replica_config_device: "h100",
        replica_config_network_device: "h100_dgx",
        replica_scheduler_config_type: "sarathi",
      }),
    );
    const e = run.result.energy!;
    const st = run.result.stages;
    const params = run.scenario.power!.modelParams;
    const pm = POWER_MODEL_REGISTRY[model];
    const b = run.result.batches;
    const prefillShare = new Map<number, number>();
    for (let i = 0; i < b.id.length; i++) prefillShare.set(b.id[i], b.numPrefillTokens[i] / b.numTokens[i]);
    let checked = 0;
    for (let i = 0; i < st.start.length; i++) {
      const share = prefillShare.get(st.batchId[i]);
      if (share === undefined) continue;
      const want = pm.power(params, {
        computeUtil: e.stages.computeUtil[i],
        memoryUtil: e.stages.memoryUtil[i],
        prefillShare: share,
        vidurMfu: st.mfu[i] / 100,
      });
      assert.ok(relErr(e.stages.powerW[i], want) < 1e-12, `stage ${i}: ${e.stages.powerW[i]} vs ${want}`);
      checked++;
    }
    assert.ok(checked > 50);
  });
}

test("work coefficients agree with the roofline's op costs", () => {
  const model = findModel("llama-3.1-8b");
  for (const [tp, pp] of [
    [1, 1],
    [2, 2],
  ]) {
    const w = workCoefficients(model, tp, pp);
    const s = shardModel(model, tp);
    const L = Math.floor(model.num_layers / pp);
    const reqs = [
      { c: 1, kv: 700 },
      { c: 1, kv: 33 },
      { c: 300, kv: 0 },
      { c: 128, kv: 512 },
    ];
    const T = reqs.reduce((a, r) => a + r.c, 0);
    let flops = 0,
      bytes = 0;
    for (const op of [
      "attn_pre_proj",
      "attn_post_proj",
      "attn_rope",
      "input_layernorm",
      "mlp_up_proj",
      "mlp_down_proj",
      "mlp_act",
      "post_attention_layernorm",
      "add",
      "attn_kv_cache_save",
    ] as const) {
      const c = tokenOpCost(s, op, T);
      flops += c.flops;
      bytes += c.bytes;
    }
    for (const r of reqs) {
      const a = r.c === 1 ? decodeAttnCost(s, 1, r.kv) : prefillAttnCost(s, r.kv, r.c);
      flops += a.flops;
      bytes += a.bytes;
    }
    const got = stageWork(w, reqs);
    assert.ok(relErr(got.flops, L * flops) < 1e-12, `flops ${got.flops} vs ${L * flops}`);
    assert.ok(relErr(got.bytes, L * bytes) < 1e-12, `bytes ${got.bytes} vs ${L * bytes}`);
  }
});

test("a power cap lowers stage power and stretches compute-bound stages only", () => {
  const base = { replica_config_device: "h100", replica_config_network_device: "h100_dgx", replica_scheduler_config_type: "sarathi" };
  const free = simulate(options(base));
  const capped = simulate(options({ ...base, power_cap_w: 450 }));
  const ef = free.result.energy!,
    ec = capped.result.energy!;
  assert.ok(ef.peakPowerW > 450);
  assert.ok(capped.result.makespan > free.result.makespan, "compute-bound prefills take longer");
  for (let i = 0; i < ec.stages.powerW.length; i++) {
    // the cap holds wherever the memory-bound part alone is below it (clock above its floor)
    if (ec.stages.clock[i] > run_min(capped)) assert.ok(ec.stages.powerW[i] <= 450 + 1e-9, `stage ${i} ${ec.stages.powerW[i]}`);
  }
  const clocked = simulate(options({ ...base, gpu_clock_fraction: 0.7 }));
  assert.ok(clocked.result.makespan > free.result.makespan);
  assert.ok(clocked.result.energy!.peakPowerW < ef.peakPowerW);
});
test("a cap below the memory-bound power is reported as not attained, with the peak", () => {
  const base = { replica_config_device: "h100", replica_config_network_device: "h100_dgx" };
  const summary = (cap: number) =>
    simulate(options({ ...base, power_cap_w: cap })).summary as { energy: { power_cap_attained: boolean | null; note: string } };
  const low = summary(150).energy;
  assert.is(low.power_cap_attained, false);
  assert.match(low.note, /The 150 W cap was not attained by every stage \(peak \d+\.\d W\)/);
  const high = summary(700).energy;
  assert.is(high.power_cap_attained, true);
  assert.not.match(high.note, /not attained/);
  assert.is((simulate(options(base)).summary as { energy: { power_cap_attained: unknown } }).energy.power_cap_attained, null);
});

function run_min(r: ReturnType<typeof simulate>): number {
  return r.scenario.power!.minClockFraction;
}

test.run();
