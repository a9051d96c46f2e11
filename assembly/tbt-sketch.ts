// Time-between-tokens samples past the exact limit: a DDSketch (relative accuracy 0.5 %), the same bucket
// mapping as the host's src/core/ddsketch.ts, which reads the counts back (index = ceil(ln v / ln γ)).
// Buckets cover 2.8e-10 .. 3.6e9 s (values outside land in the end buckets; min and max stay exact).
// Example: sketchAdd(0.02, 3) counts 0.02 three times in bucket ceil(ln 0.02 / ln γ) = -391.
import { TBT_SKETCH_ALPHA as SKETCH_ALPHA, TBT_SKETCH_BUCKETS as SKETCH_BUCKETS, TBT_SKETCH_OFFSET as SKETCH_OFFSET } from "./abi";
const LOG_GAMMA: f64 = Math.log((1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA));

export let sketchPos: usize = 0; // f64 count per bucket, positive values
export let sketchNeg: usize = 0; // f64 count per bucket, |negative values|
export let sketchZeros: f64 = 0;
export let sketchCount: f64 = 0;
export let sketchMin: f64 = Infinity;
export let sketchMax: f64 = -Infinity;
let sum: f64 = 0;
let comp: f64 = 0;

export function allocSketch(): void {
  sketchPos = heap.alloc(<usize>SKETCH_BUCKETS << 3);
  sketchNeg = heap.alloc(<usize>SKETCH_BUCKETS << 3);
  memory.fill(sketchPos, 0, <usize>SKETCH_BUCKETS << 3);
  memory.fill(sketchNeg, 0, <usize>SKETCH_BUCKETS << 3);
  sketchZeros = 0;
  sketchCount = 0;
  sketchMin = Infinity;
  sketchMax = -Infinity;
  sum = 0;
  comp = 0;
}

@inline function bucket(v: f64): usize {
  let k = <i32>Math.ceil(Math.log(v) / LOG_GAMMA) - SKETCH_OFFSET;
  if (k < 0) k = 0;
  if (k >= SKETCH_BUCKETS) k = SKETCH_BUCKETS - 1;
  return <usize>k << 3;
}

/** Counts `value` `times` times. */
export function sketchAdd(value: f64, times: f64): void {
  if (value > 0) {
    const p = sketchPos + bucket(value);
    store<f64>(p, load<f64>(p) + times);
  } else if (value < 0) {
    const p = sketchNeg + bucket(-value);
    store<f64>(p, load<f64>(p) + times);
  } else {
    sketchZeros += times;
  }
  sketchCount += times;
  if (value < sketchMin) sketchMin = value;
  if (value > sketchMax) sketchMax = value;
  const x = value * times;
  const t = sum + x;
  comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
  sum = t;
}

/** Σ of the samples counted (compensated). */
export function sketchSum(): f64 {
  return sum + comp;
}
