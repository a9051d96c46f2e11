/**
 * CPython ≥ 3.11's `hash(str)` for ASCII/Latin-1 strings: SipHash-1-3 over the string's 1-byte code units,
 * keyed from `PYTHONHASHSEED` exactly as CPython derives the key (0 = randomisation off = all-zero key;
 * n > 0 = the key bytes of CPython's `lcg_urandom(n)`). Used only by Vidur's zipf `scramble`, which calls
 * `hash(str(value) + str(seed))`; without a fixed PYTHONHASHSEED Vidur's own result differs on every run.
 *
 * @example
 * pythonStrHash("102442", 0); // the same as `PYTHONHASHSEED=0 python3 -c "print(hash('102442'))"`
 */
const MASK64 = (1n << 64n) - 1n;

function rotl(x: bigint, b: bigint): bigint {
  return ((x << b) | (x >> (64n - b))) & MASK64;
}

/** Key (k0, k1) that CPython derives from PYTHONHASHSEED=seed (0 disables randomisation: zero key). */
function keyFromHashSeed(seed: number): [bigint, bigint] {
  if (seed === 0) return [0n, 0n];
  const bytes = new Uint8Array(16);
  let x = seed >>> 0;
  for (let i = 0; i < 16; i++) {
    x = (Math.imul(x, 214013) + 2531011) >>> 0;
    bytes[i] = (x >>> 16) & 0xff;
  }
  const view = new DataView(bytes.buffer);
  return [view.getBigUint64(0, true), view.getBigUint64(8, true)];
}

/** Python's `hash(s)` as a signed 64-bit bigint, for s of code points ≤ 255 and PYTHONHASHSEED=hashSeed. */
export function pythonStrHash(s: string, hashSeed: number): bigint {
  if (s.length === 0) return 0n;
  const [k0, k1] = keyFromHashSeed(hashSeed);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const round = (): void => {
    v0 = (v0 + v1) & MASK64;
    v2 = (v2 + v3) & MASK64;
    v1 = rotl(v1, 13n) ^ v0;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v1) & MASK64;
    v0 = (v0 + v3) & MASK64;
    v1 = rotl(v1, 17n) ^ v2;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = rotl(v2, 32n);
  };
  const n = s.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    let m = 0n;
    for (let k = 7; k >= 0; k--) m = (m << 8n) | BigInt(s.charCodeAt(i + k) & 0xff);
    v3 ^= m;
    round();
    v0 ^= m;
  }
  let t = 0n;
  for (let k = n - i - 1; k >= 0; k--) t = (t << 8n) | BigInt(s.charCodeAt(i + k) & 0xff);
  const b = (BigInt(n & 0xff) << 56n) | t;
  v3 ^= b;
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  const h = BigInt.asIntN(64, v0 ^ v1 ^ v2 ^ v3);
  return h === -1n ? -2n : h;
}
