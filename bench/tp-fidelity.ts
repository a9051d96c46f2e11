/**
 * What Vidur's public profiles say about the roofline's error as tensor parallelism grows (issue 15 item 3;
 * docs/predictor.md "Tensor parallelism: what the public data supports", bench/RESULTS.md).
 *
 *   node --import tsx bench/tp-fidelity.ts [--shared DIR] [--only 1,2,3,4]   (sections; default all, ~25 min on 2 shared vCPUs)
 *
 * 1. Kernel level, leave one TP out: each token op's efficiencies refitted without TP p, then the layer's
 *    summed kernel time (all nine mlp.csv ops) predicted for every profiled model at TP p, against the summed
 *    measured medians; signed median and MAPE for decode-sized (T <= 256) and prefill-sized (T >= 512) rows.
 * 2. All-reduce: latency-floor structures (flat, + log2 p, ring + 2(p-1)·α) fitted on two worker counts of a
 *    node and tested on the third; signed error of the shipped per-count fits by message size.
 * 3. GEMM efficiency with a per-GPU output-width factor N/(N + n_half), leave one TP out (vs the shipped form).
 * 4. Rank skew from kernel jitter (rank-skew.ts) and its effect on Llama-2-70B steps at TP 2/4/8.
 * DIR defaults to ../shared next to the repository (or $TOKENWATT_SHARED_DIR).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { median } from "simple-statistics";
import { packageRoot } from "../src/core/repo-root.js";
import type { TokenOp } from "../src/core/types.js";
import { deviceSamples, fitEfficiency } from "../src/predictor/calibrate.js";
import { alphaBetaAllReduceMs, allReduceTimeMs, ringLink } from "../src/predictor/collectives.js";
import { type EfficiencyProfile, type NetworkProfile, type OpEfficiency, opTimeMs } from "../src/predictor/efficiency.js";
import { nelderMead } from "../src/predictor/nelder-mead.js";
import { qkvWidth, tokenOpCost } from "../src/predictor/op-costs.js";
import type { Sample } from "../src/predictor/profile-samples.js";
import { mlpShard } from "../src/predictor/profile-samples.js";
import { MLP_OPS, readCollectiveProfile, readMlpProfile } from "../src/predictor/profiling-data.js";
import { expectedMaxStdNormal, rankSkewFactor } from "../src/predictor/rank-skew.js";
import { makeRoofline } from "../src/predictor/roofline.js";
import { findDevice, findModel, findNode } from "../src/profiles/catalog.js";

const argv = process.argv.slice(2);
const arg = (f: string) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);
const shared = resolve(arg("--shared") ?? process.env.TOKENWATT_SHARED_DIR ?? join(packageRoot(), "..", "shared"));
const profileDir = join(shared, "data", "vidur", "profiling");
const profiles = join(packageRoot(), "profiles");
const f1 = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(1);
const shipped = (device: string) => JSON.parse(readFileSync(join(profiles, "efficiency", `${device}.json`), "utf8")) as EfficiencyProfile;
const t0 = Date.now();
const only = arg("--only")?.split(",");
const section = (n: number) => !only || only.includes(String(n));

// 1. Layer sums, leave one TP out.
if (section(1)) console.log("## 1. Kernel-level layer time vs Vidur's profiles, leave one TP out (signed median % / MAPE %)\n");
if (section(1))
  console.log(
    "| device | TP | rows T<=256 | decode-sized | rows T>=512 | prefill-sized | Llama-2-70B decode-sized | Llama-2-70B prefill-sized |\n" +
      "|---|---|---|---|---|---|---|---|",
  );
for (const device of section(1) ? ["a100", "h100", "a40"] : []) {
  const spec = findDevice(device);
  const bw = spec.memory_bandwidth_gbps!;
  const eff = shipped(device);
  const samples = deviceSamples(profileDir, device);
  const root = join(profileDir, "compute", device);
  const files: Array<{ name: string; file: string; rotary: number }> = [];
  for (const org of readdirSync(root).sort())
    for (const model of readdirSync(join(root, org)).sort()) {
      const file = join(root, org, model, "mlp.csv");
      if (!existsSync(file)) continue;
      let rotary = 1;
      try {
        rotary = findModel(`${org}/${model}`).partial_rotary_factor ?? 1;
      } catch {
        /* unknown model: full rotary */
      }
      files.push({ name: `${org}/${model}`, file, rotary });
    }
  for (const tp of [1, 2, 4, 8]) {
    const fits: Record<string, OpEfficiency> = {};
    for (const op of MLP_OPS) {
      const s = samples.get(op)?.filter((x) => x.tp !== tp);
      if (s?.length && eff.ops[op]) fits[op] = fitEfficiency(s, spec.fp16_tflops, bw, eff.ops[op]);
    }
    const err = { dec: [] as number[], pre: [] as number[], dec70: [] as number[], pre70: [] as number[] };
    for (const f of files) {
      const p = readMlpProfile(f.file);
      for (let i = 0; i < p.rows; i++) {
        if (p.tp[i] !== tp) continue;
        const T = p.numTokens[i]!;
        const shard = mlpShard(p, i, f.rotary);
        let measured = 0;
        let predicted = 0;
        for (const op of MLP_OPS) {
          const m = p.ops[op][i]!;
          if (!(m > 0) || !fits[op]) continue;
          measured += m;
          predicted += opTimeMs(tokenOpCost(shard, op as TokenOp, T), T, spec.fp16_tflops, bw, fits[op]!);
        }
        const e = 100 * (predicted / measured - 1);
        const is70 = f.name === "meta-llama/Llama-2-70b-hf";
        if (T <= 256) (is70 ? err.dec70 : err.dec).push(e);
        if (T >= 512) (is70 ? err.pre70 : err.pre).push(e);
      }
    }
    err.dec.push(...err.dec70);
    err.pre.push(...err.pre70);
    const cell = (a: number[]) => (a.length ? `${f1(median(a))} / ${(a.reduce((s, x) => s + Math.abs(x), 0) / a.length).toFixed(1)}` : "—");
    console.log(
      `| ${device} | ${tp} | ${err.dec.length} | ${cell(err.dec)} | ${err.pre.length} | ${cell(err.pre)} | ${cell(err.dec70)} | ${cell(err.pre70)} |`,
    );
  }
}

