/**
 * How much one engine run can hold. The engine is wasm32: its memory can grow to 4 GiB, and per-request state
 * dominates it, so the request count is the limit that matters (a few hundred MB of other state is allowed
 * for). Checked before the workload is generated, so a run that cannot fit fails at once with the numbers
 * instead of after minutes of generation or with a trap.
 */
import * as abi from "../../assembly/abi.js";
import { InputError } from "../core/errors.js";

/** wasm32's largest memory: 65,536 pages of 64 KiB. */
export const WASM32_MAX_BYTES = 2 ** 32;

/** Share of the 4 GiB that per-request state may take; the rest covers op tables, queues and records. */
const REQUEST_SHARE = 0.9;

/**
 * The most requests one run can simulate.
 *
 * @example
 * maxEngineRequests(true); // 241,591,910 (16 bytes of inputs per request)
 */
export function maxEngineRequests(energy: boolean): number {
  const perRequest = abi.REQUEST_STATE_BYTES + (energy ? abi.REQUEST_ENERGY_BYTES : 0);
  return Math.floor((WASM32_MAX_BYTES * REQUEST_SHARE) / perRequest);
}

/** Throws an InputError naming the limit when `requests` cannot fit one engine run. */
export function checkEngineCapacity(requests: number, energy: boolean, what: string): void {
  const max = maxEngineRequests(energy);
  if (requests <= max) return;
  throw new InputError(
    `${what}: ${requests} requests exceed what one run can simulate (${max}${energy ? " with energy accounting" : ""}: the WASM ` +
      `engine addresses at most 4 GiB, ${abi.REQUEST_STATE_BYTES + (energy ? abi.REQUEST_ENERGY_BYTES : 0)} bytes per request); ` +
      `split the workload into several runs, e.g. a sweep over seeds`,
  );
}

/**
 * Runs an engine call. A trap or abort while the engine's memory is near the wasm32 limit (an allocation that
 * could not grow it further: workloads near maxEngineRequests, or many per-batch and per-token records)
 * becomes an InputError with the numbers; anything else stays an internal error, since it would be a bug.
 *
 * @example
 * const status = trapsAsCapacityErrors(() => e.memory.buffer.byteLength, n, () => e.run());
 */
export function trapsAsCapacityErrors<T>(memoryBytes: () => number, requests: number, call: () => T): T {
  try {
    return call();
  } catch (err) {
    const used = memoryBytes();
    if (used < WASM32_MAX_BYTES * 0.75) throw err;
    throw new InputError(
      `${requests} requests do not fit the engine's memory: it had grown to ${(used / 2 ** 30).toFixed(1)} GiB of the 4 GiB a ` +
        `WASM engine can address when an allocation failed; split the workload into several runs (e.g. a sweep over ` +
        `seeds), or record less per batch and token (drop --metrics_config_keep_individual_batch_metrics, add ` +
        `--no-metrics_config_store_token_completion_metrics)`,
    );
  }
}

/**
 * Refuses a run whose input ring cannot be reserved: the engine reserves every input column for every id up
 * front (assembly/state.ts allocInputRing; pages are touched only as the ring grows), 16 bytes per request
 * plus 4 with the random global scheduler and 12 with a controller. `usedBytes`: the end of the engine's heap.
 *
 * @example
 * checkInputReservation(1_000_000, abi.REQUEST_STATE_BYTES + 4, 64 << 20); // fits: returns
 */
export function checkInputReservation(requests: number, bytesPerRequest: number, usedBytes: number): void {
  if (usedBytes + requests * bytesPerRequest <= WASM32_MAX_BYTES * REQUEST_SHARE) return;
  throw new InputError(
    `${requests} requests do not fit the engine's memory: their inputs take ${bytesPerRequest} bytes each ` +
      `(${((requests * bytesPerRequest) / 2 ** 30).toFixed(1)} GiB of address space) beside ` +
      `${(usedBytes / 2 ** 30).toFixed(1)} GiB of other state, of the 4 GiB a WASM engine can address; ` +
      `split the workload into several runs, e.g. a sweep over seeds`,
  );
}

/** Share of the 4 GiB that per-replica state may take (queues, running lists, meters, energy totals). */
const REPLICA_SHARE = 0.25;
/** Share of the 4 GiB the op tables may take (they are also built on the host first). */
const OP_TABLE_SHARE = 0.25;

/**
 * Bytes of engine state that grow with the replica count (assembly/state.ts allocReplicas, metrics.ts,
 * energy.ts): waiting deque (256 slots) and running list (batch cap + 8) per replica, pending batches, batch
 * slots, per replica-stage busy flag, stage queue and three meters, energy totals.
 */
export function replicaStateBytes(replicas: number, stages: number, batchSizeCap: number): number {
  const perReplica = 256 * 4 + (batchSizeCap + 8) * 4 + 8 * 4 + 3 * 16 + 4 * 8 + abi.EP_FIELDS * 8 + 64;
  const perStage = 4 + 8 * 4 + 16 + 3 * abi.METER_FIELDS * 8 + 2 * 64;
  return replicas * perReplica + replicas * stages * perStage;
}

/**
 * Refuses replica counts × batch caps × stages whose state cannot fit the engine, before anything is
 * allocated. `names` are the flags to quote.
 */
export function checkReplicaState(replicas: number, stages: number, batchSizeCap: number, capFlag: string): void {
  const need = replicaStateBytes(replicas, stages, batchSizeCap);
  const budget = WASM32_MAX_BYTES * REPLICA_SHARE;
  if (need <= budget) return;
  throw new InputError(
    `${replicas} replicas x ${stages} stages with --${capFlag} ${batchSizeCap} need ${(need / 2 ** 30).toFixed(1)} GiB of engine state, ` +
      `more than the ${(budget / 2 ** 30).toFixed(1)} GiB one run allows (the WASM engine addresses 4 GiB); lower the batch cap or the replicas`,
  );
}

/** Entries of the dense op tables for a grid (src/core/types.ts OpTables): token ops, KV save, decode, prefill. */
export function opTableEntries(grid: { maxTokens: number; maxKv: number; maxBatch: number; maxChunk: number; g: number }): number {
  const kvSteps = Math.floor(grid.maxKv / grid.g) + 1;
  return 12 * (grid.maxTokens + 1) + grid.maxBatch * kvSteps + kvSteps * grid.maxChunk;
}

/** Refuses an op-table grid too large to build (host) or hold (engine), naming the predictor flags. */
export function checkOpTableGrid(
  grid: { maxTokens: number; maxKv: number; maxBatch: number; maxChunk: number; g: number },
  prefix: string,
): void {
  const bytes = opTableEntries(grid) * 8;
  const budget = WASM32_MAX_BYTES * OP_TABLE_SHARE;
  if (bytes <= budget) return;
  throw new InputError(
    `the op-table grid (${grid.maxTokens} tokens, KV 0..${grid.maxKv} step ${grid.g}, decode batch ${grid.maxBatch}, prefill chunk ${grid.maxChunk}) ` +
      `needs ${(bytes / 2 ** 30).toFixed(1)} GiB, more than the ${(budget / 2 ** 30).toFixed(1)} GiB one run allows; lower ` +
      `--${prefix}_prediction_max_tokens_per_request, _prediction_max_batch_size or _prediction_max_prefill_chunk_size, or raise --${prefix}_kv_cache_prediction_granularity`,
  );
}
