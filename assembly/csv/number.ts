// Writes numbers as ASCII into linear memory, byte-identical to JavaScript's String(x), with no allocation.
//
// Why WASM and why integers: the JS writer (src/output/ascii-number.ts) spends ~200 ns per double and has
// to leave everything within its float error margins to String(x). Here the common case (non-integer,
// 1e-6 <= |x| < 2^53) is decided with exact integer arithmetic: X = |x|·10^s (s chosen so that the integer
// part N0 has 17 digits) is computed exactly as N0 plus a binary fraction, and so is the rounding interval
// of x (the decimals that read back as x) in the same units. ECMAScript's Number::toString picks the fewest
// significant digits whose value lies in that interval and, among those, the one closest to x. The only
// choice that would depend on a tie-break rule (a decimal exactly halfway between two candidates) is handed
// to the host's String(x), as are the rare shapes formatted elsewhere (|x| < 1e-6, integers >= 2^53).
//
// Digits are produced eight at a time in a u64 register (SWAR) and stored with whole-word stores; the hot
// path avoids data-dependent branches (16 vs 17 digits, decimal point position), which cost more than the
// arithmetic on random data.

/** Host fallback: writes String(x) (ASCII, at most MAX_NUMBER_BYTES) at `ptr`, returns its length. */
@external("env", "formatNumber")
declare function formatNumber(x: f64, ptr: usize): i32;

/** The most bytes one number can take (e.g. "-2.2250738585072014e-308"), as in ascii-number.ts. */
export const MAX_NUMBER_BYTES = 25;
/** Bytes a writer may scribble past the end of its number (whole-word stores); callers keep this slack. */
export const WRITE_SLACK = 48;

const MINUS: u8 = 45;
const TWO_POW_53: f64 = 9007199254740992.0;
const E8: u32 = 100000000;
const E16: u64 = 10000000000000000;
const E17: u64 = 100000000000000000;
const ZEROS: u64 = 0x3030303030303030; // "00000000"
const ZERO_POINT_ZEROS: u64 = 0x3030303030302e30; // "0.000000"

/** POW5[s] = 5^s, s in 0..22 (exact in u64): 10^s = 5^s·2^s, the 2^s part is folded into a shift. */
const POW5: usize = memory.data(23 * 8, 8);
{
  let p: u64 = 1;
  for (let s = 0; s < 23; s++, p *= 5) store<u64>(POW5 + (<usize>s << 3), p);
}

/** DECADE[k + 8] = the double nearest 10^k, k in -8..16; only steers the exponent estimate. */
const DECADE: usize = memory.data<f64>([
  1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
  1e13, 1e14, 1e15, 1e16,
]);

/**
 * Writes the finite double `x` at `out`, returns the end. Same text as String(x), except that -0 is "0"
 * (as the JS CSV writer does). Non-finite values go to the host (the CSV encoder never passes them).
 */
export function writeF64(out: usize, x: f64): usize {
  const ax = abs(x);
  if (ax < TWO_POW_53) {
    const i = <i64>ax;
    if (<f64>i == ax) {
      if (x < 0) store<u8>(out++, MINUS); // -0 is not < 0: written "0"
      return writeU64(out, <u64>i);
    }
    if (ax >= 1e-6) {
      let start = out;
      if (x < 0) store<u8>(start++, MINUS);
      const end = writeFraction(start, ax);
      if (end != 0) return end;
    }
  }
  return out + <usize>formatNumber(x, out);
}

/** Writes the int32 `v` at `out`, returns the end (e.g. "-2147483648"). */
export function writeI32(out: usize, v: i32): usize {
  if (v < 0) {
    store<u8>(out++, MINUS);
    return writeU64(out, <u64>(<u32>(0 - v))); // wraps correctly for -2^31
  }
  return writeU64(out, <u64>v);
}

/**
 * The 8 decimal digits of `v` < 1e8 (zero-padded) as ASCII, first digit in the lowest byte, so that one
 * little-endian store writes them in order. Halves, pairs and digits are split in parallel lanes with
 * multiply-shift divisions that are exact in range (x·5243 >> 19 = x/100 for x < 10^4, x·103 >> 10 = x/10
 * for x < 100) and never carry into the next lane.
 */
