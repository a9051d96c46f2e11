/**
 * Samples of one latency metric, taken chunk by chunk: kept exactly up to `exactLimit` samples (the summary is
 * then the exact one of src/tables/quantiles.ts, bit for bit), and past it folded into a DDSketch
 * (src/core/ddsketch.ts), so memory stays bounded at any request count. `method` says which one a summary is.
 *
 * @example
 * const acc = new LatencyAccumulator(1_000_000);
 * acc.add(0.25); acc.add(0.5);
 * acc.summary().p50; // 0.375 (exact)
 * acc.method;        // "exact"
 */
import { summarizeInPlace, type Summary } from "../tables/quantiles.js";
import { DDSketch } from "../core/ddsketch.js";

/** Relative accuracy of sketched quantiles (0.5 %). */
export const SKETCH_ALPHA = 0.005;

/** Default exact-sample limit: parity fixtures and ordinary runs (up to a million requests) stay exact. */
export const DEFAULT_EXACT_QUANTILE_SAMPLES = 2_000_000;

export type QuantileMethod = "exact" | "sketch";

export class LatencyAccumulator {
  private samples: Float64Array;
  private n = 0;
  private sketch: DDSketch | undefined;

  constructor(readonly exactLimit: number = DEFAULT_EXACT_QUANTILE_SAMPLES) {
    this.samples = new Float64Array(Math.min(exactLimit, 1024));
  }

  get method(): QuantileMethod {
    return this.sketch ? "sketch" : "exact";
  }

  /** One sample (NaN ignored, as in the exact summary). */
  add(x: number): void {
    if (x !== x) return;
    if (this.sketch) {
      this.sketch.add(x);
      return;
    }
    if (this.n === this.samples.length) {
      if (this.n >= this.exactLimit) {
        this.toSketch().add(x);
        return;
      }
      const grown = new Float64Array(Math.min(this.exactLimit, this.n * 2));
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.n++] = x;
  }

  private toSketch(): DDSketch {
    const s = new DDSketch(SKETCH_ALPHA);
    for (let i = 0; i < this.n; i++) s.add(this.samples[i]);
    this.sketch = s;
    this.samples = new Float64Array(0);
    this.n = 0;
    return s;
  }

  /** The sketch once the samples went past the limit (shards of a sweep merge it); undefined while exact. */
  get sketched(): DDSketch | undefined {
    return this.sketch;
  }

  /** p50/p90/p99, mean, min, max, count: exact, or (past the limit) quantiles within SKETCH_ALPHA. */
  summary(): Summary {
    const s = this.sketch;
    if (!s) return summarizeInPlace(this.samples.subarray(0, this.n));
    return { p50: s.quantile(0.5), p90: s.quantile(0.9), p99: s.quantile(0.99), mean: s.mean(), min: s.min, max: s.max, count: s.count };
  }
}
