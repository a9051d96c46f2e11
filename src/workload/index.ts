/**
 * The workload layer: Vidur's request generators, reproduced exactly and seeded, producing the
 * `RequestStream` the engine simulates. Configure with Vidur's flag names (see `WorkloadConfig`).
 *
 * @example
 * const stream = generateRequests({
 *   length_generator_config_type: "zipf",
 *   poisson_request_interval_generator_config_qps: 4,
 *   synthetic_request_generator_config_num_requests: 2000,
 * });
 * stream.arrivedAt[0];            // 0.2550150718187002 (Vidur: 0.25501507181870026, 1 ulp apart: V8 vs glibc log)
 * maxTokensForMemoryPlanner({});  // 4096 (fixed lengths' max_tokens)
 */
import type { RequestStream } from "../core/types.js";
import type { OptionDef } from "../core/descriptor.js";
import { InputError } from "../core/errors.js";
import { isAbsolute, resolve } from "node:path";
import { assignClasses, classDrawer, classSettings, REQUEST_CLASS_OPTIONS } from "./classes.js";
import {
  applyDeferrableLengths,
  DEFERRABLE_LENGTH_DEFAULTS,
  DEFERRABLE_LENGTH_OPTIONS,
  deferrableLengthDrawer,
  deferrableMaxTokens,
} from "./deferrable-lengths.js";
import { choiceFlag, resolveConfig, seedFlag, type GenerateOptions, type ResolvedConfig, type WorkloadConfig } from "./config.js";
import type { RequestGeneratorModule } from "./generator-types.js";
import { syntheticBlocks, syntheticRequests } from "./generators/synthetic.js";
import { traceReplayRequests } from "./generators/trace-replay.js";
import { INTERVAL_GENERATORS, LENGTH_GENERATORS } from "./registry.js";
import { defaultWarn } from "./requests-csv.js";

export const REQUEST_GENERATORS: Readonly<Record<string, RequestGeneratorModule>> = {
  synthetic: syntheticRequests,
  trace_replay: traceReplayRequests,
};

/**
 * Typed descriptors of the workload flags that are tokenwatt's own (time-varying arrivals, request classes);
 * Vidur's flags get theirs from their defaults (src/config/options.ts).
 */
export const WORKLOAD_OPTIONS: Readonly<Record<string, OptionDef>> = Object.freeze(
  Object.assign({}, ...Object.values(INTERVAL_GENERATORS).map((m) => m.options ?? {}), REQUEST_CLASS_OPTIONS, DEFERRABLE_LENGTH_OPTIONS),
);

const declaredDefaults = Object.fromEntries(Object.entries(WORKLOAD_OPTIONS).map(([k, d]) => [k, d.default]));

/** Vidur's defaults for every workload flag (vidur/config/config.py), plus tokenwatt's own workload flags. */
export const WORKLOAD_DEFAULTS: Readonly<WorkloadConfig> = Object.freeze(
  Object.assign(
    { request_generator_config_type: "synthetic" },
    ...Object.values(REQUEST_GENERATORS).map((m) => m.defaults),
    ...Object.values(INTERVAL_GENERATORS).map((m) => m.defaults),
    ...Object.values(LENGTH_GENERATORS).map((m) => m.defaults),
    declaredDefaults,
    DEFERRABLE_LENGTH_DEFAULTS,
  ) as WorkloadConfig,
);

/** Every option a request stream depends on: the workload flags and what generators read besides (`start`). */
export const WORKLOAD_KEYS: readonly string[] = [
  ...new Set([...Object.keys(WORKLOAD_DEFAULTS), ...Object.values(INTERVAL_GENERATORS).flatMap((m) => m.reads ?? [])]),
].sort();

/**
 * Refuses flags of an interval generator that is not the one selected (they would be silently ignored):
 * the flags of tokenwatt's own generators name one generator each.
 */
