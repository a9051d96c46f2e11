/**
 * The options every replica scheduler has (Vidur's BaseReplicaSchedulerConfig), and the plug-in shape.
 *
 * @example
 * commonSchedulerOptions(16).block_size.default; // 16
 */
import { float, int, type OptionTable } from "../../core/descriptor.js";
import type { EngineHook, OptionsPlugin } from "../types.js";

export function commonSchedulerOptions<const B extends number>(blockSize: B, blockHelp = "KV-cache block size in tokens") {
  const group = "replica scheduler";
  return {
    batch_size_cap: int({ default: 128, min: 1, max: 1 << 20, group, help: "maximum requests in the running set" }),
    block_size: int({ default: blockSize, min: 1, max: 1 << 16, group, help: blockHelp }),
    watermark_blocks_fraction: float({
      default: 0.01,
      min: 0,
      max: 1,
      group,
      help: "fraction of blocks kept free when admitting new requests",
    }),
    num_blocks: int({
      default: null,
      min: 1,
      max: 2 ** 31 - 1,
      group,
      help: "KV-cache blocks per replica (default: from the memory planner)",
    }),
  };
}

export interface ReplicaSchedulerPlugin<Name extends string = string, Prefix extends string = string, T extends OptionTable = OptionTable>
  extends OptionsPlugin<Name, Prefix, T> {
  /** `nextBatch(r): slot` always; `onBatchEnd(r, slot): keep` only where the scheduler overrides the default. */
  engine: EngineHook;
}

/** Declares a replica scheduler; the options' help is prefixed with the scheduler's name. */
export function replicaScheduler<const Name extends string, const Prefix extends string, const T extends OptionTable>(
  p: ReplicaSchedulerPlugin<Name, Prefix, T>,
): ReplicaSchedulerPlugin<Name, Prefix, T> {
  for (const def of Object.values(p.options)) Object.assign(def, { group: `replica scheduler: ${p.name}` });
  return p;
}
