// Paged KV-cache block accounting per replica (Vidur's allocation map). A request is in the map iff its
// block count is >= 0; the map's size is kept per replica.
import { numBlocks, rAllocated, rMapCount, reqAllocBlocks, reqMask } from "./state";
import { ldi, sti } from "./vec";

@inline export function allocatedBlocks(r: i32): i32 { return ldi(rAllocated, r); }
@inline export function freeBlocks(r: i32): i32 { return numBlocks - ldi(rAllocated, r); }
@inline export function mapSize(r: i32): i32 { return ldi(rMapCount, r); }
@inline export function inMap(req: i32): bool { return ldi(reqAllocBlocks, req & reqMask) >= 0; }
@inline export function blocksOf(req: i32): i32 { return ldi(reqAllocBlocks, req & reqMask); }
@inline export function canAllocate(r: i32, blocks: i32): bool { return numBlocks - ldi(rAllocated, r) >= blocks; }

export function allocate(r: i32, req: i32, blocks: i32): void {
  sti(rAllocated, r, ldi(rAllocated, r) + blocks);
  const held = ldi(reqAllocBlocks, req & reqMask);
  if (held < 0) {
    sti(reqAllocBlocks, req & reqMask, blocks);
    sti(rMapCount, r, ldi(rMapCount, r) + 1);
  } else {
    sti(reqAllocBlocks, req & reqMask, held + blocks);
  }
}

export function free(r: i32, req: i32): void {
  const held = ldi(reqAllocBlocks, req & reqMask);
  if (held < 0) return;
  sti(rAllocated, r, ldi(rAllocated, r) - held);
  sti(rMapCount, r, ldi(rMapCount, r) - 1);
  sti(reqAllocBlocks, req & reqMask, -1);
}

/** Memory usage in percent of blocks, as Vidur reports it. */
@inline export function memoryUsagePercent(r: i32): f64 {
  return (<f64>ldi(rAllocated, r) * 100.0) / <f64>numBlocks;
}
