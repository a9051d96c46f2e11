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
