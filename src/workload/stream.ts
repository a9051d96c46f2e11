/**
 * Building and ordering `RequestStream`s: a growable builder (generators do not always know their count),
 * and the stable sort by arrival that Vidur applies (`requests.sort(key=lambda r: r.arrived_at)`, which is
 * stable, so equal arrival times keep generation order).
 *
 * @example
 * const b = new StreamBuilder(2);
 * b.push(0.5, 100, 10); b.push(0.25, 200, 20);
 * sortByArrival(b.finish()).stream.arrivedAt; // Float64Array [0.25, 0.5]
 */
import type { RequestStream } from "../core/types.js";

export class StreamBuilder {
  private arrivedAt: Float64Array;
  private prefill: Int32Array;
  private decode: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    const cap = Math.max(1, capacity);
    this.arrivedAt = new Float64Array(cap);
    this.prefill = new Int32Array(cap);
    this.decode = new Int32Array(cap);
  }

  push(arrivedAt: number, prefill: number, decode: number): void {
    if (this.length === this.arrivedAt.length) {
      const cap = this.length * 2;
      const a = new Float64Array(cap);
      a.set(this.arrivedAt);
      const p = new Int32Array(cap);
      p.set(this.prefill);
      const d = new Int32Array(cap);
      d.set(this.decode);
      this.arrivedAt = a;
      this.prefill = p;
      this.decode = d;
    }
    this.arrivedAt[this.length] = arrivedAt;
    this.prefill[this.length] = prefill;
    this.decode[this.length] = decode;
    this.length++;
  }

  /**
   * The stream in push order; the builder is done after this. Arrays filled to capacity are handed over as
   * they are (the usual case: generators that know their count size the builder exactly), others are trimmed
   * copies. Not copying matters at scale: 1M requests would otherwise leave 15 MB of garbage that V8 frees
   * only at its next major GC, which the engine's single long call postpones to after the simulation.
   */
  finish(): RequestStream {
    const full = this.length === this.arrivedAt.length;
    const stream = {
      arrivedAt: full ? this.arrivedAt : this.arrivedAt.slice(0, this.length),
      numPrefillTokens: full ? this.prefill : this.prefill.slice(0, this.length),
      numDecodeTokens: full ? this.decode : this.decode.slice(0, this.length),
    };
    this.arrivedAt = new Float64Array(1);
    this.prefill = new Int32Array(1);
    this.decode = new Int32Array(1);
    this.length = 0;
    return stream;
  }
}

/** Index of the first row whose arrival is earlier than its predecessor's, or -1 if sorted. */
export function firstUnsortedRow(arrivedAt: Float64Array): number {
  for (let i = 1; i < arrivedAt.length; i++) if (arrivedAt[i] < arrivedAt[i - 1]) return i;
  return -1;
}

/** The stream stably sorted by arrival; `moved` says whether the input was out of order. */
export function sortByArrival(s: RequestStream): { stream: RequestStream; moved: boolean } {
  if (firstUnsortedRow(s.arrivedAt) < 0) return { stream: s, moved: false };
  const n = s.arrivedAt.length;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => s.arrivedAt[a] - s.arrivedAt[b] || a - b);
  const out: RequestStream = {
    arrivedAt: new Float64Array(n),
    numPrefillTokens: new Int32Array(n),
    numDecodeTokens: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const j = order[i];
    out.arrivedAt[i] = s.arrivedAt[j];
    out.numPrefillTokens[i] = s.numPrefillTokens[j];
    out.numDecodeTokens[i] = s.numDecodeTokens[j];
  }
  return { stream: out, moved: true };
}
