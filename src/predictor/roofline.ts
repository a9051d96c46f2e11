/**
 * The default predictor: per-operator roofline times with fitted efficiencies (see efficiency.ts), TP/PP
 * sharding, GQA, gated vs plain MLP and FP16/FP8 weights; collectives from the node's links.
 *
 * @example
 * const rf = makeRoofline(findModel("llama-2-7b"), findDevice("a100"), findNode("a100_pairwise_nvlink"), { tp: 1, pp: 1 });
 * rf.tokenOp("mlp_up_proj", 512).ms
 * const tables = buildRooflineOpTables(model, device, node, { tp: 2, pp: 1, maxTokens: 16384, maxBatch: 128, maxChunk: 16384, g: 64 });
 */
import type { ModelSpec, OpTables, TokenOp } from "../core/types.js";
import { TOKEN_OPS } from "../core/types.js";
import type { DeviceProfile, NodeProfile } from "../profiles/profile-types.js";
import { defaultProfilesDir } from "../core/repo-root.js";
import { allReduceTimeMs, sendRecvTimeMs } from "./collectives.js";
import { rankSkewFactor } from "./rank-skew.js";
import { loadEfficiency, loadNetwork, opTimeMs, type EfficiencyProfile, type NetworkProfile, type OpEfficiency } from "./efficiency.js";
import { decodeAttnCost, prefillAttnCost, shardModel, tokenOpCost, type OpCost, type Precision, type ShardedModel } from "./op-costs.js";

export interface OpEstimate extends OpCost {
  ms: number;
}

export interface RooflineOptions {
  tp: number;
  pp: number;
  precision?: Precision;
  /** Where efficiency/ lives (default: the package's profiles/). */
  profilesDir?: string;
  /** Pre-loaded efficiencies (tests, calibration). */
  efficiency?: EfficiencyProfile;
  network?: NetworkProfile;
  /**
   * Add what a serving stack pays beyond kernel-timed profiles (default true): the device's fixed per-kernel cost
   * (efficiency fixed_costs.kernel_launch_us) on every kernel and, at TP > 1, the rank skew at collectives
   * (rank_jitter, rank-skew.ts). The profile source turns them off: it interpolates kernel-timed measurements.
   */
  fixedCosts?: boolean;
  /** Overrides fixed_costs.kernel_launch_us (calibration). */
  kernelLaunchUs?: number;
}

export interface Roofline {
  shard: ShardedModel;
  tokenOp(op: TokenOp | "attn_kv_cache_save", T: number): OpEstimate;
  decode(batch: number, kv: number): OpEstimate;
  prefill(kv: number, chunk: number): OpEstimate;
  /** prefill(kv, chunk).ms without allocating (the 16k grid has 4.2 M cells). */
  prefillMs(kv: number, chunk: number): number;
  /** tokenOp(op, T).ms as a non-allocating function of T (widened grids for orca have 0.5 M tokens). */
  tokenOpMsFn(op: TokenOp | "attn_kv_cache_save"): (T: number) => number;
}

export interface GridOptions {
  tp: number;
  pp: number;
  maxTokens: number;
  /** KV grid 0..maxKv (default maxTokens; smaller when the token grid is widened for orca / faster_transformer). */
  maxKv?: number;
  maxBatch: number;
  maxChunk: number;
  g: number;
  precision?: Precision;
  profilesDir?: string;
  kernelLaunchUs?: number;
}

