/**
 * The contract of a predictor source (roofline, profile, op-tables): build dense OpTables for the engine, or
 * give per-shape estimates for `tokenwatt predict`.
 *
 * @example
 * const src: PredictorSource = SOURCES.roofline; src.build(opts).attnPrefill.length
 */
import type { ModelSpec, OpTables, TokenOp } from "../core/types.js";
import type { DeviceProfile, NodeProfile } from "../profiles/profile-types.js";
import type { Precision } from "./op-costs.js";

export interface PredictorOptions {
  model: ModelSpec;
  device: DeviceProfile;
  node: NodeProfile;
  tp: number;
  pp: number;
  /** Token grid 1..maxTokens and KV grid 0..maxTokens (Vidur's prediction_max_tokens_per_request, 4096). */
  maxTokens: number;
  /** KV grid 0..maxKv (default maxTokens). */
  maxKv?: number;
  /** Decode batch grid (Vidur's prediction_max_batch_size, 128). */
  maxBatch: number;
  /** Prefill chunk grid (Vidur's prediction_max_prefill_chunk_size, 4096). */
  maxChunk: number;
  /** KV granularity (64). */
  g: number;
  precision?: Precision;
  /** profile source: Vidur's data/profiling directory. */
  profileDir?: string;
  /**
   * profile source, shapes outside the profiled range: "clamp" (default) takes the nearest profiled edge's
   * time, as Vidur's random forests do; "roofline" scales the roofline by the edge's measured/roofline ratio.
   */
  profileExtrapolation?: "clamp" | "roofline";
  /** op-tables source: directory of <op>.csv tables. */
  opTablesDir?: string;
  /** Catalogue directory holding efficiency/ (default: the package's profiles/). */
  profilesDir?: string;
  /** roofline source: overrides the device's fixed per-kernel cost (calibration). */
  kernelLaunchUs?: number;
}

/** Milliseconds per layer per TP worker at one shape. */
export interface ShapeEstimator {
  tokenOp(op: TokenOp | "attn_kv_cache_save", T: number): number;
  decode(batch: number, kv: number): number;
  prefill(kv: number, chunk: number): number;
  sources: Record<string, string>;
}

export interface PredictorSource {
  name: "roofline" | "profile" | "op-tables";
  /** One line for --help and docs. */
  doc: string;
  build(o: PredictorOptions): OpTables;
  estimator(o: PredictorOptions): ShapeEstimator;
}
