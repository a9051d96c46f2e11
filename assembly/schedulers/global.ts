// Global schedulers: route every pending request (sorted by arrival) to a replica at once.
import { GLOBAL_LOR, GLOBAL_RANDOM } from "../generated/codes";
import { globalScheduler, inMask, numReplicas, routeTable, waitingQueue } from "../state";
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

export function route(req: i32): i32 {
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