export function makeRoofline(model: ModelSpec, device: DeviceProfile, node: NodeProfile, opts: RooflineOptions): Roofline {
  const precision = opts.precision ?? "fp16";
  const shard = shardModel(model, opts.tp, precision);
  const dir = opts.profilesDir ?? defaultProfilesDir();
  const eff = opts.efficiency ?? loadEfficiency(dir, device.efficiency_profile ?? device.name);
  const net = opts.network ?? loadNetwork(dir, node.name);
  // FP8 GEMMs run at the FP8 peak; everything else (attention, norms) stays FP16.
  const gemmPeak = precision === "fp8" && device.fp8_tflops ? device.fp8_tflops : device.fp16_tflops;
  const peakFp16 = device.fp16_tflops;
  const bw = device.memory_bandwidth_gbps ?? 1000;
  const crossNode = opts.tp * opts.pp > node.num_devices_per_node;
  const e = (op: string): OpEfficiency => eff.ops[op] ?? eff.ops.add!;
  const GEMMS = new Set(["attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj"]);
  // Fixed cost per kernel, in ms: it does not divide by TP (see FixedCosts).
  const launch = opts.fixedCosts === false ? 0 : (opts.kernelLaunchUs ?? eff.fixed_costs?.kernel_launch_us ?? 0) * 1e-3;
  // Rank skew: every compute kernel of a TP > 1 layer waits, at the next all-reduce, for the slowest rank. The
  // wait is charged to the kernels (times × skew) because the all_reduce table is keyed by tokens only and
  // cannot see the attention kernel's shape; the step total is the same.
  const skew = opts.fixedCosts === false || opts.tp <= 1 ? 1 : rankSkewFactor(opts.tp, eff.rank_jitter?.rel_std ?? 0);
  const prefillKernelMs = prefillMsFn(shard, peakFp16, bw, e("attn_prefill"), skew);

  return {
    shard,
    tokenOp(op, T) {
      const cost = tokenOpCost(shard, op, T);
      if (op === "all_reduce") return { ...cost, ms: allReduceTimeMs(cost.bytes, opts.tp, node, net) + launch };
      if (op === "send_recv") return { ...cost, ms: sendRecvTimeMs(cost.bytes, opts.tp, crossNode, node, net) + launch };
      return { ...cost, ms: opTimeMs(cost, T, GEMMS.has(op) ? gemmPeak : peakFp16, bw, e(op)) * skew + launch };
    },
    decode(batch, kv) {
      const cost = decodeAttnCost(shard, batch, kv);
      return { ...cost, ms: opTimeMs(cost, batch, peakFp16, bw, e("attn_decode")) * skew + launch };
    },
    prefill(kv, chunk) {
      const cost = prefillAttnCost(shard, kv, chunk);
      return { ...cost, ms: opTimeMs(cost, chunk, peakFp16, bw, e("attn_prefill")) * skew + launch };
    },
    prefillMs: launch === 0 ? prefillKernelMs : (kv, chunk) => prefillKernelMs(kv, chunk) + launch,
    tokenOpMsFn(op) {
      if (op === "all_reduce" || op === "send_recv") return (T) => this.tokenOp(op, T).ms;
      // every other token op costs affine FLOPs and bytes in T (op-costs.ts): take the line through T = 1, 2
      const c1 = tokenOpCost(shard, op, 1);
      const c2 = tokenOpCost(shard, op, 2);
      const fSlope = c2.flops - c1.flops;
      const f0 = c1.flops - fSlope;
      const bSlope = c2.bytes - c1.bytes;
      const b0 = c1.bytes - bSlope;
      const eff = e(op);
      const peak = GEMMS.has(op) ? gemmPeak : peakFp16;
      return (T) => opTimeMs({ flops: f0 + fSlope * T, bytes: b0 + bSlope * T }, T, peak, bw, eff) * skew + launch;
    },
  };
}

/** The same arithmetic as prefillAttnCost + opTimeMs (× skew), specialised to numbers (checked equal in tests). */
function prefillMsFn(
  s: ShardedModel,
  peakTflops: number,
  bwGbps: number,
  e: OpEfficiency,
  skew: number,
): (kv: number, chunk: number) => number {
  const qd = s.qHeads * s.headDim;
  const kvd = s.kvHeads * s.headDim;
  const flopRate = peakTflops * 1e12 * e.compute_eff;
  const byteRate = bwGbps * 1e9 * e.memory_eff;
  const ovh = e.overhead_us * 1e-3;
  const w = e.causal_weight ?? 1;
  return (kv, c) => {
    const flops = 4 * qd * (c * kv + (w * (c * (c + 1))) / 2);
    const bytes = 2 * (2 * c * qd + 2 * (kv + c) * kvd);
    const tc = flops / (flopRate * (c / (c + e.half_size)));
    const tm = bytes / byteRate;
    return (Math.max(tc, tm) * 1e3 + ovh) * skew;
  };
}

