/**
 * The roofline's size-dependent efficiencies, fitted per device by `npm run calibrate` and stored in
 * profiles/efficiency/<device>.json (compute ops) and profiles/efficiency/network/<node>.json (collectives).
 *
 * time_ms = max(F / (peak · ce · m/(m + half)), B / (bw · me)) + overhead
 * where m is the op's "size" (tokens for token ops, chunk for prefill, batch for decode): small launches cannot
 * fill the GPU, so achieved compute efficiency rises with m and saturates at ce. For attn_prefill,
 * F = F_kv + causal_weight · F_causal: pairs inside the chunk (causal, masked diagonal tiles) cost
 * causal_weight times a pair against cached KV (fitted: ≈ 2.4 on a100 FlashAttention).
 *
 * @example
 * opTimeMs({ flops: 2e12, bytes: 1e9 }, 4096, 312, 2039, { compute_eff: 0.7, half_size: 64, memory_eff: 0.8, overhead_us: 5 })
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import type { OpCost } from "./op-costs.js";
import type { KernelJitter } from "./rank-skew.js";

export interface OpEfficiency {
  /** Saturated fraction of peak FLOP/s. */
  compute_eff: number;
  /** Size at which half of compute_eff is reached. */
  half_size: number;
  /** Fraction of peak HBM bandwidth achieved. */
  memory_eff: number;
  /** Fixed per-launch cost in µs (kernel launch, small-grid latency). */
  overhead_us: number;
  /** attn_prefill only: relative cost of a causal in-chunk pair vs a cached-KV pair (default 1). */
  causal_weight?: number;
}

export interface EfficiencyProfile {
  device: string;
  source: string;
  /** Per Vidur op name (attn_kv_cache_save falls back to add). */
  ops: Record<string, OpEfficiency & { fitted_on?: string }>;
  /** Fit quality per op: mean absolute percentage error and rows used. */
  residuals?: Record<string, { mape_pct: number; rows: number; fitted_on: string }>;
  /**
   * Costs a real serving stack pays per kernel that kernel-timed profiles (Vidur's) do not see: launch and
   * dependency gaps between kernels, framework work per layer. They do not shrink with TP. Roofline only.
   */
  fixed_costs?: FixedCosts;
  /**
   * Relative jitter of kernel times (Vidur's std/median), for the rank skew at collectives (rank-skew.ts):
   * roofline only, and only at TP > 1, like fixed_costs.
   */
  rank_jitter?: KernelJitter;
}

export interface FixedCosts {
  /** Added to every kernel of a layer (each token op, both attention kernels, each collective). */
  kernel_launch_us: number;
  /** Where the value comes from, and its leave-one-out error. */
  source?: string;
  fitted_on?: string;
  loo?: Record<string, unknown>;
}

/** Collective fit: time = steps · latency + bytes_on_wire / (link_bw · bandwidth_eff). */
export interface CollectiveEfficiency {
  latency_us: number;
  bandwidth_eff: number;
}

export interface NetworkProfile {
  node: string;
  source: string;
  /** Keyed by collective then by worker count (all_reduce) or "intra"/"inter" (send_recv). */
  collectives: Record<string, Record<string, CollectiveEfficiency & { mape_pct?: number; rows?: number }>>;
  /** One α–β all-reduce model for every worker count (used where no per-count fit exists). */
  all_reduce_alpha_beta?: AlphaBeta;
}

/**
 * α–β all-reduce over n workers: alpha_us + alpha_log2_us · log2(n) of latency (the floor a tiny message pays:
 * launch, synchronisation, log-depth steps) plus the ring's 2(n−1)/n · bytes over link bandwidth × bandwidth_eff.
 */
export interface AlphaBeta {
  alpha_us: number;
  alpha_log2_us: number;
  bandwidth_eff: number;
  mape_pct?: number;
  rows?: number;
  /** MAPE on each worker count when the model is fitted without it. */
  leave_one_tp_out_mape_pct?: Record<string, number>;
}

export function opTimeMs(cost: OpCost, size: number, peakTflops: number, bwGbps: number, e: OpEfficiency): number {
  const ce = e.compute_eff * (size / (size + e.half_size));
  const flops = cost.flops + ((e.causal_weight ?? 1) - 1) * (cost.causalFlops ?? 0);
  const tc = flops > 0 ? flops / (peakTflops * 1e12 * ce) : 0;
  const tm = cost.bytes / (bwGbps * 1e9 * e.memory_eff);
  return Math.max(tc, tm) * 1e3 + e.overhead_us * 1e-3;
}

export function loadEfficiency(profilesDir: string, name: string): EfficiencyProfile {
  const file = join(profilesDir, "efficiency", `${name}.json`);
  if (!existsSync(file))
    throw InputError.at(
      file,
      undefined,
      undefined,
      `is missing: no fitted roofline efficiencies for "${name}" (run npm run calibrate, or set efficiency_profile in the device file)`,
    );
  const raw = JSON.parse(readFileSync(file, "utf8")) as EfficiencyProfile;
  for (const [op, e] of Object.entries(raw.ops ?? {})) {
    for (const k of ["compute_eff", "half_size", "memory_eff", "overhead_us"] as const) {
      if (typeof e[k] !== "number" || !(e[k] >= 0))
        throw InputError.at(file, undefined, `ops.${op}.${k}`, `must be a number >= 0, got ${JSON.stringify(e[k])}`);
    }
    if (e.causal_weight !== undefined && !(typeof e.causal_weight === "number" && e.causal_weight > 0)) {
      throw InputError.at(file, undefined, `ops.${op}.causal_weight`, `must be a number > 0, got ${JSON.stringify(e.causal_weight)}`);
    }
  }
  return raw;
}

/** The fitted network profile of a node, or undefined (the roofline then uses the node's nominal links). */
export function loadNetwork(profilesDir: string, node: string): NetworkProfile | undefined {
  const file = join(profilesDir, "efficiency", "network", `${node}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as NetworkProfile) : undefined;
}
