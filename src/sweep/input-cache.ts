/**
 * Per-worker memo of a run's expensive inputs: op tables (one set per model/device/node/TP/PP/predictor
 * source and grid) and request streams (one per workload configuration), each in a small LRU so a long
 * sweep's memory stays flat. Plugged into resolveScenario via `ScenarioInputs`.
 *
 * @example
 * const cache = new InputCache();
 * simulate(options, { inputs: cache.inputs });   // second run with the same model/device/TP reuses the tables
 */
import type { OpTables, RequestStream } from "../core/types.js";
import { buildOpTables, type PredictorOptions } from "../predictor/index.js";
import type { ScenarioInputs } from "../scenario/resolve.js";
import { generateRequests, WORKLOAD_KEYS, type GenerateOptions, type WorkloadConfig } from "../workload/index.js";

/** A tiny LRU on a Map (insertion order = recency). */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  hits = 0;
  misses = 0;
  constructor(readonly capacity: number) {}
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.hits++;
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    this.misses++;
    const value = make();
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
    return value;
  }
  get size(): number {
    return this.map.size;
  }
}

export class InputCache {
  readonly opTables: Lru<OpTables>;
  readonly requests: Lru<RequestStream>;
  readonly inputs: ScenarioInputs;

  constructor(opTableSlots = 6, requestSlots = 16) {
    this.opTables = new Lru(opTableSlots);
    this.requests = new Lru(requestSlots);
    this.inputs = {
      opTables: (source: string, opts: PredictorOptions) =>
        this.opTables.get(JSON.stringify([source, opts]), () => buildOpTables(source, opts)),
      requests: (cfg: WorkloadConfig, opts: GenerateOptions) => {
        const key = JSON.stringify([opts.baseDir ?? null, ...WORKLOAD_KEYS.map((k) => cfg[k] ?? null)]);
        return this.requests.get(key, () => generateRequests(cfg, opts));
      },
    };
  }
}
