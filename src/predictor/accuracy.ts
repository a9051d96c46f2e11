/**
 * Accuracy of the predictors against Vidur's profiling data: 10-fold cross-validated MAPE of the profile
 * interpolator (rows i with i % 10 = k held out), and the roofline's MAPE with the fitted efficiencies.
 *
 * @example
 * const rows = accuracyTable(defaultVidurProfileDir()); // [{ device: "a100", op: "mlp_up_proj", cvMape: 1.2, rooflineMape: 5.3, rows: 6960 }, …]
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { findDevice } from "../profiles/catalog.js";
import { defaultProfilesDir } from "../core/repo-root.js";
import { loadEfficiency, opTimeMs, type OpEfficiency } from "./efficiency.js";
import { deviceSamples, mape } from "./calibrate.js";
import { idw, logRatio1d } from "./ratio-interp.js";
import type { Sample } from "./profile-samples.js";

export interface AccuracyRow {
  device: string;
  op: string;
  rows: number;
  /** 10-fold CV MAPE (%) of the profile predictor. */
  cvMape: number;
  /** MAPE (%) of the roofline alone with the shipped efficiencies. */
  rooflineMape: number;
}

export function accuracyTable(profileDir: string, profilesDir = defaultProfilesDir()): AccuracyRow[] {
  const out: AccuracyRow[] = [];
  for (const device of readdirSync(join(profileDir, "compute")).sort()) {
    const spec = findDevice(device);
    const bw = spec.memory_bandwidth_gbps ?? 1000;
    const effFile = join(profilesDir, "efficiency", `${spec.efficiency_profile ?? spec.name}.json`);
    const eff = existsSync(effFile) ? loadEfficiency(profilesDir, spec.efficiency_profile ?? spec.name) : undefined;
    for (const [op, samples] of [...deviceSamples(profileDir, device).entries()].sort(([a], [b]) => a.localeCompare(b))) {
      if (!samples.length || !eff?.ops[op]) continue;
      const e = eff.ops[op]!;
      const rf = (s: Sample) => opTimeMs(s, s.size, spec.fp16_tflops, bw, e);
      out.push({ device, op, rows: samples.length, cvMape: cvMape(samples, rf), rooflineMape: mape(samples, rf) });
    }
  }
  return out;
}

/** Groups samples by model shape and TP (one profile series), then 10-fold CV inside each series. */
function cvMape(samples: readonly Sample[], rf: (s: Sample) => number): number {
  const series = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = `${s.shard.hidden}/${s.shard.qHeads}/${s.shard.kvHeads}/${s.shard.inter}/${s.tp}`;
    series.set(k, [...(series.get(k) ?? []), s]);
  }
  let err = 0;
  let n = 0;
  for (const ser of series.values()) {
    const lr = ser.map((s) => Math.log(s.ms / rf(s)));
    for (let fold = 0; fold < 10; fold++) {
      const trainIdx = ser.map((_, i) => i).filter((i) => i % 10 !== fold);
      if (trainIdx.length === 0) continue;
      const predict = ser[0]!.key.length === 1 ? oneD(ser, lr, trainIdx) : twoD(ser, lr, trainIdx);
      for (let i = fold; i < ser.length; i += 10) {
        const p = rf(ser[i]!) * Math.exp(predict(ser[i]!));
        err += Math.abs(p - ser[i]!.ms) / ser[i]!.ms;
        n++;
      }
    }
  }
  return (100 * err) / n;
}

function oneD(ser: Sample[], lr: number[], idx: number[]): (s: Sample) => number {
  const f = logRatio1d(
    idx.map((i) => ser[i]!.key[0]!),
    idx.map((i) => lr[i]!),
  );
  return (s) => f(s.key[0]!);
}

function twoD(ser: Sample[], lr: number[], idx: number[]): (s: Sample) => number {
  const us = Float64Array.from(idx, (i) => Math.log2(ser[i]!.key[0]! + 1));
  const vs = Float64Array.from(idx, (i) => Math.log2(ser[i]!.key[1]! + 1));
  const ys = Float64Array.from(idx, (i) => lr[i]!);
  return (s) => idw(us, vs, ys, Math.log2(s.key[0]! + 1), Math.log2(s.key[1]! + 1));
}

export type { OpEfficiency };