// 2. All-reduce structure.
if (section(2))
  console.log("\n## 2. All-reduce latency floor: structure fitted on two worker counts, held-out MAPE % (all sizes / <= 4 MB)\n");
if (section(2)) console.log("| node | form | α fitted on all counts (µs) | held out TP2 | TP4 | TP8 |\n|---|---|---|---|---|---|");
type Form = "flat" | "log2" | "ring";
const floorUs = (form: Form, p: number[], n: number) =>
  Math.exp(p[0]!) + (form === "log2" ? p[1]! * Math.log2(n) : form === "ring" ? 2 * (n - 1) * p[1]! : 0);
for (const nodeName of section(2) ? ["a100_dgx", "h100_dgx"] : []) {
  const node = findNode(nodeName);
  const c = readCollectiveProfile(join(profileDir, "network", nodeName, "all_reduce.csv"), "all_reduce");
  const rows: Array<[number, number]> = [];
  for (let i = 0; i < c.rows; i++) if (c.devicesPerNode[i] === c.numWorkers[i] && c.median[i]! > 0) rows.push([c.numWorkers[i]!, i]);
  const time = (form: Form, p: number[], n: number, i: number) =>
    alphaBetaAllReduceMs(c.sizeBytes[i]!, n, ringLink(node, n), {
      alpha_us: floorUs(form, p, n),
      alpha_log2_us: 0,
      bandwidth_eff: Math.exp(p[2]!),
    });
  const fit = (form: Form, use: Array<[number, number]>) => {
    const loss = (p: number[]) => {
      let l = 0;
      for (const [n, i] of use) {
        const t = time(form, p, n, i);
        l += t > 0 ? Math.abs(Math.log(t / c.median[i]!)) : 1e3;
      }
      return l / use.length;
    };
    const start = [Math.log(20), 0, Math.log(0.6)];
    const r = nelderMead((p) => loss(form === "flat" ? [p[0]!, 0, p[1]!] : p), form === "flat" ? [start[0]!, start[2]!] : start, {
      maxIter: 2000,
    });
    const r2 = nelderMead((p) => loss(form === "flat" ? [p[0]!, 0, p[1]!] : p), r.x, { step: 0.1, maxIter: 2000 });
    return form === "flat" ? [r2.x[0]!, 0, r2.x[1]!] : r2.x;
  };
  const mapeOn = (form: Form, p: number[], use: Array<[number, number]>) =>
    (100 * use.reduce((s, [n, i]) => s + Math.abs(time(form, p, n, i) / c.median[i]! - 1), 0)) / use.length;
  for (const form of ["flat", "log2", "ring"] as Form[]) {
    const all = fit(form, rows);
    const alpha = [2, 4, 8].map((n) => floorUs(form, all, n).toFixed(1)).join(" / ");
    const cells = [2, 4, 8].map((n) => {
      const p = fit(
        form,
        rows.filter(([k]) => k !== n),
      );
      const held = rows.filter(([k]) => k === n);
      const small = held.filter(([, i]) => c.sizeBytes[i]! <= 4 << 20);
      return `${mapeOn(form, p, held).toFixed(1)} / ${mapeOn(form, p, small).toFixed(1)}`;
    });
    console.log(`| ${nodeName} | ${form} | ${alpha} (TP2/4/8) | ${cells.join(" | ")} |`);
  }
}
if (section(2)) console.log("\nShipped per-count fits (profiles/efficiency/network), signed median error % by message size:\n");
if (section(2)) console.log("| node | TP | < 1 MB | 1–8 MB | 8–32 MB | 32–64 MB |\n|---|---|---|---|---|---|");
for (const nodeName of section(2) ? ["a100_dgx", "h100_dgx"] : []) {
  const node = findNode(nodeName);
  const net = JSON.parse(readFileSync(join(profiles, "efficiency", "network", `${nodeName}.json`), "utf8")) as NetworkProfile;
  const c = readCollectiveProfile(join(profileDir, "network", nodeName, "all_reduce.csv"), "all_reduce");
  for (const n of [2, 4, 8]) {
    const bands = [0, 1 << 20, 8 << 20, 32 << 20, Number.POSITIVE_INFINITY].slice(0, 5);
    const cells: string[] = [];
    for (let b = 0; b < 4; b++) {
      const e: number[] = [];
      for (let i = 0; i < c.rows; i++)
        if (c.numWorkers[i] === n && c.devicesPerNode[i] === n && c.sizeBytes[i]! >= bands[b]! && c.sizeBytes[i]! < bands[b + 1]!)
          e.push(100 * (allReduceTimeMs(c.sizeBytes[i]!, n, node, net) / c.median[i]! - 1));
      cells.push(e.length ? f1(median(e)) : "—");
    }
    console.log(`| ${nodeName} | ${n} | ${cells.join(" | ")} |`);
  }
}

