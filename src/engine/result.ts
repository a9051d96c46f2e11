import type { DDSketch } from "../core/ddsketch.js";

/** What one engine run returns: columns copied out of WASM memory (struct of arrays, index = id). */
export interface MeterStats {
  min: number;
  max: number;
  /** Time-weighted mean (Vidur's SeriesAverageMeter); NaN if never updated. */
  weightedMean: number;
  /**
   * Plain mean of every value put, the meter's initial 0 included: what Vidur reports as the memory meter's
   * "weighted_mean" (its memory SeriesAverageMeter is built with use_weighted_mean=False, see
   * docs/vidur-deviations.md).
   */
  updateMean: number;
}

export interface RequestColumns {
  arrivedAt: Float64Array;
  scheduledAt: Float64Array;
  schedulingDelay: Float64Array;
  prefillCompletedAt: Float64Array;
  completedAt: Float64Array;
  executionTime: Float64Array;
  modelExecutionTime: Float64Array;
  preemptedTime: Float64Array;
  /** After restarts (a restart moves processed tokens into the prompt). */
  numPrefillTokens: Int32Array;
  numDecodeTokens: Int32Array;
  numRestarts: Int32Array;
  replica: Int32Array;
  completed: Int32Array;
  /** As generated (before any restart). */
  originalPrefillTokens: Int32Array;
  originalDecodeTokens: Int32Array;
}

export interface BatchColumns {
  id: Int32Array;
  replica: Int32Array;
  size: Int32Array;
  numTokens: Int32Array;
  numPrefillTokens: Int32Array;
  scheduledAt: Float64Array;
  completedAt: Float64Array;
}

export interface StageColumns {
  replica: Int32Array;
  stage: Int32Array;
  batchId: Int32Array;
  size: Int32Array;
  numTokens: Int32Array;
  start: Float64Array;
  end: Float64Array;
  mfu: Float64Array;
}

/** Energy accounting of one run (assembly/energy.ts); absent when the scenario has no power settings. */
export interface EngineEnergy {
  /** End of the accounting window: max(makespan, time limit), s. */
  endS: number;
  /** Highest stage power of any GPU, W. */
  peakPowerW: number;
  /**
   * Per request, interleaved (abi.ER_FIELDS per request): GPU energy of its FLOP share of its batch stages
   * (J, ER_ENERGY_J) and ∫ share·P·CI (J·g/kWh, ER_CI_J). A view on engine memory unless results are copied.
   */
  requestPairs: Float64Array;
  /** The two fields of requestPairs as columns (computed on first access). */
  readonly requestEnergyJ: Float64Array;
  readonly requestCiJ: Float64Array;
  /** Per finished batch (rows of the batch table): energy over its stages (J), CI integral, mean power per GPU (W). */
  batchEnergyJ: Float64Array;
  batchCiJ: Float64Array;
  batchAvgPowerW: Float64Array;
  /** Per replica: energy inside stages and in gaps (J), their CI integrals, GPU-seconds inside stages. */
  replicas: { busyJ: number; idleJ: number; busyCiJ: number; idleCiJ: number; busyGpuS: number }[];
  /** Per replica, per timeline bucket: energy above the gap power (J) and its CI integral. */
  timeline: { excessJ: Float64Array; excessCiJ: Float64Array }[];
  /** Per stage record (with recordStages): power per GPU, utilisations, clock fraction. */
  stages: { powerW: Float64Array; computeUtil: Float64Array; memoryUtil: Float64Array; clock: Float64Array };
}

export interface EngineResult {
  status: "ok" | "time_limit";
  /** Time of the last event, seconds. */
  makespan: number;
  counters: {
    events: number;
    batches: number;
    stages: number;
    completedRequests: number;
    restarts: number;
    /** Σ over all batches (kept whether or not batch records are). */
    batchSizeSum: number;
    batchTokensSum: number;
    batchExecutionTimeSum: number;
  };
  requests: RequestColumns;
  /** Empty unless the scenario keeps batch records (Vidur's keep_individual_batch_metrics). */
  batches: BatchColumns;
  /** Empty unless the scenario asked for stage records. */
  stages: StageColumns;
  /**
   * Time between tokens: value[i] occurs counts[i] times (exact, run-length encoded) — or, once the runs passed
   * --metrics_config_exact_quantile_samples, `sketch` holds every sample (DDSketch, 0.5 %) and the runs are empty.
   */
  tbt: { values: Float64Array; counts: Uint32Array; sketch?: DDSketch };
  /** memory per replica; busy and mfu per replica*stages + stage. */
  meters: { memory: MeterStats[]; busy: MeterStats[]; mfu: MeterStats[] };
  timings: { setupMs: number; loopMs: number; copyOutMs: number };
  energy?: EngineEnergy;
}