function checkSelectedGeneratorFlags(cfg: ResolvedConfig): void {
  const selected = cfg.request_generator_config_type === "synthetic" ? cfg.interval_generator_config_type : undefined;
  for (const m of Object.values(INTERVAL_GENERATORS)) {
    if (m.type === selected || !m.options) continue;
    for (const [key, def] of Object.entries(m.options)) {
      if (cfg[key] !== undefined && cfg[key] !== def.default) {
        const now =
          selected === undefined
            ? `--request_generator_config_type ${String(cfg.request_generator_config_type)}`
            : `--interval_generator_config_type ${String(selected)}`;
        const flag = `--${key.replace(/_/g, "-")}`;
        throw new InputError(`${flag} applies to --interval_generator_config_type ${m.type} (synthetic requests), not ${now}`);
      }
    }
  }
}

function requestGenerator(cfg: Readonly<Record<string, unknown>>): RequestGeneratorModule {
  return choiceFlag(cfg, "request_generator_config_type", REQUEST_GENERATORS);
}

/**
 * Generates the request stream exactly as Vidur would for these flags: sorted by arrival, row i = request
 * id i. Throws InputError for bad flags or trace files (naming flag / file:line:column).
 */
export function generateRequests(cfg: WorkloadConfig = {}, options: GenerateOptions = {}): RequestStream {
  const resolved = resolveConfig(WORKLOAD_DEFAULTS, cfg);
  const baseDir = options.baseDir ?? process.cwd();
  const generator = requestGenerator(resolved);
  checkSelectedGeneratorFlags(resolved);
  const classes = classSettings(resolved);
  deferrableMaxTokens(resolved, classes !== null); // checks the deferrable length flags before generating
  const io = { resolvePath: (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p)), warn: options.warn ?? defaultWarn };
  const stream = generator.generate(resolved, io);
  if (!classes) return stream;
  const seed = seedFlag(resolved, generator.seedFlag);
  return applyDeferrableLengths(assignClasses(stream, classes, seed), resolved, seed, io);
}

/** Rows per block of `requestBlocks` (the engine's output chunk, so block k holds the rows of chunk k). */
export const REQUEST_BLOCK_ROWS = 16_384;

/**
 * A workload of at most this many requests keeps the blocks of its checking pass (at most ~6 MB with classes and
 * deadlines) instead of generating them again for the run: the second pass is ~5 % of a 100k-request run. Longer
 * workloads are regenerated block by block, so memory stays bounded whatever the run's length.
 */
export const KEPT_WORKLOAD_ROWS = 262_144;

/**
 * A synthetic workload taken block by block instead of whole (a week of requests is 12M rows: 300 MB of
 * arrivals, lengths, classes and deadlines the run never needs at once). `blocks()` yields it from request 0,
 * REQUEST_BLOCK_ROWS rows per block (the last may be shorter), identical to the rows of `generateRequests`:
 * regenerated from the seeded streams on every call, or, up to KEPT_WORKLOAD_ROWS requests, the checking pass's
 * blocks again (callers only read them).
 */
export interface RequestBlocks {
  /** Requests in the workload. */
  readonly count: number;
  /** Arrival of the last request (0 without requests). */
  readonly lastArrival: number;
  /** Latest arrival + deadline (arrival for requests without a deadline): a controlled run's accounting window. */
  readonly lastDeadline: number;
  /** The blocks carry request classes and deadlines (--deferrable-fraction). */
  readonly hasClasses: boolean;
  blocks(): IterableIterator<RequestStream>;
}

/**
 * The workload as `RequestBlocks`, after one pass that checks it (errors and warnings as `generateRequests`
 * gives them) and counts it; undefined where it cannot be taken in blocks: trace replay (a file read whole), and
 * synthetic arrivals that come out of order (Vidur sorts them, which needs the whole stream).
 */