// 3. GEMM output-width factor.
if (section(3)) {
  console.log("\n## 3. GEMMs: efficiency × N/(N + n_half) on the per-GPU output width N, leave one TP out (MAPE %)\n");
  console.log("| device | op | shipped form: TP1 / TP2 / TP4 / TP8 | with N factor | fitted n_half |\n|---|---|---|---|---|");
  const width = (op: string, s: Sample) =>
    op === "attn_pre_proj" ? qkvWidth(s.shard) : op === "mlp_up_proj" ? (s.shard.gated ? 2 : 1) * s.shard.inter : s.shard.hidden;
  for (const device of ["a100", "h100"]) {
    const spec = findDevice(device);
    const bw = spec.memory_bandwidth_gbps!;
    const eff = shipped(device);
    const all = deviceSamples(profileDir, device);
    for (const op of ["attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj"]) {
      const ss = all.get(op)!.map((s) => ({ s, n: width(op, s) }));
      type E = OpEfficiency & { nHalf: number };
      const t = (x: { s: Sample; n: number }, e: E) =>
        opTimeMs(x.s, x.s.size, spec.fp16_tflops, bw, { ...e, compute_eff: e.compute_eff * (x.n / (x.n + e.nHalf)) });
      const dec = (p: number[]): E => ({
        compute_eff: Math.min(1, Math.exp(p[0]!)),
        half_size: Math.exp(p[1]!),
        memory_eff: Math.min(1, Math.exp(p[2]!)),
        overhead_us: Math.exp(p[3]!),
        nHalf: Math.exp(p[4]!),
      });
      const fitN = (use: typeof ss, start: OpEfficiency, nHalf0: number[]): E => {
        const loss = (p: number[]) => {
          const e = dec(p);
          return use.reduce((l, x) => l + Math.abs(Math.log(t(x, e) / x.s.ms)), 0) / use.length;
        };
        let best = { x: [] as number[], fx: Number.POSITIVE_INFINITY };
        for (const h of nHalf0) {
          const x0 = [
            Math.log(start.compute_eff * 1.1),
            Math.log(start.half_size),
            Math.log(start.memory_eff),
            Math.log(start.overhead_us),
            Math.log(h),
          ];
          const r = nelderMead(loss, nelderMead(loss, x0, { maxIter: 1500 }).x, { step: 0.1, maxIter: 1500 });
          if (r.fx < best.fx) best = r;
        }
        return dec(best.x);
      };
      const mapeOf = (use: typeof ss, f: (x: { s: Sample; n: number }) => number) =>
        (100 * use.reduce((a, x) => a + Math.abs(f(x) / x.s.ms - 1), 0)) / use.length;
      const full = fitN(ss, eff.ops[op]!, [64, 128, 512]);
      const base: string[] = [];
      const withN: string[] = [];
      for (const tp of [1, 2, 4, 8]) {
        const train = ss.filter((x) => x.s.tp !== tp);
        const held = ss.filter((x) => x.s.tp === tp);
        const e0 = fitEfficiency(
          train.map((x) => x.s),
          spec.fp16_tflops,
          bw,
          eff.ops[op],
        );
        base.push(mapeOf(held, (x) => opTimeMs(x.s, x.s.size, spec.fp16_tflops, bw, e0)).toFixed(2));
        const e1 = fitN(train, full, [full.nHalf]);
        withN.push(mapeOf(held, (x) => t(x, e1)).toFixed(2));
      }
      console.log(`| ${device} | ${op} | ${base.join(" / ")} | ${withN.join(" / ")} | ${full.nHalf.toPrecision(3)} |`);
    }
  }
}