// @ts-ignore: decorator
@inline
function ascii8(v: u32): u64 {
  const hi = v / 10000;
  const quads = <u64>hi | (<u64>(v - hi * 10000) << 32); // two 4-digit lanes
  const hundreds = ((quads * 5243) >> 19) & 0x0000007f0000007f;
  const pairs = hundreds | ((quads - hundreds * 100) << 16); // four 2-digit lanes
  const tens = ((pairs * 103) >> 10) & 0x000f000f000f000f;
  return tens | ((pairs - tens * 10) << 8) | ZEROS; // eight digits
}

/** Writes `v` < 1e8 without leading zeros ("0" for 0), returns the end. */
// @ts-ignore: decorator
@inline
function writeSmall(out: usize, v: u32): usize {
  const digits = ascii8(v);
  // leading zeros are the low bytes that equal "0"; keep at least one digit
  const skip = min(<usize>ctz(digits ^ ZEROS) >> 3, 7);
  store<u64>(out, digits >> (<u64>skip << 3));
  return out + 8 - skip;
}

/** Writes `v` < 10^16 (no leading zeros) at `out`, returns the end. */
function writeU64(out: usize, v: u64): usize {
  if (v < E8) return writeSmall(out, <u32>v);
  const hi = <u32>(v / E8);
  out = writeSmall(out, hi);
  store<u64>(out, ascii8(<u32>(v - <u64>hi * E8)));
  return out + 8;
}

/**
 * Positive non-integer ax in [1e-6, 2^53). Returns the end, or 0 when String(ax) must decide (a tie, or a
 * shape outside the fast path); `out` may then hold garbage.
 */
function writeFraction(out: usize, ax: f64): usize {
  const bits = reinterpret<u64>(ax);
  const biased = <i32>(bits >> 52); // sign bit is 0
  const frac52 = bits & 0xfffffffffffff;
  const m = frac52 | (<u64>1 << 52); // ax = m·2^e2 (ax >= 1e-6 is normal)
  const e2 = biased - 1075;
  // e10 = floor(log10(ax)): floor(log10(2)·e) (78913/2^18 ≈ log10 2) is it or one less, the table compare
  // decides. It can only be wrong for a double nearest to some 10^k (k < 0) that lies below 10^k; the N0
  // range check catches that and hands the number to the host.
  let e10 = ((biased - 1023) * 78913) >> 18;
  e10 += <i32>(ax >= load<f64>(DECADE + (<usize>(e10 + 9) << 3)));
  const s = 16 - e10; // 1..22 for this range
  const sh = -(s + e2); // X = ax·10^s = m·5^s / 2^sh; sh in [0, 51] for this range
  if (s > 22 || sh < 0 || sh > 51) return 0;
  // P = m·5^s exactly (< 2^105) as hi:lo via 32-bit halves.
  const p5 = load<u64>(POW5 + (<usize>s << 3));
  const a0 = m & 0xffffffff;
  const a1 = m >> 32;
  const b0 = p5 & 0xffffffff;
  const b1 = p5 >> 32;
  const p00 = a0 * b0;
  const mid = a0 * b1 + a1 * b0 + (p00 >> 32); // < 2^55, no overflow
  const lo = (mid << 32) | (p00 & 0xffffffff);
  const hi = a1 * b1 + (mid >> 32);
  // N0 = P >> sh (17 digits), written so that sh = 0 works (wasm masks shift counts to 6 bits).
  const n0 = ((hi << (<u64>(63 - sh))) << 1) | (lo >> (<u64>sh));
  const fracBits = lo & ((<u64>1 << (<u64>sh)) - 1);
  if (hi >> (<u64>sh) != 0 || n0 >= E17 || n0 < E16) return 0;
  // Units of 2^-(sh+2) of X: X = n0 + f/u, the interval is (X - dm/u, X + dp/u) with dp = half an ulp of ax
  // times 10^s = 2·5^s; a power of two has its lower neighbour twice as close (dm = 5^s). An interval end
  // is never an integer: n0·u + f ± d is a multiple of 4 plus 2·odd or odd, never a multiple of u >= 4. So
  // whether the ends count (round-half-even on read-back) never matters, and the integers inside the
  // interval are exactly [vm, vp] with vm, vp below (an arithmetic shift is a floor, also for negatives).
  const us = <u64>(sh + 2);
  const u: u64 = <u64>1 << us; // <= 2^53
  const f = fracBits << 2;
  const dp = p5 << 1;
  const dm = frac52 == 0 ? dp >> 1 : dp;
  const vp = n0 + ((f + dp) >> us);
  const vm = n0 + 1 + <u64>((<i64>f - <i64>dm) >> <i64>us);
  const width = vp - vm + 1; // 1..23 integers (dp/u <= 11.1)
  // Fewest digits: 17 - t for the largest t such that a multiple of 10^t lies in [vm, vp].
  // t >= 2 ("many" zeros: short decimals like 0.125 or 12.34): vp mod 100 < width. The interval is narrower
  // than 100, so the multiple is unique: vp with its last t digits dropped, t = 2 + trailing zeros of vp/100.
  const many = vp % 100 < width;
  // t = 1: of the multiples of 10 just below (distance r1 + f/u) and above X, the closer one inside.
  const q1 = n0 / 10;
  const r1 = n0 - q1 * 10;
  const dLo1 = (r1 << us) + f;
  const dHi1 = ((10 - r1) << us) - f;
  const inLo1 = dLo1 < dm;
  const inHi1 = dHi1 < dp;
  const has1 = inLo1 | inHi1;
  // t = 0: the nearest integer, always inside (the interval reaches at least 0.55 beyond X either way).
  const dHi0 = u - f;
  // A tie (two candidates equally close) is where String rounds half to even: leave it to String.
  if (!many & select<bool>(inLo1 & inHi1 & (dLo1 == dHi1), f == dHi0, has1)) return 0;
  const best1 = (q1 + <u64>(inHi1 & (!inLo1 | (dHi1 < dLo1)))) * 10;
  const best0 = n0 + <u64>(dHi0 < f);
  const v = select<u64>(vp, select<u64>(best1, best0, has1), many);
  if (v >= E17) return 0; // 10^17: one digit of the next decade, rare
  // The 17 digits of v: lead, then a (digits 1..8) and b (digits 9..16) as ASCII words.
  const hi9 = <u32>(v / E8);
  const lead = hi9 / E8;
  const a = ascii8(hi9 - lead * E8);
  const b = ascii8(<u32>(v - <u64>hi9 * E8));
  // Trailing zeros of vp/100 (digits 0..14): zero bytes at the top of (b ^ "0"s) << 16 (digits 9..14),
  // continued into a when all six are zero (the lead digit is never zero).
  const zb = (b ^ ZEROS) << 16;
  const tz = select<i32>(6 + <i32>(clz(a ^ ZEROS) >> 3), <i32>(clz(zb) >> 3), zb == 0);
  const numDigits = select<i32>(15 - tz, 17 - <i32>has1, many);
  const point = e10 + 1; // digits before the decimal point; <= 0 means "0.000ddd"
  if (point >= numDigits) return 0; // an integer: impossible for a non-integer ax, kept as a guard
  return writeDigits(out, lead, a, b, numDigits, point);
}

