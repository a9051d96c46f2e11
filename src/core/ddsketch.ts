/**
 * A mergeable quantile sketch with relative accuracy (DDSketch, Masson, Rim & Lee, VLDB 2019): values are
 * counted in logarithmic buckets, bucket i holding (γ^(i-1), γ^i] with γ = (1 + α) / (1 - α), and a quantile is
 * answered with its bucket's representative 2γ^i / (γ + 1). The sample at rank ⌊q·(n - 1)⌋ (0-based, sorted)
 * is then returned within relative error α: |estimate - x| ≤ α·|x|, for any data and any n. Memory grows with
 * the logarithm of the value range (about 1,600 buckets for 1e-4 .. 1e3 at α = 0.5 %), not with n.
 *
 * Sketches with the same α merge exactly (bucket counts add), so shards of a sweep can be combined; zero and
 * negative values are kept too (a zero count, and a mirrored store for negatives). NaN is ignored. Vidur keeps
 * its token-level distributions in DDSketches for the same reason.
 *
 * @example
 * const s = new DDSketch(0.005);
 * for (let i = 1; i <= 1000; i++) s.add(i);
 * s.quantile(0.5); // within 0.5 % of 500 (the sample at rank ⌊0.5·999⌋ = 499)
 */
export class DDSketch {
  readonly alpha: number;
  private readonly logGamma: number;
  private readonly gamma: number;
  private pos = new BucketStore();
  private neg = new BucketStore();
  private zeros = 0;
  /** Samples added (zero and negative included). */
  count = 0;
  min = Infinity;
  max = -Infinity;
  private sum = 0;
  private comp = 0;

  constructor(alpha = 0.005) {
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`DDSketch relative accuracy must be in (0, 1), got ${alpha}`);
    this.alpha = alpha;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.logGamma = Math.log(this.gamma);
  }

  /** Bucket of a positive value: ⌈log_γ v⌉. */
  private index(v: number): number {
    return Math.ceil(Math.log(v) / this.logGamma);
  }

  private value(i: number): number {
    return (2 * Math.exp(i * this.logGamma)) / (this.gamma + 1);
  }

  /** Adds `value` `times` times (NaN ignored). */
  add(value: number, times = 1): void {
    if (value !== value || times <= 0) return;
    if (value > 0) this.pos.add(this.index(value), times);
    else if (value < 0) this.neg.add(this.index(-value), times);
    else this.zeros += times;
    this.count += times;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // Neumaier-compensated running sum, for the mean
    const x = value * times;
    const t = this.sum + x;
    this.comp += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  /** Mean of the samples added (exact up to floating-point summation), NaN when empty. */
  mean(): number {
    if (this.count === 0) return NaN;
    return (Number.isFinite(this.sum) ? this.sum + this.comp : this.sum) / this.count;
  }

  /**
   * The q-quantile: the sample at rank ⌊q·(n - 1)⌋ within relative error α, clamped to [min, max]. NaN when empty.
   *
   * @example
   * const s = new DDSketch(0.01); [3, 1, 2].forEach((x) => s.add(x)); s.quantile(1); // 3 (the exact max)
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    if (this.count === 0) return NaN;
    const rank = Math.floor(q * (this.count - 1));
    if (rank === 0) return this.min;
    if (rank === this.count - 1) return this.max;
    let seen = 0;
    // negatives from the most negative (highest index) up
    const nc = this.neg.counts;
    for (let k = nc.length - 1; k >= 0; k--) {
      seen += nc[k];
      if (seen > rank) return this.clamp(-this.value(this.neg.offset + k));
    }
    seen += this.zeros;
    if (seen > rank) return this.clamp(0);
    const pc = this.pos.counts;
    for (let k = 0; k < pc.length; k++) {
      seen += pc[k];
      if (seen > rank) return this.clamp(this.value(this.pos.offset + k));
    }
    return this.max;
  }

  private clamp(v: number): number {
    return v < this.min ? this.min : Math.min(v, this.max);
  }

  /**
   * Adds another sketch's samples (same α required): the result is the sketch of both data sets.
   *
   * @example
   * const a = new DDSketch(); a.add(1); const b = new DDSketch(); b.add(3); a.merge(b); a.count; // 2
   */
  merge(other: DDSketch): void {
    if (other.alpha !== this.alpha) throw new RangeError(`cannot merge DDSketches of accuracy ${other.alpha} and ${this.alpha}`);
    this.pos.merge(other.pos);
    this.neg.merge(other.neg);
    this.zeros += other.zeros;
    this.count += other.count;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    const t = this.sum + other.sum;
    this.comp += (Math.abs(this.sum) >= Math.abs(other.sum) ? this.sum - t + other.sum : other.sum - t + this.sum) + other.comp;
    this.sum = t;
  }

  /** A plain-JSON form (for shards written to disk); `DDSketch.fromJSON` reads it back. */
  toJSON(): DDSketchJSON {
    return {
      alpha: this.alpha,
      count: this.count,
      min: this.min,
      max: this.max,
      sum: this.sum + this.comp,
      zeros: this.zeros,
      positive: { offset: this.pos.offset, counts: [...this.pos.counts] },
      negative: { offset: this.neg.offset, counts: [...this.neg.counts] },
    };
  }

  static fromJSON(j: DDSketchJSON): DDSketch {
    const s = new DDSketch(j.alpha);
    s.count = j.count;
    s.min = j.min ?? Infinity;
    s.max = j.max ?? -Infinity;
    s.sum = j.sum;
    s.zeros = j.zeros;
    s.pos = BucketStore.of(j.positive.offset, j.positive.counts);
    s.neg = BucketStore.of(j.negative.offset, j.negative.counts);
    return s;
  }
}

export interface DDSketchJSON {
  alpha: number;
  count: number;
  min: number | null;
  max: number | null;
  sum: number;
  zeros: number;
  positive: { offset: number; counts: number[] };
  negative: { offset: number; counts: number[] };
}

/** Dense counts for bucket indices [offset, offset + counts.length), grown at either end as needed. */
class BucketStore {
  offset = 0;
  counts = new Float64Array(0);

  static of(offset: number, counts: number[]): BucketStore {
    const b = new BucketStore();
    b.offset = offset;
    b.counts = Float64Array.from(counts);
    return b;
  }

  add(index: number, times: number): void {
    if (this.counts.length === 0) {
      this.offset = index;
      this.counts = new Float64Array(64);
    }
    let k = index - this.offset;
    if (k < 0 || k >= this.counts.length) k = this.extend(index);
    this.counts[k] += times;
  }

  /** Grows the range to include `index` (with slack); returns its position. */
  private extend(index: number): number {
    const lo = Math.min(this.offset, index);
    const hi = Math.max(this.offset + this.counts.length - 1, index);
    const slack = Math.max(64, (hi - lo + 1) >> 1);
    const newLo = index < this.offset ? lo - slack : lo;
    const grown = new Float64Array(hi - newLo + 1 + (index < this.offset ? 0 : slack));
    grown.set(this.counts, this.offset - newLo);
    this.offset = newLo;
    this.counts = grown;
    return index - newLo;
  }

  merge(other: BucketStore): void {
    for (let k = 0; k < other.counts.length; k++) if (other.counts[k] !== 0) this.add(other.offset + k, other.counts[k]);
  }
}
