/**
 * Rank skew at tensor-parallel collectives: an all-reduce completes only when its last rank arrives, so each
 * compute segment between two collectives costs the *slowest* of the TP ranks, not the typical one. With
 * per-rank segment times t·(1 + j·Z_i) (Z_i independent standard normals, j the relative jitter of kernel times),
 * the expected wait is t·(1 + j·E[max of p Z_i]): a cost that grows with TP (E = 0, 0.56, 1.03, 1.42 for p = 1,
 * 2, 4, 8) while t shrinks. j is measured, not tuned: the median std/median of every kernel in Vidur's profiles
 * (`time_stats.<op>.std` over repetitions on one GPU), about 1 % (kernelJitter below).
 *
 * @example
 * expectedMaxStdNormal(8) // ≈ 1.4236
 * rankSkewFactor(8, 0.0122) // ≈ 1.0174: each kernel of a TP-8 layer costs 1.7 % more on the critical path
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { errorFunction, median } from "simple-statistics";
import { readCsvRows } from "../core/csv.js";
import { MLP_OPS } from "./profiling-data.js";

const expectedMax = new Map<number, number>();

/**
 * E[max of p independent standard normals] = ∫ x · p φ(x) Φ(x)^(p−1) dx, by the midpoint rule on [−10, 10]
 * (error < 1e-6 for p ≤ 1024). 0 for p ≤ 1.
 */
export function expectedMaxStdNormal(p: number): number {
  if (p <= 1) return 0;
  const cached = expectedMax.get(p);
  if (cached !== undefined) return cached;
  const steps = 8000;
  const dx = 20 / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const x = -10 + (i + 0.5) * dx;
    const pdf = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    const cdf = 0.5 * (1 + errorFunction(x / Math.SQRT2));
    sum += x * p * pdf * cdf ** (p - 1) * dx;
  }
  expectedMax.set(p, sum);
  return sum;
}

/** Multiplier on a TP rank's kernel times that turns the typical rank's time into the slowest rank's (expected). */
export function rankSkewFactor(tp: number, relStd: number): number {
  return 1 + relStd * expectedMaxStdNormal(tp);
}

/** Relative jitter of kernel times on one device, from Vidur's profiles (stored as `rank_jitter` per device). */
export interface KernelJitter {
  /** Median of std/median over every op and row. */
  rel_std: number;
  rows: number;
  /** The same median per TP degree profiled (a check that it does not depend on TP). */
  by_tp: Record<string, number>;
  source: string;
}

/** Median std/median of every op of every `compute/<device>/<org>/<model>/mlp.csv` row (rows with median > 0). */
export function kernelJitter(profileDir: string, device: string): KernelJitter {
  const root = join(profileDir, "compute", device);
  const all: number[] = [];
  const byTp = new Map<number, number[]>();
  for (const org of readdirSync(root).sort()) {
    for (const model of readdirSync(join(root, org)).sort()) {
      const file = join(root, org, model, "mlp.csv");
      if (!existsSync(file)) continue;
      const c = readCsvRows(file, [
        { name: "num_tensor_parallel_workers" },
        ...MLP_OPS.flatMap((op) => [
          { name: `time_stats.${op}.median`, optional: true, fill: Number.NaN },
          { name: `time_stats.${op}.std`, optional: true, fill: Number.NaN },
        ]),
      ]);
      const tp = c.numbers.num_tensor_parallel_workers!;
      for (const op of MLP_OPS) {
        const med = c.numbers[`time_stats.${op}.median`]!;
        const std = c.numbers[`time_stats.${op}.std`]!;
        for (let i = 0; i < c.rows; i++) {
          if (!(med[i]! > 0) || !(std[i]! >= 0)) continue;
          const r = std[i]! / med[i]!;
          all.push(r);
          const list = byTp.get(tp[i]!);
          if (list) list.push(r);
          else byTp.set(tp[i]!, [r]);
        }
      }
    }
  }
  const sig = (x: number) => Number(x.toPrecision(4));
  return {
    rel_std: sig(median(all)),
    rows: all.length,
    by_tp: Object.fromEntries([...byTp.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), sig(median(v))])),
    source: `median std/median of every op and row of microsoft/vidur data/profiling/compute/${device}/**/mlp.csv (src/predictor/rank-skew.ts)`,
  };
}
