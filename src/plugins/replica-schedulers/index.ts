/**
 * The replica schedulers (`--replica_scheduler_config_type`). Adding one: an AssemblyScript file under
 * assembly/schedulers/, a descriptor file here, and one line in this list (docs/ARCHITECTURE.md).
 *
 * @example
 * replicaSchedulerByName("sarathi").prefix; // "sarathi_scheduler_config"
 */
import { InputError } from "../../core/errors.js";
import { fasterTransformer } from "./faster-transformer.js";
import { lightllm } from "./lightllm.js";
import { orca } from "./orca.js";
import { sarathi } from "./sarathi.js";
import { vllm } from "./vllm.js";

export const REPLICA_SCHEDULERS = [vllm, sarathi, orca, fasterTransformer, lightllm] as const;

export type ReplicaScheduler = (typeof REPLICA_SCHEDULERS)[number];
export type ReplicaSchedulerName = ReplicaScheduler["name"];
export const REPLICA_SCHEDULER_NAMES = REPLICA_SCHEDULERS.map((s) => s.name) as unknown as readonly [
  ReplicaSchedulerName,
  ...ReplicaSchedulerName[],
];

export function replicaSchedulerByName(name: string): ReplicaScheduler {
  const s = REPLICA_SCHEDULERS.find((p) => p.name === name);
  if (!s) throw new InputError(`--replica_scheduler_config_type must be one of ${REPLICA_SCHEDULER_NAMES.join(", ")}, got "${name}"`);
  return s;
}
