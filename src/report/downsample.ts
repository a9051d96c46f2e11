/**
 * Min/max down-sampling for time series: the x range is cut into `buckets` equal slices (one per pixel
 * column, or half of one) and each slice keeps, for every series, its smallest and largest value, in the
 * order they occurred. A line through the result covers exactly the vertical extent the full series covers
 * in that pixel column, so spikes and dips are never lost however long the run; the output has at most
 * 2 × buckets points. Series sharing one x column are sampled together (2 points per slice: its first and
 * last x), which keeps them aligned for one chart. A slice where a series is all NaN keeps NaN (a gap).
 * Series of at most 2 × buckets points are returned unchanged.
 *
 * Rows can be fed one chunk at a time (`MinMaxDownsampler`), so a table of millions of rows is reduced
 * while it is read, without holding it; `minMaxDownsample` does the same for arrays in memory.
 *
 * @example
 * const x = Float64Array.from({ length: 1_000_000 }, (_, i) => i);
 * const y = Float64Array.from(x, (t) => (t === 500_000 ? 100 : Math.sin(t / 1000)));
 * const d = minMaxDownsample(x, [y], 1000);
 * d.x.length;                 // 2000
 * Math.max(...d.ys[0]);       // 100: the one-sample spike survives
 *
 * const s = new MinMaxDownsampler(0, 3600, 1000, 2);   // x range known up front (e.g. the run's duration)
 * s.add(chunkX, [chunkA, chunkB], chunkRows);          // once per chunk, x ascending
 * const { x: dx, ys: [da, db] } = s.result();
 */
export interface Downsampled {
  x: Float64Array;
  ys: Float64Array[];
}

export class MinMaxDownsampler {
  private readonly lo: number;
  private readonly scale: number;
  // raw rows, kept while there are at most 2 × buckets of them
  private rawX: number[] = [];
  private rawYs: number[][];
  private bucketed = false;
  // per bucket: first and last x; per series and bucket: min, max and which came first
  private readonly firstX: Float64Array;
  private readonly lastX: Float64Array;
  private readonly seen: Uint8Array;
  private readonly min: Float64Array[];
  private readonly max: Float64Array[];
  private readonly minFirst: Uint8Array[];

  /** x values are expected in [x0, x1] (values outside go to the first or last slice). */
  constructor(
    x0: number,
    x1: number,
    private readonly buckets: number,
    private readonly series: number,
  ) {
    this.lo = x0;
    this.scale = x1 > x0 ? buckets / (x1 - x0) : 0;
    this.rawYs = Array.from({ length: series }, () => []);
    this.firstX = new Float64Array(buckets);
    this.lastX = new Float64Array(buckets);
    this.seen = new Uint8Array(buckets);
    this.min = Array.from({ length: series }, () => new Float64Array(buckets).fill(Number.NaN));
    this.max = Array.from({ length: series }, () => new Float64Array(buckets).fill(Number.NaN));
    this.minFirst = Array.from({ length: series }, () => new Uint8Array(buckets));
  }

  /**
   * Adds rows [0, rows) of the chunk. x should ascend for the result to be a faithful line; unordered x (batches
   * in completion order) still land in the right slices, drawn at the slice's smallest and largest x.
   */
  add(x: ArrayLike<number>, ys: readonly ArrayLike<number>[], rows = x.length): void {
    if (!this.bucketed) {
      if (this.rawX.length + rows <= 2 * this.buckets) {
        for (let i = 0; i < rows; i++) {
          this.rawX.push(x[i]);
          for (let s = 0; s < this.series; s++) this.rawYs[s].push(ys[s][i]);
        }
        return;
      }
      this.bucketed = true;
      const rx = this.rawX;
      const rys = this.rawYs;
      this.rawX = [];
      this.rawYs = [];
      this.fold(rx, rys, rx.length);
    }
    this.fold(x, ys, rows);
  }

  private bucketOf = new Int32Array(0);

  private fold(x: ArrayLike<number>, ys: readonly ArrayLike<number>[], rows: number): void {
    const last = this.buckets - 1;
    const lo = this.lo;
    const scale = this.scale;
    if (this.bucketOf.length < rows) this.bucketOf = new Int32Array(rows);
    const bucketOf = this.bucketOf;
    const { seen, firstX, lastX } = this;
    for (let i = 0; i < rows; i++) {
      const xi = x[i];
      let b = Math.floor((xi - lo) * scale);
      b = b < 0 ? 0 : Math.min(b, last);
      bucketOf[i] = b;
      // the slice's smallest and largest x (its first and last when x is ascending)
      if (!seen[b]) {
        seen[b] = 1;
        firstX[b] = xi;
        lastX[b] = xi;
      } else if (xi < firstX[b]) {
        firstX[b] = xi;
      } else if (xi > lastX[b]) {
        lastX[b] = xi;
      }
    }
    for (let s = 0; s < this.series; s++) {
      const y = ys[s];
      const mn = this.min[s];
      const mx = this.max[s];
      const minFirst = this.minFirst[s];
      for (let i = 0; i < rows; i++) {
        const v = y[i];
        if (v !== v) continue;
        const b = bucketOf[i];
        if (mn[b] !== mn[b]) {
          mn[b] = v;
          mx[b] = v;
          minFirst[b] = 1;
        } else if (v < mn[b]) {
          mn[b] = v;
          // the new minimum comes after the current maximum
          minFirst[b] = 0;
        } else if (v > mx[b]) {
          mx[b] = v;
          minFirst[b] = 1;
        }
      }
    }
  }

  result(): Downsampled {
    if (!this.bucketed) return { x: Float64Array.from(this.rawX), ys: this.rawYs.map((y) => Float64Array.from(y)) };
    let m = 0;
    for (let b = 0; b < this.buckets; b++) m += this.seen[b] * 2;
    const x = new Float64Array(m);
    const ys = Array.from({ length: this.series }, () => new Float64Array(m));
    let k = 0;
    for (let b = 0; b < this.buckets; b++) {
      if (!this.seen[b]) continue;
      x[k] = this.firstX[b];
      x[k + 1] = this.lastX[b];
      for (let s = 0; s < this.series; s++) {
        const first = this.minFirst[s][b] ? this.min[s][b] : this.max[s][b];
        const second = this.minFirst[s][b] ? this.max[s][b] : this.min[s][b];
        ys[s][k] = first;
        ys[s][k + 1] = second;
      }
      k += 2;
    }
    return { x, ys };
  }
}

/** Down-samples series held in memory (x ascending). */
export function minMaxDownsample(x: ArrayLike<number>, ys: readonly ArrayLike<number>[], buckets: number): Downsampled {
  const n = x.length;
  const d = new MinMaxDownsampler(n ? x[0] : 0, n ? x[n - 1] : 0, buckets, ys.length);
  d.add(x, ys, n);
  return d.result();
}