/** Dense OpTables over Vidur's prediction grid, from the roofline. */
export function buildRooflineOpTables(model: ModelSpec, device: DeviceProfile, node: NodeProfile, o: GridOptions): OpTables {
  const rf = makeRoofline(model, device, node, {
    tp: o.tp,
    pp: o.pp,
    precision: o.precision,
    profilesDir: o.profilesDir,
    kernelLaunchUs: o.kernelLaunchUs,
  });
  return tablesFrom(rf, o, "roofline");
}

/** Fills OpTables from any per-shape estimator (shared with the profile predictor). */
export function tablesFrom(
  est: Pick<Roofline, "tokenOp" | "decode" | "prefill"> & {
    prefillMs?: (kv: number, chunk: number) => number;
    tokenOpMsFn?: (op: TokenOp | "attn_kv_cache_save") => (T: number) => number;
  },
  o: Pick<GridOptions, "tp" | "pp" | "maxTokens" | "maxKv" | "maxBatch" | "maxChunk" | "g">,
  source: string | ((op: string) => string),
): OpTables {
  const src = typeof source === "string" ? () => source : source;
  const sources: Record<string, string> = {};
  const tokenOps: OpTables["tokenOps"] = {};
  for (const op of TOKEN_OPS) {
    if ((op === "all_reduce" && o.tp <= 1) || (op === "send_recv" && o.pp <= 1)) continue;
    const a = new Float64Array(o.maxTokens + 1);
    const ms = est.tokenOpMsFn ? est.tokenOpMsFn(op) : (T: number) => est.tokenOp(op, T).ms;
    for (let T = 1; T <= o.maxTokens; T++) a[T] = ms(T);
    tokenOps[op] = a;
    sources[op] = src(op);
  }
  const attnKvCacheSave = new Float64Array(o.maxTokens + 1);
  const kvSaveMs = est.tokenOpMsFn ? est.tokenOpMsFn("attn_kv_cache_save") : (T: number) => est.tokenOp("attn_kv_cache_save", T).ms;
  for (let T = 1; T <= o.maxTokens; T++) attnKvCacheSave[T] = kvSaveMs(T);
  sources.attn_kv_cache_save = src("attn_kv_cache_save");

  const kvSteps = Math.floor((o.maxKv ?? o.maxTokens) / o.g) + 1;
  const attnDecode = new Float64Array(o.maxBatch * kvSteps);
  for (let b = 1; b <= o.maxBatch; b++) for (let s = 0; s < kvSteps; s++) attnDecode[(b - 1) * kvSteps + s] = est.decode(b, s * o.g).ms;
  sources.attn_decode = src("attn_decode");

  const attnPrefill = new Float64Array(kvSteps * o.maxChunk);
  const pms = est.prefillMs ?? ((kv: number, c: number) => est.prefill(kv, c).ms);
  for (let s = 0; s < kvSteps; s++) for (let c = 1; c <= o.maxChunk; c++) attnPrefill[s * o.maxChunk + c - 1] = pms(s * o.g, c);
  sources.attn_prefill = src("attn_prefill");

  return {
    maxTokens: o.maxTokens,
    kvGranularity: o.g,
    tokenOps,
    attnKvCacheSave,
    attnDecode,
    decodeMaxBatch: o.maxBatch,
    decodeKvSteps: kvSteps,
    attnPrefill,
    prefillMaxChunk: o.maxChunk,
    prefillKvSteps: kvSteps,
    sources,
  };
}
