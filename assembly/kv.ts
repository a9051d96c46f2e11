// Paged KV-cache block accounting per replica (Vidur's allocation map). A request is in the map iff its
// block count is >= 0; the map's size is kept per replica.
import { numBlocks, rAllocated, rMapCount, reqAllocBlocks, reqMask } from "./state";
import { loadI32, storeI32 } from "./vec";

@inline export function allocatedBlocks(r: i32): i32 { return loadI32(rAllocated, r); }
@inline export function freeBlocks(r: i32): i32 { return numBlocks - loadI32(rAllocated, r); }
@inline export function mapSize(r: i32): i32 { return loadI32(rMapCount, r); }
@inline export function inMap(req: i32): bool { return loadI32(reqAllocBlocks, req & reqMask) >= 0; }
@inline export function blocksOf(req: i32): i32 { return loadI32(reqAllocBlocks, req & reqMask); }
@inline export function canAllocate(r: i32, blocks: i32): bool { return numBlocks - loadI32(rAllocated, r) >= blocks; }

export function allocate(r: i32, req: i32, blocks: i32): void {
  storeI32(rAllocated, r, loadI32(rAllocated, r) + blocks);
  const held = loadI32(reqAllocBlocks, req & reqMask);
  if (held < 0) {
    storeI32(reqAllocBlocks, req & reqMask, blocks);
    storeI32(rMapCount, r, loadI32(rMapCount, r) + 1);
  } else {
    storeI32(reqAllocBlocks, req & reqMask, held + blocks);
  }
}

/** One more block for a request already in the map holding `held` blocks (allocate's common case, inline). */
@inline export function addBlock(r: i32, req: i32, held: i32): void {
  storeI32(rAllocated, r, loadI32(rAllocated, r) + 1);
  storeI32(reqAllocBlocks, req & reqMask, held + 1);
}

export function free(r: i32, req: i32): void {
  const held = loadI32(reqAllocBlocks, req & reqMask);
  if (held < 0) return;
  storeI32(rAllocated, r, loadI32(rAllocated, r) - held);
  storeI32(rMapCount, r, loadI32(rMapCount, r) - 1);
  storeI32(reqAllocBlocks, req & reqMask, -1);
}

/** Memory usage in percent of blocks, as Vidur reports it. */
@inline export function memoryUsagePercent(r: i32): f64 {
  return (<f64>loadI32(rAllocated, r) * 100.0) / <f64>numBlocks;
}
