/**
 * The global schedulers (`--global_scheduler_config_type`): how requests are routed to replicas. They have no
 * options of their own; the engine's routing switch (assembly/schedulers/global.ts) reads the generated codes.
 *
 * @example
 * GLOBAL_SCHEDULERS.find((g) => g.name === "lor")?.code; // 1
 */
import type { Plugin } from "./types.js";

export const GLOBAL_SCHEDULERS = [
  { name: "round_robin", code: 0, doc: "round robin over replicas, in arrival order" },
  { name: "lor", code: 1, doc: "least outstanding requests: the replica with the fewest queued and running requests" },
  { name: "random", code: 2, doc: "uniformly random replica (Vidur's global stream, precomputed as a route table)" },
] as const satisfies readonly Plugin[];

export type GlobalSchedulerName = (typeof GLOBAL_SCHEDULERS)[number]["name"];
export const GLOBAL_SCHEDULER_NAMES = GLOBAL_SCHEDULERS.map((g) => g.name) as unknown as readonly [
  GlobalSchedulerName,
  ...GlobalSchedulerName[],
];
