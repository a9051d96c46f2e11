/**
 * `synthetic` requests (Vidur's SyntheticRequestGenerator): seed Python's `random` and NumPy's global
 * RandomState with `synthetic_request_generator_config_seed`, then per request draw the inter-arrival gap
 * first and the lengths second; `arrived_at = previous + gap` (the first request arrives at the first gap,
 * not at 0); tokens are `int()`-truncated. Stop: `duration` if set (generate while the last arrival is
 * < duration, then drop arrivals >= duration), else after `num_requests`, else when the (trace) interval
 * generator is exhausted. Finally stably sorted by arrival.
 *
 * Deviations (where Vidur crashes or hangs): a generator that runs out before num_requests/duration ends the
 * stream early with a warning (Vidur raises AttributeError); `static` + duration is rejected (Vidur loops
 * forever); a request with < 1 prefill or decode token is rejected.
 *
 * @example
 * // poisson qps 4 + zipf(0.6, 1024..4096, ratio 20), seed 42, 2000 requests → first row ≈0.2550150718187,1266,63
 */
import { InputError } from "../../core/errors.js";
import type { RequestStream } from "../../core/types.js";
import { choiceFlag, optionalNumberFlag, seedFlag, type ResolvedConfig } from "../config.js";
import type { GeneratorContext, RequestGeneratorModule } from "../generator-types.js";
import { NumpyRandomState } from "../random/numpy-random-state.js";
import { PythonRandom } from "../random/python-random.js";
import { INTERVAL_GENERATORS, LENGTH_GENERATORS } from "../registry.js";
import { sortByArrival, StreamBuilder } from "../stream.js";

/** What a generator reads files and reports warnings through. */
export interface GeneratorIo {
  resolvePath(path: string): string;
  warn(message: string): void;
}

/** Guard against runaway durations (and the memory they would take). */
export const MAX_SYNTHETIC_REQUESTS = 2 ** 26;

