/**
 * What the energy layer resolves from options and profiles (Scenario.power) and what it reports. Units: W, J,
 * s, gCO2/kWh, bytes, FLOPs; "per GPU" means one physical device of a TP group.
 */
import type { CiTable } from "../carbon/intensity.js";

export type { ModelParams } from "../plugins/power-models/types.js";
import type { ModelParams } from "../plugins/power-models/types.js";
import type { PowerModelName } from "../plugins/power-models/index.js";

/** Work of one batch stage on one GPU, as affine functions of the batch composition (see work.ts). */
export interface WorkCoefficients {
  /** FLOPs per new token (all linear ops of the stage's layers). */
  tokenFlops: number;
  /** FLOPs per causal attention pair (a chunk of c tokens after kv cached scores c·kv + c(c+1)/2 pairs). */
  pairFlops: number;
  /** HBM bytes per new token (activations, q/o, KV write). */
  tokenBytes: number;
  /** HBM bytes per attended context token (KV read, kv + c per request). */
  ctxBytes: number;
  /** HBM bytes independent of the batch (weights of the stage's layers). */
  fixedBytes: number;
}

export interface CarbonSettings {
  /** "region:<key>", "country:<code>", "trace:<file>" or "constant". */
  origin: string;
  table: CiTable;
  /** Policy when the run outlasts a trace: error (checked after the run), hold, wrap. */
  beyond: "error" | "hold" | "wrap";
  /** ISO start (anchors simulated t = 0), null if not given and not needed. */
  startIso: string | null;
  /** Anything filled or assumed while reading the trace (reported in summary.json). */
  notes: string[];
}

export interface PowerSettings {
  model: PowerModelName;
  modelParams: ModelParams;
  /** Dense FP16/BF16 peak FLOP/s per GPU (vendor) and HBM bytes/s, for the utilisations. */
  peakFlops: number;
  memoryBandwidth: number;
  work: WorkCoefficients;
  gpusPerStage: number;
  /** W per GPU; 0 = none. */
  powerCapW: number;
  /** SM clock / nominal; 1 = nominal. */
  clockFraction: number;
  dvfsExponent: number;
  minClockFraction: number;
  /** Timeline bucket width, s. */
  resolutionS: number;
  /** Integrate to max(makespan, horizonS): the time limit when one is set. */
  horizonS: number;
  /** Host (CPU, memory, network) power per GPU, constant, W. */
  hostWPerGpu: number;
  hostSource: string;
  pue: number;
  pueSource: string;
  carbon: CarbonSettings;
  embodiedKgPerGpu: number;
  embodiedSource: string;
  lifetimeYears: number;
  electricityUsdPerKwh: number | null;
  gpuHourUsd: number | null;
  priceSources: string[];
}