export function requestBlocks(cfg: WorkloadConfig = {}, options: GenerateOptions = {}): RequestBlocks | undefined {
  const resolved = resolveConfig(WORKLOAD_DEFAULTS, cfg);
  if (resolved.request_generator_config_type !== "synthetic") return undefined;
  const baseDir = options.baseDir ?? process.cwd();
  checkSelectedGeneratorFlags(resolved);
  const classes = classSettings(resolved);
  deferrableMaxTokens(resolved, classes !== null);
  const seed = seedFlag(resolved, syntheticRequests.seedFlag);
  const duration = resolved.synthetic_request_generator_config_duration;
  const resolvePath = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const unsorted = new Error("unsorted");
  function* pass(warn: (message: string) => void): Generator<RequestStream> {
    const io = { resolvePath, warn };
    const drawClasses = classes ? classDrawer(classes, seed) : undefined;
    const drawLengths = classes ? deferrableLengthDrawer(resolved, true, seed, io) : undefined;
    let previous = Number.NEGATIVE_INFINITY;
    for (const raw of syntheticBlocks(resolved, io, REQUEST_BLOCK_ROWS)) {
      const a = raw.arrivedAt;
      let n = a.length;
      for (let i = 0; i < n; i++) {
        if (a[i] < previous) throw unsorted;
        previous = a[i];
      }
      // Vidur keeps arrived_at < duration after sorting: a prefix of a sorted stream, so the stream ends here
      let last = false;
      if (typeof duration === "number") {
        let k = 0;
        while (k < n && a[k] < duration) k++;
        last = k < n;
        n = k;
      }
      if (n > 0) {
        let block: RequestStream =
          n === a.length
            ? raw
            : {
                arrivedAt: a.slice(0, n),
                numPrefillTokens: raw.numPrefillTokens.slice(0, n),
                numDecodeTokens: raw.numDecodeTokens.slice(0, n),
              };
        if (drawClasses && drawLengths) block = drawLengths(drawClasses(block));
        yield block;
      }
      if (last) return;
    }
  }
  let count = 0;
  let lastArrival = 0;
  let lastDeadline = 0;
  let kept: RequestStream[] | undefined = [];
  try {
    for (const b of pass(options.warn ?? defaultWarn)) {
      const a = b.arrivedAt;
      count += a.length;
      if (count > KEPT_WORKLOAD_ROWS) kept = undefined;
      else kept?.push(b);
      lastArrival = a[a.length - 1];
      for (let i = 0; i < a.length; i++) {
        const d = b.deadlineS?.[i];
        const end = d !== undefined && Number.isFinite(d) ? a[i] + d : a[i];
        if (end > lastDeadline) lastDeadline = end;
      }
    }
  } catch (e) {
    if (e === unsorted) return undefined;
    throw e;
  }
  const quiet = () => undefined; // the checking pass has warned already
  const blocks = kept ? () => kept.values() : () => pass(quiet);
  return { count, lastArrival, lastDeadline, hasClasses: classes !== null, blocks };
}

/**
 * `request_generator_config.max_tokens` as Vidur's memory planner uses it (tokens reserved per request slot):
 * the selected length generator's `max_tokens` for synthetic workloads — for `fixed` that is
 * `fixed_request_length_generator_config_max_tokens` (default 4096), *not* prefill + decode — or
 * `trace_request_generator_config_max_tokens` for trace replay; with deferrable lengths of their own, the larger
 * of that and their generator's max_tokens.
 */
export function maxTokensForMemoryPlanner(cfg: WorkloadConfig = {}): number {
  const resolved = resolveConfig(WORKLOAD_DEFAULTS, cfg);
  const own = requestGenerator(resolved).maxTokens(resolved);
  // deferrable requests with lengths of their own need room for the longer of the two
  return Math.max(own, deferrableMaxTokens(resolved, classSettings(resolved) !== null));
}

export type { GenerateOptions, WorkloadConfig } from "./config.js";
export { INTERVAL_GENERATORS, LENGTH_GENERATORS } from "./registry.js";
export { formatRequestsCsv, readRequestsCsv } from "./requests-csv.js";
