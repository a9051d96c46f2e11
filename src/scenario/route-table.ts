/**
 * The random global scheduler's choices, drawn on the host: Vidur calls `random.randint(1, R) - 1` on
 * Python's global stream once per routed request, so the engine only needs the sequence of draws. The stream
 * is Python's MT19937 seeded with the simulation seed and advanced past the draws the request generator made
 * from the same global stream (poisson intervals, uniform lengths). The draws are read in blocks as the
 * engine's input ring is fed (4 bytes per request in flight, never per request simulated).
 */
import type { Options } from "../config/options.js";
import { MT19937 } from "../workload/random/mt19937.js";
import type { RouteDraws } from "./types.js";

/** CPython's randrange(0, n) via _randbelow_with_getrandbits: rejection on k = n.bit_length() bits. */
function randBelow(mt: MT19937, n: number): number {
  const k = 32 - Math.clz32(n);
  for (;;) {
    const r = mt.nextUint32() >>> (32 - k);
    if (r < n) return r;
  }
}

/**
 * The draws for `count` routing decisions, read block by block (each reader starts at decision 0).
 *
 * @param consumedDoubles random() calls the generator made on the same stream (2 words each)
 * @example
 * const next = randomRouteDraws(42, 4, 1000, 0).reader();
 * next(16)[0]; // replica of the first routed request; next(16) then continues with decision 16
 */
export function randomRouteDraws(seed: number, replicas: number, count: number, consumedDoubles: number): RouteDraws {
  let start: MT19937 | undefined; // the stream past the generator's draws, found once
  return {
    count,
    reader() {
      if (!start) {
        start = MT19937.python(seed);
        for (let i = 0; i < consumedDoubles; i++) start.random();
      }
      const mt = start.clone();
      let drawn = 0;
      return (rows: number) => {
        if (drawn + rows > count) throw new Error(`route table: ${drawn + rows} draws asked of ${count}`);
        const out = new Int32Array(rows);
        if (replicas > 1) for (let i = 0; i < rows; i++) out[i] = randBelow(mt, replicas);
        drawn += rows;
        return out;
      };
    },
  };
}

/**
 * A given sequence of choices as route draws (tests, callers that pick replicas themselves).
 *
 * @example
 * fixedRouteDraws(Int32Array.of(2, 0, 1)).reader()(3); // Int32Array [2, 0, 1]
 */
export function fixedRouteDraws(table: Int32Array): RouteDraws {
  return {
    count: table.length,
    reader() {
      let drawn = 0;
      return (rows: number) => {
        if (drawn + rows > table.length) throw new Error(`route table: ${drawn + rows} draws asked of ${table.length}`);
        drawn += rows;
        return table.subarray(drawn - rows, drawn);
      };
    },
  };
}

/** Python-random doubles the synthetic generator drew from the global stream before routing. */
function generatorDrawsOnGlobalStream(o: Options, n: number): number {
  if (o.request_generator_config_type !== "synthetic") return 0;
  let perRequest = 0;
  if (o.interval_generator_config_type === "poisson") perRequest++;
  if (o.length_generator_config_type === "uniform") perRequest++;
  return perRequest * n;
}

/** Scenario step 7: the random global scheduler's draws for n requests (undefined for the others). */
export function resolveRouteDraws(o: Options, replicas: number, n: number): RouteDraws | undefined {
  if (o.global_scheduler_config_type !== "random") return undefined;
  // Vidur's synthetic generator re-seeds the global stream with its own seed before drawing
  const streamSeed = o.request_generator_config_type === "synthetic" ? (o.synthetic_request_generator_config_seed as number) : o.seed;
  return randomRouteDraws(streamSeed, replicas, n, generatorDrawsOnGlobalStream(o, n));
}
