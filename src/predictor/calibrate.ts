/**
 * Fits the roofline efficiencies to Vidur's profiling data and writes profiles/efficiency/<device>.json and
 * profiles/efficiency/network/<node>.json, each with its residual error (MAPE) per op.
 * Deterministic: fixed starting points, Nelder–Mead with a fixed budget, files read in sorted order.
 *
 * Usage: npm run calibrate -- [--profile-dir DIR] [--out DIR] [--only compute|network|fixed-costs]   (entry: src/cli/calibrate.ts)
 * (DIR defaults: ../shared/data/vidur/profiling next to the repo, and the repo's profiles/)
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { findDevice, findModel, findNode } from "../profiles/catalog.js";
import { packageRoot } from "../core/repo-root.js";
import { allReduceTimeMs, alphaBetaAllReduceMs, ringLink, sendRecvTimeMs } from "./collectives.js";
import type { AlphaBeta, CollectiveEfficiency, EfficiencyProfile, NetworkProfile, OpEfficiency } from "./efficiency.js";
import { opTimeMs } from "./efficiency.js";
import { nelderMead } from "./nelder-mead.js";
import { attentionSamples, mlpSamples, type Sample } from "./profile-samples.js";
import { MLP_OPS, readAttentionProfile, readCollectiveProfile, readMlpProfile } from "./profiling-data.js";
import { kernelJitter } from "./rank-skew.js";
import { mean } from "simple-statistics";

const sig = (x: number): number => Number(x.toPrecision(4));
const logistic = (p: number): number => 1 / (1 + Math.exp(-p));
const logit = (x: number): number => Math.log(x / (1 - x));

/** Mean absolute percentage error of `pred` against the samples' measured ms. */
export function mape(samples: readonly Sample[], pred: (s: Sample) => number): number {
  return 100 * mean(samples.map((s) => Math.abs(pred(s) - s.ms) / s.ms));
}

/**
 * Least mean |log error| fit of the efficiency parameters for one op on one device: compute_eff, half_size,
 * memory_eff, overhead_us, plus causal_weight when the samples carry causal FLOPs (attn_prefill).
 */
export function fitEfficiency(samples: readonly Sample[], peakTflops: number, bwGbps: number, start?: OpEfficiency): OpEfficiency {
  const causal = samples.some((s) => (s.causalFlops ?? 0) > 0);
  const decode = (p: number[]): OpEfficiency => ({
    compute_eff: logistic(p[0]!),
    half_size: Math.exp(p[1]!),
    memory_eff: logistic(p[2]!),
    overhead_us: Math.exp(p[3]!),
    ...(causal ? { causal_weight: Math.exp(p[4]!) } : {}),
  });
  const loss = (p: number[]): number => {
    const e = decode(p);
    let l = 0;
    for (const s of samples) l += Math.abs(Math.log(opTimeMs(s, s.size, peakTflops, bwGbps, e) / s.ms));
    return l / samples.length;
  };
  // Fixed starts (compute-leaning, memory-leaning; causal weight 1 and 2); keep the better.
  const base = [
    [logit(0.6), Math.log(32), logit(0.7), Math.log(5)],
    [logit(0.3), Math.log(4), logit(0.4), Math.log(2)],
  ];
  const starts = causal
    ? base.flatMap((b) => [
        [...b, 0],
        [...b, Math.log(2)],
      ])
    : base;
  // A given start (e.g. a previous fit) replaces the fixed starts: only the polish below runs.
  const clampP = (x: number) => Math.min(1 - 1e-6, Math.max(1e-6, x));
  let best = start
    ? {
        x: [
          logit(clampP(start.compute_eff)),
          Math.log(Math.max(start.half_size, 1e-9)),
          logit(clampP(start.memory_eff)),
          Math.log(Math.max(start.overhead_us, 1e-9)),
          ...(causal ? [Math.log(start.causal_weight ?? 1)] : []),
        ],
        fx: 0,
      }
    : nelderMead(loss, starts[0]!, { maxIter: 1500 });
  for (const s of start ? [] : starts.slice(1)) {
    const r = nelderMead(loss, s, { maxIter: 1500 });
    if (r.fx < best.fx) best = r;
  }
  // Polish from the best point.
  best = nelderMead(loss, best.x, { step: 0.1, maxIter: 1500 });
  const e = decode(best.x);
  return {
    compute_eff: sig(e.compute_eff),
    half_size: sig(e.half_size),
    memory_eff: sig(e.memory_eff),
    overhead_us: sig(e.overhead_us),
    ...(e.causal_weight !== undefined ? { causal_weight: sig(e.causal_weight) } : {}),
  };
}