/**
 * Writes the first `numDigits` of the 17 digits (lead, a, b) with the decimal point after `point` digits,
 * as Number::toString lays it out: "ddd.ddd", or "0." then -point zeros then the digits when point <= 0.
 * Branch-free: the digits are stored whole, then the ones after the point again one byte further right;
 * when point <= 0 these extra stores land past the end, where the next field overwrites them.
 */
// @ts-ignore: decorator
@inline
function writeDigits(out: usize, lead: u32, a: u64, b: u64, numDigits: i32, point: i32): usize {
  const small = point <= 0;
  const start = select<usize>(out + <usize>(2 - point), out, small);
  store<u64>(out, ZERO_POINT_ZEROS); // the "0.000" prefix; overwritten by the digits when point > 0
  store<u8>(start, <u8>(48 + lead));
  store<u64>(start + 1, a);
  store<u64>(start + 9, b);
  // Digits point..16 are bytes k.. of a:b (k = point - 1): a 128-bit funnel shift right by 8k bits.
  const at = select<i32>(17, point, small);
  const k = <u64>(at - 1) << 3; // 0..128
  const inA = k < 64;
  const t0 = select<u64>((a >> k) | ((b << 1) << (63 - k)), b >> (k - 64), inA);
  const t1 = select<u64>(b >> k, 0, inA);
  const dot = start + <usize>at;
  store<u64>(dot + 1, t0);
  store<u64>(dot + 9, t1);
  store<u8>(dot, 46); // "."
  return start + <usize>numDigits + <usize>!small;
}