// 4. Rank skew.
if (section(4)) rankSkewSection();
console.log(`\n(${((Date.now() - t0) / 1000).toFixed(0)} s)`);

function rankSkewSection(): void {
  console.log("\n## 4. Rank skew from kernel jitter\n");
  console.log("| device | rank_jitter.rel_std | by TP (1/2/4/8) | skew factor TP2 / TP4 / TP8 |\n|---|---|---|---|");
  for (const device of ["a100", "h100", "a40"]) {
    const j = shipped(device).rank_jitter;
    if (!j) continue;
    console.log(
      `| ${device} | ${j.rel_std} | ${Object.values(j.by_tp).join(" / ")} | ${[2, 4, 8].map((p) => rankSkewFactor(p, j.rel_std).toFixed(4)).join(" / ")} |`,
    );
  }
  console.log(`\nE[max of p standard normals]: ${[2, 4, 8, 16].map((p) => `p=${p} ${expectedMaxStdNormal(p).toFixed(4)}`).join(", ")}`);
  console.log("\nLlama-2-70B, one step (80 layers, Vidur's formula incl. its 0.02 ms NCCL launch per all-reduce), roofline:");
  console.log("without → with rank skew (ms)\n");
  console.log("| node | step | TP2 | TP4 | TP8 |\n|---|---|---|---|---|");
  const model = findModel("meta-llama/Llama-2-70b-hf");
  for (const [device, nodeName] of [
    ["a100", "a100_dgx"],
    ["h100", "h100_dgx"],
  ] as const) {
    for (const step of ["decode 32 @ kv 1024", "prefill 8192"]) {
      const cells = [2, 4, 8].map((tp) => {
        const ms = (withSkew: boolean) => {
          const eff = shipped(device);
          if (!withSkew) delete eff.rank_jitter;
          const rf = makeRoofline(model, findDevice(device), findNode(nodeName), { tp, pp: 1, efficiency: eff });
          const T = step.startsWith("decode") ? 32 : 8192;
          let layer = 0;
          for (const op of ["attn_pre_proj", "attn_post_proj", "attn_rope", "input_layernorm", "mlp_up_proj", "mlp_down_proj"] as const)
            layer += rf.tokenOp(op, T).ms;
          for (const op of ["mlp_act", "add", "post_attention_layernorm"] as const) layer += rf.tokenOp(op, T).ms;
          layer += rf.tokenOp("attn_kv_cache_save", T).ms;
          layer += step.startsWith("decode") ? rf.decode(32, 1024).ms * 1.1 : rf.prefillMs(0, 8192);
          layer += 2 * (rf.tokenOp("all_reduce", T).ms + 0.02);
          return layer * model.num_layers;
        };
        const a = ms(false);
        const b = ms(true);
        return `${a.toFixed(1)} → ${b.toFixed(1)} (${f1(100 * (b / a - 1))} %)`;
      });
      console.log(`| ${nodeName} | ${step} | ${cells.join(" | ")} |`);
    }
  }
}
