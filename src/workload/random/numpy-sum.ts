/**
 * `np.sum` of a contiguous float64 array, bit-exact: NumPy adds with pairwise summation (blocks of ≤ 128
 * elements summed with 8 interleaved accumulators, larger ranges split in halves rounded down to a
 * multiple of 8), starting from the identity 0. A plain left-to-right loop differs in the last bits,
 * which matters where Vidur truncates with `int()` (the zipf normaliser `zetan`).
 *
 * @example
 * numpySum(Float64Array.from([0.1, 0.2, 0.3])); // 0.6000000000000001, like np.sum([0.1, 0.2, 0.3])
 */
function pairwise(a: Float64Array, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[lo],
      r1 = a[lo + 1],
      r2 = a[lo + 2],
      r3 = a[lo + 3];
    let r4 = a[lo + 4],
      r5 = a[lo + 5],
      r6 = a[lo + 6],
      r7 = a[lo + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = lo + i;
      r0 += a[p];
      r1 += a[p + 1];
      r2 += a[p + 2];
      r3 += a[p + 3];
      r4 += a[p + 4];
      r5 += a[p + 5];
      r6 += a[p + 6];
      r7 += a[p + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[lo + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2);
}

export function numpySum(a: Float64Array): number {
  return 0 + pairwise(a, 0, a.length);
}
