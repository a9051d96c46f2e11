/**
 * Writes numbers as ASCII bytes into a buffer, byte-identical to JavaScript's `String(x)` (the shortest
 * decimal that reads back to the same double), without allocating a string per number.
 *
 * Why: V8's Number#toString costs ~300-600 ns per non-integer double on our CI machines, which alone
 * blows the CSV writer's budget (2.5M cells). The common case here (non-integer, 1e-6 <= |x| < 2^53, 16
 * or 17 significant digits) is decided with exact double arithmetic: the scaled value x·10^s is computed
 * exactly as hi + lo (Dekker's two-product), and the candidates are compared against the exact rounding
 * interval of x. Anything within 1e-9 of an interval end or of a tie falls back to String(x), so the
 * output is always exactly String(x) (the tests compare it with String on 600k doubles of several shapes).
 */

/** The most bytes `writeF64`/`writeSafeInt` can write for one number (e.g. "-2.2250738585072014e-308"). */
export const MAX_NUMBER_BYTES = 25;

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp split of a double into two 26-bit halves
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`)); // exact up to 1e22
/** Veltkamp halves of POW10 (POW10 = HI + LO exactly), precomputed for the two-product. */
const POW10_HI = POW10.map((p) => SPLITTER * p - (SPLITTER * p - p));
const POW10_LO = POW10.map((p, i) => p - POW10_HI[i]);
/** DECADE[k + 8] = the double nearest 10^k, k in -8..16 (only steers the exponent estimate). */
const DECADE = Float64Array.from({ length: 25 }, (_, i) => Number(`1e${i - 8}`));
const MARGIN = 1e-9; // safety band around interval ends; arithmetic error here is < 1e-14
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian on every platform Node supports
const digits = new Uint8Array(20);
/** Half an ulp of a double with biased exponent e (normal numbers): 2^(e - 1076). */
const POW2_HALF_ULP = Float64Array.from({ length: 2048 }, (_, e) => 2 ** (e - 1076));

/**
 * Writes `x` (finite) at `buf[pos]`, returns the new position. Same text as `String(x)`.
 *
 * @example
 * const buf = new Uint8Array(32);
 * const end = writeF64(buf, 0, 0.1 + 0.2); // buf[0..end) = "0.30000000000000004"
 */
export function writeF64(buf: Uint8Array, pos: number, x: number): number {
  if (Number.isInteger(x) && x < 9007199254740992 && x > -9007199254740992) return writeSafeInt(buf, pos, x);
  const ax = x < 0 ? -x : x;
  if (ax >= 1e-6 && ax < 9007199254740992) {
    const end = writeFastFraction(buf, x < 0 ? writeMinus(buf, pos) : pos, ax);
    if (end >= 0) return end;
  }
  return writeAscii(buf, pos, String(x));
}

function writeMinus(buf: Uint8Array, pos: number): number {
  buf[pos] = 45; // "-"
  return pos + 1;
}

/**
 * Writes an integer-valued number with |v| < 2^53 in decimal, returns the new position. -0 is written "0".
 *
 * @example
 * writeSafeInt(buf, 0, -1234); // "-1234"
 */
export function writeSafeInt(buf: Uint8Array, pos: number, v: number): number {
  if (v < 0) {
    buf[pos++] = 45;
    v = -v;
  }
  if (v < 10) {
    buf[pos] = 48 + v;
    return pos + 1;
  }
  let n = 0;
  if (v <= 2147483647) {
    let i = v | 0;
    while (i > 0) {
      const q = (i / 10) | 0;
      digits[n++] = i - q * 10;
      i = q;
    }
  } else {
    while (v > 0) {
      const d = v % 10; // exact for integers below 2^53
      digits[n++] = d;
      v = (v - d) / 10;
    }
  }
  while (n > 0) buf[pos++] = 48 + digits[--n];
  return pos;
}

/** Writes a string of ASCII characters (callers guarantee ASCII), returns the new position. */
export function writeAscii(buf: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Positive non-integer ax in [1e-6, 2^53). Returns the end position, or -1 when the fast path cannot prove
 * its answer equals String(ax) (the caller then uses String; `buf` may hold garbage past `pos`).
 */
function writeFastFraction(buf: Uint8Array, pos: number, ax: number): number {
  f64[0] = ax;
  const hiWord = u32[1];
  const exp = hiWord >>> 20; // sign bit is 0
  // A power of two has an asymmetric rounding interval; rare, leave it to String.
  if ((hiWord & 0xfffff) === 0 && u32[0] === 0) return -1;
  // e10 = floor(log10(ax)), so that X = ax·10^(16-e10) is in [1e16, 1e17); the estimate from the binary
  // exponent is off by at most one, the table compare fixes most cases, the loop the rest.
  let e10 = Math.floor((exp - 1023) * 0.30102999566398114);
  if (e10 < 15 && ax >= DECADE[e10 + 8]) e10++;
  let hi = 0;
  let lo = 0;
  const c = SPLITTER * ax;
  const ah = c - (c - ax);
  const al = ax - ah;
  for (let attempt = 0; ; attempt++) {
    const s = 16 - e10;
    if (attempt === 3 || s < 0 || s > 22) return -1;
    // Dekker two-product: ax·10^s = hi + lo exactly.
    const p = POW10[s];
    const ph = POW10_HI[s];
    const pl = POW10_LO[s];
    hi = ax * p;
    lo = ah * ph - hi + ah * pl + al * ph + al * pl;
    if (hi >= 1e17) e10++;
    else if (hi < 1e16) e10--;
    else break;
  }
  // hi >= 1e16 > 2^53, so hi is an integer; the interval of decimals reading back as ax is lo ± half
  // around hi, with half = ulp·10^s / 2 in (0.55, 11.1]. Split hi = hh·1e8 + hl exactly (hh: 9 digits)
  // so the remainders below are cheap int32 operations.
  const half = POW2_HALF_ULP[exp] * POW10[16 - e10];
  let hh = Math.floor(hi * 1e-8);
  let hl = hi - hh * 1e8;
  if (hl < 0) {
    hh--;
    hl += 1e8;
  } else if (hl >= 1e8) {
    hh++;
    hl -= 1e8;
  }
  const hli = hl | 0;
  // Shortest first: 17 - t digits for the largest t such that a multiple of 10^t lies in the interval.
  // Width < 23, so for t >= 2 only the multiple nearest to lo can qualify. Candidate picks may use
  // inexact arithmetic (a wrong pick is far outside); distances to lo are exact to ~1e-15.
  let k = 0;
  let numDigits = 17;
  const r100 = hli % 100;
  const k100 = Math.round((lo + r100) * 0.01) * 100 - r100;
  const d100 = k100 > lo ? k100 - lo : lo - k100;
  if (d100 > half - MARGIN) {
    if (d100 < half + MARGIN) return -1; // on the boundary: inclusion depends on round-half-even
    // 16 digits: the multiple of 10 nearest to the exact value, if it is inside the interval.
    const r10 = hli % 10;
    k = Math.round((lo + r10) * 0.1) * 10 - r10;
    numDigits = 16;
    let dist = k > lo ? k - lo : lo - k;
    if (dist > half - MARGIN) {
      if (dist < half + MARGIN) return -1;
      // 17 digits: the nearest integer (always inside: half > 0.55).
      k = Math.round(lo);
      numDigits = 17;
      dist = k > lo ? k - lo : lo - k;
      if (dist > half - MARGIN || dist > 0.5 - MARGIN) return -1; // outside, or a tie between integers
    } else if (dist > 5 - MARGIN) {
      return -1; // tie between two multiples of 10
    }
  } else {
    k = k100;
    numDigits = 15;
    let pow = 1000;
    for (let t = 3; t <= 16; t++, pow *= 10) {
      const r = t <= 8 ? hli % pow : (hh % (pow / 1e8)) * 1e8 + hl;
      const kk = Math.round((lo + r) / pow) * pow - r;
      const d = kk > lo ? kk - lo : lo - kk;
      if (d > half + MARGIN) break;
      if (d > half - MARGIN) return -1;
      k = kk;
      numDigits = 17 - t;
    }
  }
  // N = hi + k = hh·1e8 + low; every step is exact.
  let low = hl + k;
  if (low < 0) {
    hh--;
    low += 1e8;
  } else if (low >= 1e8) {
    hh++;
    low -= 1e8;
  }
  if (hh < 1e8 || hh >= 1e9 || low < 0 || low >= 1e8) return -1;
  // Decimal point after `point` digits (ax in [10^e10, 10^(e10+1))), laid out as Number::toString does:
  // "ddd.ddd" or "0.000ddd". Digit i goes to out + i (+1 past the point); digits >= numDigits are zeros.
  const point = e10 + 1;
  if (point >= numDigits) return -1; // would be an integer; cannot happen for a non-integer
  let out = pos;
  if (point <= 0) {
    buf[out++] = 48;
    buf[out++] = 46;
    for (let i = point; i < 0; i++) buf[out++] = 48;
  } else {
    buf[pos + point] = 46;
  }
  const end = out + numDigits + (point > 0 ? 1 : 0);
  let l = low | 0;
  let h = hh | 0;
  for (let i = 16; i >= 0; i--) {
    let d: number;
    if (i >= 9) {
      const q = (l / 10) | 0;
      d = l - q * 10;
      l = q;
    } else {
      const q = (h / 10) | 0;
      d = h - q * 10;
      h = q;
    }
    if (i < numDigits) buf[out + i + (point > 0 && i >= point ? 1 : 0)] = 48 + d;
  }
  return end;
}
