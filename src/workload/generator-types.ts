/**
 * The contracts between the workload registry and its generators. A new generator is one file exporting one
 * of these modules plus one line in `registry.ts` (interval/length) or `index.ts` (request generators).
 */
import type { OptionTable } from "../core/descriptor.js";
import type { RequestStream } from "../core/types.js";
import type { ResolvedConfig, WorkloadConfig } from "./config.js";
import type { NumpyRandomState } from "./random/numpy-random-state.js";
import type { PythonRandom } from "./random/python-random.js";

/**
 * The process-global streams Vidur's synthetic generator seeds with `set_seeds(seed)`: Python's `random`
 * and NumPy's global legacy `RandomState`.
 */
export interface GlobalStreams {
  python: PythonRandom;
  numpy: NumpyRandomState;
}

export interface GeneratorContext {
  cfg: ResolvedConfig;
  streams: GlobalStreams;
  /** Resolves a (possibly relative) trace path. */
  resolvePath(path: string): string;
  warn(message: string): void;
}

/** Returns the next inter-arrival time in seconds, or undefined when exhausted (Vidur's None). */
export type NextInterval = () => number | undefined;
/** Returns the next (prefill, decode) pair before Vidur's `int()` truncation, or undefined when exhausted. */
export type NextLengths = () => readonly [number, number] | undefined;

export interface IntervalGeneratorModule {
  /** The value of `--interval_generator_config_type`. */
  type: string;
  /** One line for --help and docs. */
  doc: string;
  defaults: Readonly<WorkloadConfig>;
  create(ctx: GeneratorContext): NextInterval;
  /** True if the generator never advances time (a duration could then never be reached). */
  neverAdvances?: boolean;
  /**
   * Typed descriptors of flags that do not follow Vidur's `<type>_request_interval_generator_config_*` naming
   * (their defaults join `defaults`). Giving one of them a non-default value while another interval generator
   * is selected is an InputError: the flags name this generator only.
   */
  options?: OptionTable;
  /** Options outside the workload's own flags that the generator reads (e.g. `start`): part of the stream's identity. */
  reads?: readonly string[];
}

export interface LengthGeneratorModule {
  /** The value of `--length_generator_config_type`. */
  type: string;
  /** One line for --help and docs. */
  doc: string;
  defaults: Readonly<WorkloadConfig>;
  /** The flag holding this generator's `max_tokens` (what Vidur's memory planner reserves per request). */
  maxTokensFlag: string;
  create(ctx: GeneratorContext): NextLengths;
}

export interface RequestGeneratorModule {
  /** The value of `--request_generator_config_type`. */
  type: string;
  /** One line for --help and docs. */
  doc: string;
  defaults: Readonly<WorkloadConfig>;
  /** Returns the stream sorted by arrival (row i = request id i). */
  generate(cfg: ResolvedConfig, options: { resolvePath(path: string): string; warn(message: string): void }): RequestStream;
  /** `request_generator_config.max_tokens` as Vidur's memory planner reads it. */
  maxTokens(cfg: ResolvedConfig): number;
  /** The flag whose value seeds tokenwatt's own streams for this workload (request classes). */
  seedFlag: string;
}
