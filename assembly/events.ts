// The event queue: a binary min-heap ordered by (time, creation sequence), exactly Vidur's tie-breaking
// (its event-type priorities are never consulted). Request arrivals of an open-loop workload are not pushed:
// they are the first-created events (sequence 1..N) and already sorted, so they are merged from the request
// array instead, which keeps the heap small.
// Events created for the current time (most of them: a batch's schedule, stage arrival, stage schedule and
// end all happen at the time of the event that creates them) skip the heap: they go to a FIFO. They are
// created after every heap event of the same time (those were pushed while the clock was earlier), and in
// sequence order among themselves, so the loop takes arrivals, then heap events, of the FIFO's time first
// and then the FIFO in order: the same order as the heap alone, without its sifts.
import { I32List, newI32List } from "./vec";

let hTime: usize = 0; // f64 per heap position
let hSeq: usize = 0; // f64 per heap position (creation sequence; exact up to 2^53)
let hSlot: usize = 0; // i32 per heap position: payload slot
let heapLen: i32 = 0;
let heapCap: i32 = 0;
// payload slots
let eType: usize = 0;
let eA: usize = 0;
let eB: usize = 0;
let eC: usize = 0;
let slotCap: i32 = 0;
let freeEventSlots: I32List = changetype<I32List>(0);
export let nextSeq: f64 = 1;
// FIFO of events at time `current`: 16 bytes each (type, a, b, c), ring of fifoMask + 1 entries
let fifo: usize = 0;
let fifoHead: i32 = 0;
let fifoLen: i32 = 0;
let fifoMask: i32 = 0;
/** The time of the event being handled (set by the loop); pushes for this time go to the FIFO. */
export let current: f64 = -Infinity;

export function allocEvents(cap: i32, firstSeq: f64): void {
  heapCap = cap;
  hTime = heap.alloc(<usize>cap << 3);
  hSeq = heap.alloc(<usize>cap << 3);
  hSlot = heap.alloc(<usize>cap << 2);
  slotCap = cap;
  eType = heap.alloc(<usize>cap << 2);
  eA = heap.alloc(<usize>cap << 2);
  eB = heap.alloc(<usize>cap << 2);
  eC = heap.alloc(<usize>cap << 2);
  freeEventSlots = newI32List(cap);
  for (let i = cap - 1; i >= 0; i--) freeEventSlots.push(i);
  heapLen = 0;
  nextSeq = firstSeq;
  fifoMask = 63;
  fifo = heap.alloc(<usize>(fifoMask + 1) << 4);
  fifoHead = 0;
  fifoLen = 0;
  current = -Infinity;
}

function growFifo(): void {
  const cap = fifoMask + 1;
  const grown = heap.alloc(<usize>cap << 5);
  for (let i = 0; i < fifoLen; i++) memory.copy(grown + (<usize>i << 4), fifo + (<usize>((fifoHead + i) & fifoMask) << 4), 16);
  fifo = grown;
  fifoHead = 0;
  fifoMask = (cap << 1) - 1;
}

@inline export function fifoSize(): i32 { return fifoLen; }
/** The FIFO's front entry (type at +0, a +4, b +8, c +12); valid until the next push. */
@inline export function fifoFront(): usize { return fifo + (<usize>fifoHead << 4); }
@inline export function fifoDrop(): void {
  fifoHead = (fifoHead + 1) & fifoMask;
  fifoLen--;
}

function growSlots(): void {
  const nc = slotCap << 1;
  eType = heap.realloc(eType, <usize>nc << 2);
  eA = heap.realloc(eA, <usize>nc << 2);
  eB = heap.realloc(eB, <usize>nc << 2);
  eC = heap.realloc(eC, <usize>nc << 2);
  for (let i = nc - 1; i >= slotCap; i--) freeEventSlots.push(i);
  slotCap = nc;
}

function growHeap(): void {
  const nc = heapCap << 1;
  hTime = heap.realloc(hTime, <usize>nc << 3);
  hSeq = heap.realloc(hSeq, <usize>nc << 3);
  hSlot = heap.realloc(hSlot, <usize>nc << 2);
  heapCap = nc;
}