export const syntheticRequests: RequestGeneratorModule = {
  type: "synthetic",
  doc: "requests from an interval generator and a length generator (Vidur's seeded streams)",
  seedFlag: "synthetic_request_generator_config_seed",
  defaults: {
    synthetic_request_generator_config_seed: 42,
    synthetic_request_generator_config_num_requests: 128,
    synthetic_request_generator_config_duration: null,
    length_generator_config_type: "fixed",
    interval_generator_config_type: "poisson",
  },

  maxTokens(cfg) {
    const lengths = choiceFlag(cfg, "length_generator_config_type", LENGTH_GENERATORS);
    const v = cfg[lengths.maxTokensFlag];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
      throw new InputError(`--${lengths.maxTokensFlag} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    return v;
  },

  generate(cfg, io): RequestStream {
    const duration = optionalNumberFlag(cfg, "synthetic_request_generator_config_duration", { above: 0 });
    // one block: the builder is sized exactly when the count is known (no copy of the whole stream)
    const blocks = [...syntheticBlocks(cfg, io, MAX_SYNTHETIC_REQUESTS)];
    let stream = sortByArrival(blocks.length === 1 ? blocks[0] : concatBlocks(blocks)).stream;
    if (duration !== null) {
      // Vidur keeps arrived_at < duration after sorting; the stream is sorted, so that is a prefix.
      let n = 0;
      while (n < stream.arrivedAt.length && stream.arrivedAt[n] < duration) n++;
      stream = {
        arrivedAt: stream.arrivedAt.slice(0, n),
        numPrefillTokens: stream.numPrefillTokens.slice(0, n),
        numDecodeTokens: stream.numDecodeTokens.slice(0, n),
      };
    }
    return stream;
  },
};

/**
 * The synthetic requests in generation order (before Vidur's sort by arrival and the duration cut), `rows`
 * per block: the seeded streams drawn exactly as `generate` draws them, so a consumer may take a long stream
 * block by block (src/workload/blocks.ts) instead of whole. Checks the flags first; throws InputError as
 * `generate` does.
 */
export function* syntheticBlocks(cfg: ResolvedConfig, { resolvePath, warn }: GeneratorIo, rows: number): Generator<RequestStream> {
  const seed = seedFlag(cfg, "synthetic_request_generator_config_seed");
  const duration = optionalNumberFlag(cfg, "synthetic_request_generator_config_duration", { above: 0 });
  const numRequests = optionalNumberFlag(cfg, "synthetic_request_generator_config_num_requests", {
    integer: true,
    min: 1,
    max: MAX_SYNTHETIC_REQUESTS,
  });
  const intervals = choiceFlag(cfg, "interval_generator_config_type", INTERVAL_GENERATORS);
  const lengths = choiceFlag(cfg, "length_generator_config_type", LENGTH_GENERATORS);
  if (duration === null && numRequests === null && intervals.type !== "trace") {
    throw new InputError(
      "synthetic requests need --synthetic_request_generator_config_num_requests or --synthetic_request_generator_config_duration (or --interval_generator_config_type trace)",
    );
  }
  if (duration !== null && intervals.neverAdvances) {
    throw new InputError(
      `--interval_generator_config_type ${intervals.type} never advances time, so --synthetic_request_generator_config_duration is never reached; use --synthetic_request_generator_config_num_requests`,
    );
  }

  // Vidur's set_seeds(seed): random.seed(seed); np.random.seed(seed).
  const ctx: GeneratorContext = {
    cfg,
    streams: { python: new PythonRandom(seed), numpy: new NumpyRandomState(seed) },
    resolvePath,
    warn,
  };
  const nextInterval = intervals.create(ctx);
  const nextLengths = lengths.create(ctx);

  const blockRows = duration === null && numRequests !== null ? Math.min(numRequests, rows) : Math.min(rows, 1024);
  let out = new StreamBuilder(blockRows);
  let generated = 0;
  let current = 0;
  /** One request; false when a generator is exhausted (Vidur's None). */
  const step = (): boolean => {
    const gap = nextInterval();
    if (gap === undefined) return false;
    const arrivedAt = current + gap;
    const pair = nextLengths();
    if (pair === undefined) return false;
    const p = Math.trunc(pair[0]);
    const d = Math.trunc(pair[1]);
    if (!(p >= 1 && d >= 1 && p <= 0x7fffffff && d <= 0x7fffffff)) {
      throw new InputError(
        `--length_generator_config_type ${lengths.type} produced request ${generated} with ${p} prefill and ${d} decode tokens; each must be in 1..2147483647 (check min_tokens and prefill_to_decode_ratio)`,
      );
    }
    out.push(arrivedAt, p, d);
    generated++;
    current = arrivedAt;
    return true;
  };
  const exhausted = (target: string) =>
    warn(
      `synthetic requests: the ${intervals.type} intervals or ${lengths.type} lengths ran out after ${generated} requests, before ${target}; the stream ends there (Vidur would fail)`,
    );
  /** The block so far, and a fresh builder for the next one. */
  const cut = (): RequestStream => {
    const block = out.finish();
    out = new StreamBuilder(blockRows);
    return block;
  };

  if (duration !== null) {
    while (current < duration) {
      if (generated >= MAX_SYNTHETIC_REQUESTS) {
        throw new InputError(
          `--synthetic_request_generator_config_duration ${duration} would generate more than ${MAX_SYNTHETIC_REQUESTS} requests; shorten it or lower the arrival rate`,
        );
      }
      if (!step()) {
        exhausted(`the duration ${duration} s`);
        break;
      }
      if (out.length === rows) yield cut();
    }
  } else if (numRequests !== null) {
    for (let i = 0; i < numRequests; i++) {
      if (!step()) {
        exhausted(`${numRequests} requests`);
        break;
      }
      if (out.length === rows && i + 1 < numRequests) yield cut();
    }
  } else {
    while (step()) {
      if (generated >= MAX_SYNTHETIC_REQUESTS) {
        throw new InputError(`the ${intervals.type} interval trace yields more than ${MAX_SYNTHETIC_REQUESTS} requests`);
      }
      if (out.length === rows) yield cut();
    }
  }
  yield out.finish();
}

/** Blocks joined into one stream (in order). */
function concatBlocks(blocks: RequestStream[]): RequestStream {
  const n = blocks.reduce((k, b) => k + b.arrivedAt.length, 0);
  const out = { arrivedAt: new Float64Array(n), numPrefillTokens: new Int32Array(n), numDecodeTokens: new Int32Array(n) };
  let at = 0;
  for (const b of blocks) {
    out.arrivedAt.set(b.arrivedAt, at);
    out.numPrefillTokens.set(b.numPrefillTokens, at);
    out.numDecodeTokens.set(b.numDecodeTokens, at);
    at += b.arrivedAt.length;
  }
  return out;
}
