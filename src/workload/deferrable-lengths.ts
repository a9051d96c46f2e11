/**
 * A length generator of their own for deferrable requests (issue 12): `--deferrable_length_generator_config_type`
 * picks any length generator, configured by the same flags with a `deferrable_` prefix
 * (`--deferrable_fixed_request_length_generator_config_prefill_tokens 8192`, …; same defaults as Vidur's). The
 * deferrable rows of the generated stream get their lengths from it, in id order; interactive rows keep theirs,
 * and arrivals are untouched. Its random draws come from tokenwatt's own stream (`STREAM_TAG.deferrableLengths`)
 * where a length generator would use Python's global `random` (uniform), and from its own `_seed` flags
 * otherwise (zipf, trace), so nothing shifts the interactive stream. Unset (the default), deferrable requests
 * are drawn like all others.
 *
 * @example
 * // --deferrable-fraction 0.3 --deferrable_length_generator_config_type fixed
 * // --deferrable_fixed_request_length_generator_config_prefill_tokens 8000 → deferrable rows (8000, 512)
 */
import { choice } from "../core/descriptor.js";
import { InputError } from "../core/errors.js";
import type { RequestStream } from "../core/types.js";
import { choiceFlag, type ResolvedConfig, type WorkloadConfig } from "./config.js";
import { NumpyRandomState } from "./random/numpy-random-state.js";
import { ownStream, STREAM_TAG } from "./random/own-stream.js";
import { LENGTH_GENERATORS } from "./registry.js";

const PREFIX = "deferrable_";
const TYPE_KEY = "deferrable_length_generator_config_type";

/** The type flag's descriptor: null = deferrable requests draw their lengths like every other request. */
export const DEFERRABLE_LENGTH_OPTIONS = {
  [TYPE_KEY]: choice(Object.keys(LENGTH_GENERATORS), {
    default: null,
    group: "workload",
    help:
      "length generator of deferrable requests (default: the same lengths as all requests); " +
      "its flags are the usual ones prefixed deferrable_",
  }),
};

/** `deferrable_<flag>` for every length generator's flag, with Vidur's defaults (their descriptors come from these). */
export const DEFERRABLE_LENGTH_DEFAULTS: Readonly<WorkloadConfig> = Object.freeze(
  Object.fromEntries(Object.values(LENGTH_GENERATORS).flatMap((m) => Object.entries(m.defaults).map(([k, v]) => [PREFIX + k, v]))),
);

/** The deferrable length generator's flags seen under their usual names (what the generator reads). */
function unprefixed(cfg: ResolvedConfig): ResolvedConfig {
  const view: Record<string, unknown> = { ...cfg };
  for (const key of Object.keys(DEFERRABLE_LENGTH_DEFAULTS)) view[key.slice(PREFIX.length)] = cfg[key];
  return view;
}

/** Errors of the generator name the flags the user typed (`--deferrable_…`). */
function renamed(e: unknown): unknown {
  if (!(e instanceof InputError)) return e;
  return new InputError(e.message.replace(/--(?!deferrable_)(\w+_request_length_generator_config_\w+)/g, `--${PREFIX}$1`));
}

/** The selected deferrable length generator, or undefined (none selected); refuses its flags without classes. */
export function deferrableLengthGenerator(cfg: ResolvedConfig, classes: boolean) {
  const given = cfg[TYPE_KEY];
  if (given === null || given === undefined) {
    for (const [key, dflt] of Object.entries(DEFERRABLE_LENGTH_DEFAULTS)) {
      // (a trace path is skipped: sweeps resolve paths, so a default path does not compare equal to itself)
      if (cfg[key] !== undefined && cfg[key] !== dflt && !key.endsWith("_trace_file")) {
        throw new InputError(`--${key} applies to deferrable requests: give --${TYPE_KEY} (and --deferrable-fraction) too`);
      }
    }
    return undefined;
  }
  if (!classes) throw new InputError(`--${TYPE_KEY} applies to deferrable requests: give --deferrable-fraction too`);
  return choiceFlag(cfg, TYPE_KEY, LENGTH_GENERATORS);
}

/** `max_tokens` of the deferrable length generator (what the memory planner must also reserve), or 0. */
export function deferrableMaxTokens(cfg: ResolvedConfig, classes: boolean): number {
  const m = deferrableLengthGenerator(cfg, classes);
  if (!m) return 0;
  const key = PREFIX + m.maxTokensFlag;
  const v = cfg[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new InputError(`--${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The stream with the deferrable rows' lengths drawn from the deferrable length generator. */
export function applyDeferrableLengths(
  stream: RequestStream,
  cfg: ResolvedConfig,
  seed: number,
  options: { resolvePath(path: string): string; warn(message: string): void },
): RequestStream {
  return deferrableLengthDrawer(cfg, stream.requestClass !== undefined, seed, options)(stream);
}

/**
 * `applyDeferrableLengths` block by block: the returned function takes consecutive blocks of one stream (with
 * their classes) and draws from the same generator across them, so the blocks come out as the whole stream would.
 */
export function deferrableLengthDrawer(
  cfg: ResolvedConfig,
  classes: boolean,
  seed: number,
  options: { resolvePath(path: string): string; warn(message: string): void },
): (block: RequestStream) => RequestStream {
  const m = deferrableLengthGenerator(cfg, classes);
  if (!m) return (block) => block;
  let next: ReturnType<typeof m.create>;
  try {
    const streams = { python: ownStream(seed, STREAM_TAG.deferrableLengths), numpy: new NumpyRandomState(seed) };
    next = m.create({ cfg: unprefixed(cfg), streams, ...options });
  } catch (e) {
    throw renamed(e);
  }
  let drawn = 0;
  return (stream) => {
    if (!stream.requestClass) return stream;
    const prefill = Int32Array.from(stream.numPrefillTokens);
    const decode = Int32Array.from(stream.numDecodeTokens);
    const cls = stream.requestClass;
    for (let i = 0; i < cls.length; i++) {
      if (cls[i] !== 1) continue;
      const pair = next();
      if (pair === undefined) {
        throw new InputError(`--${TYPE_KEY} ${m.type} ran out of lengths after ${drawn} deferrable requests (the workload has more)`);
      }
      const p = Math.trunc(pair[0]);
      const d = Math.trunc(pair[1]);
      if (!(p >= 1 && d >= 1 && p <= 0x7fffffff && d <= 0x7fffffff)) {
        throw new InputError(
          `--${TYPE_KEY} ${m.type} produced a deferrable request with ${p} prefill and ${d} decode tokens; each must be in 1..2147483647`,
        );
      }
      prefill[i] = p;
      decode[i] = d;
      drawn++;
    }
    return { ...stream, numPrefillTokens: prefill, numDecodeTokens: decode };
  };
}