@inline export function heapSize(): i32 { return heapLen; }
@inline export function topTime(): f64 { return load<f64>(hTime); }
@inline export function topSeq(): f64 { return load<f64>(hSeq); }
@inline export function slotType(s: i32): i32 { return load<i32>(eType + (<usize>s << 2)); }
@inline export function slotA(s: i32): i32 { return load<i32>(eA + (<usize>s << 2)); }
@inline export function slotB(s: i32): i32 { return load<i32>(eB + (<usize>s << 2)); }
@inline export function slotC(s: i32): i32 { return load<i32>(eC + (<usize>s << 2)); }
@inline export function releaseSlot(s: i32): void { freeEventSlots.push(s); }

@inline function less(t1: f64, s1: f64, t2: f64, s2: f64): bool {
  return t1 < t2 || (t1 == t2 && s1 < s2);
}

/** Creates an event (taking the next creation sequence number) and pushes it. */
export function push(time: f64, type: i32, a: i32, b: i32, c: i32): void {
  if (time == current) {
    nextSeq += 1; // the FIFO's order is its sequence order; the number is taken all the same
    if (fifoLen > fifoMask) growFifo();
    const e = fifo + (<usize>((fifoHead + fifoLen) & fifoMask) << 4);
    store<i32>(e, type);
    store<i32>(e, a, 4);
    store<i32>(e, b, 8);
    store<i32>(e, c, 12);
    fifoLen++;
    return;
  }
  if (freeEventSlots.size == 0) growSlots();
  const slot = freeEventSlots.popBack();
  store<i32>(eType + (<usize>slot << 2), type);
  store<i32>(eA + (<usize>slot << 2), a);
  store<i32>(eB + (<usize>slot << 2), b);
  store<i32>(eC + (<usize>slot << 2), c);
  const seq = nextSeq;
  nextSeq += 1;
  if (heapLen == heapCap) growHeap();
  // sift up
  let i = heapLen++;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const pt = load<f64>(hTime + (<usize>parent << 3));
    const ps = load<f64>(hSeq + (<usize>parent << 3));
    if (!less(time, seq, pt, ps)) break;
    store<f64>(hTime + (<usize>i << 3), pt);
    store<f64>(hSeq + (<usize>i << 3), ps);
    store<i32>(hSlot + (<usize>i << 2), load<i32>(hSlot + (<usize>parent << 2)));
    i = parent;
  }
  store<f64>(hTime + (<usize>i << 3), time);
  store<f64>(hSeq + (<usize>i << 3), seq);
  store<i32>(hSlot + (<usize>i << 2), slot);
}

/** Removes the earliest event and returns its payload slot (release it after handling). */
export function pop(): i32 {
  const top = load<i32>(hSlot);
  heapLen--;
  if (heapLen > 0) {
    const t = load<f64>(hTime + (<usize>heapLen << 3));
    const s = load<f64>(hSeq + (<usize>heapLen << 3));
    const sl = load<i32>(hSlot + (<usize>heapLen << 2));
    let i = 0;
    const n = heapLen;
    while (true) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ct = load<f64>(hTime + (<usize>child << 3));
      let cs = load<f64>(hSeq + (<usize>child << 3));
      const right = child + 1;
      if (right < n) {
        const rt = load<f64>(hTime + (<usize>right << 3));
        const rs = load<f64>(hSeq + (<usize>right << 3));
        if (less(rt, rs, ct, cs)) { child = right; ct = rt; cs = rs; }
      }
      if (!less(ct, cs, t, s)) break;
      store<f64>(hTime + (<usize>i << 3), ct);
      store<f64>(hSeq + (<usize>i << 3), cs);
      store<i32>(hSlot + (<usize>i << 2), load<i32>(hSlot + (<usize>child << 2)));
      i = child;
    }
    store<f64>(hTime + (<usize>i << 3), t);
    store<f64>(hSeq + (<usize>i << 3), s);
    store<i32>(hSlot + (<usize>i << 2), sl);
  }
  return top;
}
