/**
 * The random global scheduler's choices, drawn up front on the host: Vidur calls
 * `random.randint(1, R) - 1` on Python's global stream once per routed request, so the engine only needs
 * the sequence of draws. The stream is Python's MT19937 seeded with the simulation seed and advanced past
 * the draws the request generator made from the same global stream (poisson intervals, uniform lengths).
 */
import type { Options } from "../config/options.js";
import { MT19937 } from "../workload/random/mt19937.js";

/** CPython's randrange(0, n) via _randbelow_with_getrandbits: rejection on k = n.bit_length() bits. */
function randBelow(mt: MT19937, n: number): number {
  const k = 32 - Math.clz32(n);
  for (;;) {
    const r = mt.nextUint32() >>> (32 - k);
    if (r < n) return r;
  }
}

/**
 * @param consumedDoubles random() calls the generator made on the same stream (2 words each)
 * @example
 * randomRouteTable(42, 4, 1000, 0)[0]; // replica of the first routed request
 */
export function randomRouteTable(seed: number, replicas: number, count: number, consumedDoubles: number): Int32Array {
  const mt = MT19937.python(seed);
  for (let i = 0; i < consumedDoubles; i++) mt.random();
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = replicas === 1 ? 0 : randBelow(mt, replicas);
  return out;
}

/** Python-random doubles the synthetic generator drew from the global stream before routing. */
function generatorDrawsOnGlobalStream(o: Options, n: number): number {
  if (o.request_generator_config_type !== "synthetic") return 0;
  let perRequest = 0;
  if (o.interval_generator_config_type === "poisson") perRequest++;
  if (o.length_generator_config_type === "uniform") perRequest++;
  return perRequest * n;
}

/** Scenario step 7: the random global scheduler's route table for n requests (undefined for the others). */
export function resolveRouteTable(o: Options, replicas: number, n: number): Int32Array | undefined {
  if (o.global_scheduler_config_type !== "random") return undefined;
  // Vidur's synthetic generator re-seeds the global stream with its own seed before drawing
  const streamSeed = o.request_generator_config_type === "synthetic" ? (o.synthetic_request_generator_config_seed as number) : o.seed;
  return randomRouteTable(streamSeed, replicas, n, generatorDrawsOnGlobalStream(o, n));
}