/** All compute samples of one Vidur device directory, per op. */
export function deviceSamples(profileDir: string, device: string): Map<string, Sample[]> {
  const byOp = new Map<string, Sample[]>();
  const push = (op: string, s: Sample[]): void => void byOp.set(op, [...(byOp.get(op) ?? []), ...s]);
  const root = join(profileDir, "compute", device);
  for (const org of readdirSync(root).sort()) {
    for (const model of readdirSync(join(root, org)).sort()) {
      const dir = join(root, org, model);
      let rotary = 1;
      try {
        rotary = findModel(`${org}/${model}`).partial_rotary_factor ?? 1;
      } catch {
        /* unknown model: shapes come from the CSV; full rotary assumed */
      }
      if (existsSync(join(dir, "mlp.csv"))) {
        const p = readMlpProfile(join(dir, "mlp.csv"));
        for (const op of MLP_OPS) push(op, mlpSamples(p, op, rotary));
      }
      if (existsSync(join(dir, "attention.csv"))) {
        const a = readAttentionProfile(join(dir, "attention.csv"));
        push("attn_prefill", attentionSamples(a, "attn_prefill"));
        push("attn_decode", attentionSamples(a, "attn_decode"));
      }
    }
  }
  return byOp;
}

export function calibrateDevice(profileDir: string, device: string, attentionFallback?: EfficiencyProfile): EfficiencyProfile {
  const spec = findDevice(device);
  const bw = spec.memory_bandwidth_gbps!;
  const samples = deviceSamples(profileDir, device);
  const ops: EfficiencyProfile["ops"] = {};
  const residuals: NonNullable<EfficiencyProfile["residuals"]> = {};
  for (const [op, s] of [...samples.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (s.length === 0) continue;
    const e = fitEfficiency(s, spec.fp16_tflops, bw);
    ops[op] = e;
    residuals[op] = { mape_pct: sig(mape(s, (x) => opTimeMs(x, x.size, spec.fp16_tflops, bw, e))), rows: s.length, fitted_on: device };
  }
  // Attention is only profiled on some devices; efficiencies are fractions of peak, so borrow them.
  for (const op of ["attn_prefill", "attn_decode"]) {
    if (!ops[op] && attentionFallback?.ops[op]) ops[op] = { ...attentionFallback.ops[op]!, fitted_on: attentionFallback.device };
  }
  // No profile has attn_kv_cache_save: a memory-bound copy like add.
  if (!ops.attn_kv_cache_save && ops.add)
    ops.attn_kv_cache_save = { ...ops.add, fitted_on: `${device} add (no attn_kv_cache_save profile)` };
  return {
    device,
    source: `fitted by src/predictor/calibrate.ts to microsoft/vidur data/profiling/compute/${device}/** (median times); peak ${spec.fp16_tflops} TFLOP/s, ${bw} GB/s`,
    ops,
    residuals,
    rank_jitter: kernelJitter(profileDir, device),
  };
}

export function calibrateNetwork(profileDir: string, nodeName: string): NetworkProfile {
  const node = findNode(nodeName);
  const dir = join(profileDir, "network", nodeName);
  const collectives: NetworkProfile["collectives"] = {};
  let allReduceAlphaBeta: AlphaBeta | undefined;
  const fit2 = (time: (e: CollectiveEfficiency, i: number) => number, idx: number[], ms: Float64Array) => {
    const dec = (p: number[]): CollectiveEfficiency => ({ latency_us: Math.exp(p[0]!), bandwidth_eff: Math.exp(p[1]!) });
    const loss = (p: number[]) => idx.reduce((l, i) => l + Math.abs(Math.log(time(dec(p), i) / ms[i]!)), 0) / idx.length;
    const r = nelderMead(loss, [Math.log(10), Math.log(0.5)], { maxIter: 800 });
    const e = dec(nelderMead(loss, r.x, { step: 0.1, maxIter: 800 }).x);
    const out = { latency_us: sig(e.latency_us), bandwidth_eff: sig(e.bandwidth_eff) };
    const err = mean(idx.map((i) => Math.abs(time(out, i) - ms[i]!) / ms[i]!));
    return { ...out, mape_pct: sig(100 * err), rows: idx.length };
  };
  if (existsSync(join(dir, "all_reduce.csv"))) {
    const c = readCollectiveProfile(join(dir, "all_reduce.csv"), "all_reduce");
    const groups = new Map<number, number[]>();
    // Vidur trains on rows whose devices_per_node equals the worker count (a single node).
    for (let i = 0; i < c.rows; i++)
      if (c.devicesPerNode[i] === c.numWorkers[i] && c.median[i]! > 0)
        groups.set(c.numWorkers[i]!, [...(groups.get(c.numWorkers[i]!) ?? []), i]);
    collectives.all_reduce = {};
    for (const [n, idx] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
      collectives.all_reduce[String(n)] = fit2(
        (e, i) =>
          allReduceTimeMs(c.sizeBytes[i]!, n, node, { node: nodeName, source: "", collectives: { all_reduce: { [String(n)]: e } } }),
        idx,
        c.median,
      );
    }
    if (groups.size >= 2) allReduceAlphaBeta = fitAlphaBeta(node, groups, c.sizeBytes, c.median);
  }
  if (existsSync(join(dir, "send_recv.csv"))) {
    const c = readCollectiveProfile(join(dir, "send_recv.csv"), "send_recv");
    collectives.send_recv = {};
    for (const [key, dpn] of [
      ["intra", 2],
      ["inter", 1],
    ] as const) {
      const idx: number[] = [];
      for (let i = 0; i < c.rows; i++) if (c.devicesPerNode[i] === dpn && c.median[i]! > 0) idx.push(i);
      if (idx.length === 0) continue;
      const cross = key === "inter";
      collectives.send_recv[key] = fit2(
        (e, i) => sendRecvTimeMs(c.sizeBytes[i]!, 1, cross, node, { node: nodeName, source: "", collectives: { send_recv: { [key]: e } } }),
        idx,
        c.median,
      );
    }
  }
  return {
    node: nodeName,
    source: `fitted by src/predictor/calibrate.ts to microsoft/vidur data/profiling/network/${nodeName}/*.csv (median times) against the nominal links of profiles/nodes/${nodeName}.json`,
    collectives,
    ...(allReduceAlphaBeta ? { all_reduce_alpha_beta: allReduceAlphaBeta } : {}),
  };
}

/**
 * One α–β all-reduce model for every worker count of a node (AlphaBeta), least mean |log error| over all
 * profiled counts; then, for each count, the MAPE of the model refitted without it (leave one TP out).
 */
export function fitAlphaBeta(
  node: ReturnType<typeof findNode>,
  groups: Map<number, number[]>,
  sizes: Float64Array,
  ms: Float64Array,
): AlphaBeta {
  const rows = [...groups.entries()].flatMap(([n, idx]) => idx.map((i) => [n, i] as const));
  const dec = (p: number[]): AlphaBeta => ({ alpha_us: Math.exp(p[0]!), alpha_log2_us: p[1]!, bandwidth_eff: Math.exp(p[2]!) });
  const time = (m: AlphaBeta, n: number, i: number): number => alphaBetaAllReduceMs(sizes[i]!, n, ringLink(node, n), m);
  const fit = (use: ReadonlyArray<readonly [number, number]>): AlphaBeta => {
    const loss = (p: number[]) => use.reduce((l, [n, i]) => l + Math.abs(Math.log(time(dec(p), n, i) / ms[i]!)), 0) / use.length;
    const r = nelderMead(loss, [Math.log(20), 0, Math.log(0.6)], { maxIter: 1200 });
    const m = dec(nelderMead(loss, r.x, { step: 0.1, maxIter: 1200 }).x);
    return { alpha_us: sig(m.alpha_us), alpha_log2_us: sig(m.alpha_log2_us), bandwidth_eff: sig(m.bandwidth_eff) };
  };
  const err = (m: AlphaBeta, use: ReadonlyArray<readonly [number, number]>) =>
    sig((100 * use.reduce((s, [n, i]) => s + Math.abs(time(m, n, i) - ms[i]!) / ms[i]!, 0)) / use.length);
  const all = fit(rows);
  const loo: Record<string, number> = {};
  for (const n of [...groups.keys()].sort((a, b) => a - b)) {
    loo[String(n)] = err(
      fit(rows.filter(([k]) => k !== n)),
      rows.filter(([k]) => k === n),
    );
  }
  return { ...all, mape_pct: err(all, rows), rows: rows.length, leave_one_tp_out_mape_pct: loo };
}

export function defaultVidurProfileDir(): string {
  return resolve(process.env.TOKENWATT_SHARED_DIR ?? resolve(packageRoot(), "..", "shared"), "data", "vidur", "profiling");
}

/** The `npm run calibrate` command: fits every device and node found in the profile directory, writes the profiles. */
export function calibrateAll(argv: string[]): void {
  const arg = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const profileDir = arg("--profile-dir") ?? defaultVidurProfileDir();
  const out = arg("--out") ?? join(packageRoot(), "profiles");
  mkdirSync(join(out, "efficiency", "network"), { recursive: true });
  const devices = readdirSync(join(profileDir, "compute")).sort();
  // Devices with attention profiles first, so the others can borrow their attention efficiencies.
  devices.sort((a, b) => Number(hasAttention(profileDir, b)) - Number(hasAttention(profileDir, a)) || a.localeCompare(b));
  const only = arg("--only");
  let withAttention: EfficiencyProfile | undefined;
  for (const d of only === "network" ? [] : devices) {
    const t0 = Date.now();
    const prof = calibrateDevice(profileDir, d, withAttention);
    if (prof.residuals?.attn_prefill && !withAttention) withAttention = prof;
    const file = join(out, "efficiency", `${d}.json`);
    if (existsSync(file)) {
      const previous = JSON.parse(readFileSync(file, "utf8")) as EfficiencyProfile; // fixed costs come from another step
      if (previous.fixed_costs) prof.fixed_costs = previous.fixed_costs;
    }
    writeFileSync(join(out, "efficiency", `${d}.json`), `${JSON.stringify(prof, null, 2)}\n`);
    const res = Object.entries(prof.residuals ?? {})
      .map(([op, r]) => `${op} ${r.mape_pct}%`)
      .join(", ");
    console.log(`${d}: ${((Date.now() - t0) / 1000).toFixed(1)} s; MAPE ${res}`);
  }
  for (const n of only === "compute" ? [] : readdirSync(join(profileDir, "network")).sort()) {
    const net = calibrateNetwork(profileDir, n);
    writeFileSync(join(out, "efficiency", "network", `${n}.json`), `${JSON.stringify(net, null, 2)}\n`);
    const res = Object.entries(net.collectives)
      .flatMap(([c, g]) => Object.entries(g).map(([k, v]) => `${c}[${k}] ${v.mape_pct}%`))
      .join(", ");
    const ab = net.all_reduce_alpha_beta;
    const abText = ab ? `; all_reduce α–β ${ab.mape_pct}%, leave one TP out ${JSON.stringify(ab.leave_one_tp_out_mape_pct)}` : "";
    console.log(`${n}: ${res}${abText}`);
  }
}

function hasAttention(profileDir: string, device: string): boolean {
  const root = join(profileDir, "compute", device);
  return readdirSync(root).some((org) => readdirSync(join(root, org)).some((m) => existsSync(join(root, org, m, "attention.csv"))));
}

/** One row of the leave-one-TP-out table: an op's roofline error on one TP degree, fitted with and without it. */
export interface TpHoldoutRow {
  device: string;
  op: string;
  tp: number;
  rows: number;
  inSampleMapePct: number;
  heldOutMapePct: number;
}

/**
 * Leave one TP degree out: for each device, op and TP degree profiled, refits the op's efficiencies on the other
 * degrees (warm start from `shipped`, then Nelder–Mead) and measures the MAPE on the held-out degree, next to
 * the in-sample MAPE of the shipped fit on the same rows.
 */
export function leaveOneTpOut(profileDir: string, device: string, shipped: EfficiencyProfile, ops: readonly string[]): TpHoldoutRow[] {
  const spec = findDevice(device);
  const bw = spec.memory_bandwidth_gbps!;
  const samples = deviceSamples(profileDir, device);
  const out: TpHoldoutRow[] = [];
  for (const op of ops) {
    const all = samples.get(op);
    const fitted = shipped.ops[op];
    if (!all || !fitted) continue;
    const tps = [...new Set(all.map((s) => s.tp))].sort((a, b) => a - b);
    if (tps.length < 2) continue;
    for (const tp of tps) {
      const held = all.filter((s) => s.tp === tp);
      const e = fitEfficiency(
        all.filter((s) => s.tp !== tp),
        spec.fp16_tflops,
        bw,
        fitted,
      );
      out.push({
        device,
        op,
        tp,
        rows: held.length,
        inSampleMapePct: sig(mape(held, (s) => opTimeMs(s, s.size, spec.fp16_tflops, bw, fitted))),
        heldOutMapePct: sig(mape(held, (s) => opTimeMs(s, s.size, spec.fp16_tflops, bw, e))),
      });
    }
  }
  return out;
}
