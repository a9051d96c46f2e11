/**
 * A fully resolved scenario: everything the engine needs, with every default applied and every name looked
 * up. Produced by `resolveScenario` (config → scenario); consumed by `runEngine` (scenario → result).
 */
import type { DeviceSpec, ModelSpec, NodeSpec, OpTables, RequestStream } from "../core/types.js";
import type { RequestBlocks } from "../workload/index.js";
import type { PowerSettings } from "../energy/types.js";

import type { GlobalSchedulerName } from "../plugins/global-schedulers.js";
import type { ReplicaSchedulerName } from "../plugins/replica-schedulers/index.js";
export type { GlobalSchedulerName, ReplicaSchedulerName };

export type { MemoryPlan } from "../profiles/memory-planner.js";
import type { MemoryPlan } from "../profiles/memory-planner.js";

export interface ReplicaSchedulerSettings {
  name: ReplicaSchedulerName;
  batchSizeCap: number;
  blockSize: number;
  watermarkBlocksFraction: number;
  /** Resolved: the configured value or the memory planner's. */
  numBlocks: number;
  maxTokensInBatch: number;
  chunkSize: number;
  maxWaitingIters: number;
}

export interface PredictorSettings {
  kvCachePredictionGranularity: number;
  attentionDecodeBatchingOverheadFraction: number;
  attentionPrefillBatchingOverheadFraction: number;
  ncclCpuLaunchOverheadMs: number;
  ncclCpuSkewOverheadPerDeviceMs: number;
}

export interface Scenario {
  model: ModelSpec;
  device: DeviceSpec;
  node: NodeSpec;
  numReplicas: number;
  tensorParallelSize: number;
  numPipelineStages: number;
  globalScheduler: GlobalSchedulerName;
  replicaScheduler: ReplicaSchedulerSettings;
  memory: MemoryPlan;
  predictor: PredictorSettings;
  paramsPerDevice: number;
  /** The request stream, whole; empty when `requestBlocks` holds the workload instead. */
  requests: RequestStream;
  /**
   * A synthetic workload taken block by block (streamed runs: `resolveScenario(…, { requestBlocks: true })`):
   * `requests` is then empty, the engine is fed block by block and each chunk of rows leaving it carries its
   * inputs (src/engine/engine.ts RequestChunk.inputs).
   */
  requestBlocks?: RequestBlocks;
  /** Closed loop: this many clients, each sending its next request when the last completes. */
  closedLoopConcurrency?: number;
  /** Replica per routing decision, for the random global scheduler: read in blocks as the engine is fed. */
  routes?: RouteDraws;
  opTables: OpTables;
  /** Simulated seconds; 0 = no limit. */
  timeLimit: number;
  recordStages: boolean;
  recordTbt: boolean;
  /** Latency percentiles are exact up to this many samples per metric, then sketched (src/core/ddsketch.ts). */
  exactQuantileSamples: number;
  /** Keep one record per batch (batch_metrics tables); summary counts and means are kept regardless. */
  recordBatches: boolean;
  /** Power, energy, carbon and cost settings (src/scenario/power-settings.ts); absent = no energy accounting. */
  power?: PowerSettings;
  /** The grid controller (src/control/resolve.ts); absent = none. */
  control?: ControlSettings;
}

/** The random global scheduler's replica per routing decision, in order (src/scenario/route-table.ts). */
export interface RouteDraws {
  /** Routing decisions drawn for (one per request). */
  readonly count: number;
  /** A reader from decision 0: each call returns the next `rows` replicas. One reader per run. */
  reader(): (rows: number) => Int32Array;
}

/** A grid controller's engine settings (src/engine/settings/control.ts; docs/control.md). */
export interface ControlSettings {
  /** Controller code (src/plugins/controllers/). */
  code: number;
  ciThreshold: number;
  ciPercentile: number;
  horizonS: number;
  powerCapW: number;
  releaseQps: number;
  safetyMarginS: number;
  batchCap: number;
  minReplicas: number;
  replicaQps: number;
  loadWindowS: number;
  lowLoadOff: boolean;
  forecastError: number;
  forecastSeed: number;
  replicaOffPowerW: number;
  replicaWakeUpS: number;
  replicaWakeUpPowerW: number;
  replicaDrainToOff: boolean;
  powerBudgetW: number;
  budgetMargin: number;
}

/** Requests in the scenario's workload (whole or in blocks). */
export function requestCount(s: Pick<Scenario, "requests" | "requestBlocks">): number {
  return s.requestBlocks ? s.requestBlocks.count : s.requests.arrivedAt.length;
}
