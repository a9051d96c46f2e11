// Global schedulers: route every pending request (sorted by arrival) to a replica at once.
import { GLOBAL_LOR, GLOBAL_RANDOM } from "../generated/codes";
import { globalScheduler, inMask, numReplicas, REPLICA_WAKING, replicasGated, rMode, routable, routeTable, waitingQueue } from "../state";
import { allocI32, loadI32, storeI32 } from "../vec";

let lorSnapshot: usize = 0;
let routed: i32 = 0;
let rr: i32 = 0;

export function allocGlobalScheduler(): void {
  lorSnapshot = allocI32(numReplicas);
  routed = 0;
  rr = 0;
}

/** Called once per scheduling round before routing its requests (LOR snapshots queue lengths). */
export function beginRound(): void {
  if (globalScheduler == GLOBAL_LOR) {
    for (let r = 0; r < numReplicas; r++) storeI32(lorSnapshot, r, waitingQueue(r).len);
  }
}

/**
 * A controller has taken replicas out of routing (assembly/control/actuators.ts): the same policy over the
 * active replicas only. Round robin and least-outstanding skip inactive ones; random takes its table's pick,
 * or the next active replica after it (the table is drawn once, for every replica).
 */
function routeActive(): i32 {
  switch (globalScheduler) {
    case GLOBAL_LOR: {
      let best = -1;
      let bestCount = 0;
      for (let r = 0; r < numReplicas; r++) {
        if (!routable(r)) continue;
        const c = loadI32(lorSnapshot, r);
        if (best < 0 || c < bestCount) { best = r; bestCount = c; }
      }
      if (best < 0) best = firstServing(0);
      storeI32(lorSnapshot, best, bestCount + 1);
      return best;
    }
    case GLOBAL_RANDOM:
      return firstServing(loadI32(routeTable, routed++ & inMask));
    default: {
      for (let k = 0; k < numReplicas; k++) {
        const r = rr % numReplicas;
        rr++;
        if (routable(r)) return r;
      }
      return firstServing(0);
    }
  }
}

/** The first active replica from `from` on (cyclic); if none is active (all waking), the first waking one. */
function firstServing(from: i32): i32 {
  for (let k = 0; k < numReplicas; k++) {
    const r = (from + k) % numReplicas;
    if (routable(r)) return r;
  }
  for (let k = 0; k < numReplicas; k++) {
    const r = (from + k) % numReplicas;
    if (loadI32(rMode, r) == REPLICA_WAKING) return r;
  }
  return from;
}

export function route(req: i32): i32 {
  if (replicasGated) return routeActive();
  switch (globalScheduler) {
    case GLOBAL_LOR: {
      let best = 0;
      let bestCount = loadI32(lorSnapshot, 0);
      for (let r = 1; r < numReplicas; r++) {
        const c = loadI32(lorSnapshot, r);
        if (c < bestCount) { best = r; bestCount = c; }
      }
      storeI32(lorSnapshot, best, bestCount + 1);
      return best;
    }
    case GLOBAL_RANDOM:
      return loadI32(routeTable, routed++ & inMask); // decision k's slot in the input ring (state.ts)
    default: {
      const r = rr % numReplicas;
      rr++;
      return r;
    }
  }
}
