/**
 * The workload configuration: Vidur's request-generator CLI flags, keyed by the flag name without the
 * leading dashes (`--poisson_request_interval_generator_config_qps 4` → `{ poisson_request_interval_generator_config_qps: 4 }`),
 * plus typed, flag-naming accessors used by every generator.
 *
 * Names and defaults are those of `vidur/config/config.py` at microsoft/vidur 7d47513 (flattened by
 * `flat_dataclass.py`: `<snake_case_of_config_class>_<field>`, and `<parent_field>_type` for the choice).
 */
import { InputError } from "../core/errors.js";

export type RequestGeneratorType = "synthetic" | "trace_replay";
export type IntervalGeneratorType = "poisson" | "gamma" | "static" | "trace" | "rate_trace" | "diurnal";
export type LengthGeneratorType = "fixed" | "uniform" | "zipf" | "trace";

/** Every key is optional: missing keys take `WORKLOAD_DEFAULTS`. Keys not listed here are ignored. */
export interface WorkloadConfig {
  request_generator_config_type?: RequestGeneratorType | string;

  // SyntheticRequestGeneratorConfig
  synthetic_request_generator_config_seed?: number;
  /** `null` = Vidur's None (only meaningful with `trace` intervals or a duration). */
  synthetic_request_generator_config_num_requests?: number | null;
  /** Seconds of arrival time; when set it takes priority over num_requests. */
  synthetic_request_generator_config_duration?: number | null;
  length_generator_config_type?: LengthGeneratorType | string;
  interval_generator_config_type?: IntervalGeneratorType | string;

  // Interval generators (their `_seed` flags exist in Vidur but are never read: the global streams are
  // seeded from synthetic_request_generator_config_seed).
  poisson_request_interval_generator_config_seed?: number;
  poisson_request_interval_generator_config_qps?: number;
  gamma_request_interval_generator_config_seed?: number;
  gamma_request_interval_generator_config_qps?: number;
  gamma_request_interval_generator_config_cv?: number;
  static_request_interval_generator_config_seed?: number;
  trace_request_interval_generator_config_seed?: number;
  trace_request_interval_generator_config_trace_file?: string;
  trace_request_interval_generator_config_start_time?: string;
  trace_request_interval_generator_config_end_time?: string;
  trace_request_interval_generator_config_time_scale_factor?: number;
  // tokenwatt's time-varying arrival rates (non-homogeneous Poisson; flag names from issue 12)
  /** rate_trace: CSV `time,qps` (offset seconds, or date-times anchored by --start). */
  arrival_rate_trace?: string | null;
  /** diurnal: the rate at the peak and at the trough of the day, and the local hour of the peak. */
  diurnal_peak_qps?: number | null;
  diurnal_trough_qps?: number | null;
  diurnal_peak_hour?: number;
  /** diurnal: IANA zone or ±HH:MM of the peak hour (default: --location's zone, else --start's offset, else UTC). */
  diurnal_tz?: string | null;
  /** --location (the microgrid's site): its zone is the diurnal default when --diurnal-tz is not given. */
  location?: string | null;

  // Length generators
  fixed_request_length_generator_config_seed?: number;
  fixed_request_length_generator_config_max_tokens?: number;
  fixed_request_length_generator_config_prefill_tokens?: number;
  fixed_request_length_generator_config_decode_tokens?: number;
  uniform_request_length_generator_config_seed?: number;
  uniform_request_length_generator_config_max_tokens?: number;
  uniform_request_length_generator_config_min_tokens?: number;
  uniform_request_length_generator_config_prefill_to_decode_ratio?: number;
  zipf_request_length_generator_config_seed?: number;
  zipf_request_length_generator_config_max_tokens?: number;
  zipf_request_length_generator_config_theta?: number;
  zipf_request_length_generator_config_scramble?: boolean;
  zipf_request_length_generator_config_min_tokens?: number;
  zipf_request_length_generator_config_prefill_to_decode_ratio?: number;
  /** tokenwatt extension: the PYTHONHASHSEED whose `hash()` the scramble reproduces (0 = randomisation off). */
  zipf_request_length_generator_config_scramble_hash_seed?: number;
  trace_request_length_generator_config_seed?: number;
  trace_request_length_generator_config_max_tokens?: number;
  trace_request_length_generator_config_trace_file?: string;
  trace_request_length_generator_config_prefill_scale_factor?: number;
  trace_request_length_generator_config_decode_scale_factor?: number;

  // Request classes (tokenwatt, issue 12): null = no classes (outputs as without the feature)
  deferrable_fraction?: number | null;
  deferrable_deadline_s?: number;
  /** A length generator of their own for deferrable requests; its flags are the usual ones prefixed `deferrable_`. */
  deferrable_length_generator_config_type?: LengthGeneratorType | string | null;

  // TraceRequestGeneratorConfig (request_generator_config_type = trace_replay)
  trace_request_generator_config_seed?: number;
  trace_request_generator_config_trace_file?: string;
  trace_request_generator_config_prefill_scale_factor?: number;
  trace_request_generator_config_decode_scale_factor?: number;
  trace_request_generator_config_time_scale_factor?: number;
  trace_request_generator_config_max_tokens?: number;

  [flag: string]: unknown;
}

/** Options of `generateRequests` that are not Vidur flags. */
export interface GenerateOptions {
  /** Directory against which relative trace paths are resolved (Vidur resolves them against its cwd). Default: process.cwd(). */
  baseDir?: string;
  /** Receives non-fatal notices (e.g. an unsorted trace was sorted). Default: print to stderr. */
  warn?: (message: string) => void;
}

/** What a generator reads its flags from: the user's values over the defaults. */
export type ResolvedConfig = Readonly<Record<string, unknown>>;

/** `{...defaults, ...cfg}`, where keys explicitly set to `undefined` keep the default. */
export function resolveConfig(defaults: Readonly<WorkloadConfig>, cfg: WorkloadConfig): ResolvedConfig {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(cfg)) if (v !== undefined) out[k] = v;
  return out;
}

function bad(key: string, problem: string, value: unknown): InputError {
  return new InputError(`--${key} ${problem}, got ${JSON.stringify(value)}`);
}

export interface NumberRule {
  integer?: boolean;
  /** value >= min */
  min?: number;
  /** value > above */
  above?: number;
  /** value <= max */
  max?: number;
}

/** A finite number obeying `rule`, or an InputError naming the flag and what is allowed. */
export function numberFlag(cfg: ResolvedConfig, key: string, rule: NumberRule = {}): number {
  const v = cfg[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw bad(key, "must be a finite number", v);
  if (rule.integer && !Number.isInteger(v)) throw bad(key, "must be an integer", v);
  if (rule.min !== undefined && v < rule.min) throw bad(key, `must be >= ${rule.min}`, v);
  if (rule.above !== undefined && !(v > rule.above)) throw bad(key, `must be > ${rule.above}`, v);
  if (rule.max !== undefined && v > rule.max) throw bad(key, `must be <= ${rule.max}`, v);
  return v;
}

/** Like `numberFlag`, but `null`/absent means Vidur's None. */
export function optionalNumberFlag(cfg: ResolvedConfig, key: string, rule: NumberRule = {}): number | null {
  const v = cfg[key];
  return v === null || v === undefined ? null : numberFlag(cfg, key, rule);
}

export function stringFlag(cfg: ResolvedConfig, key: string): string {
  const v = cfg[key];
  if (typeof v !== "string" || v.length === 0) throw bad(key, "must be a non-empty string", v);
  return v;
}

export function booleanFlag(cfg: ResolvedConfig, key: string): boolean {
  const v = cfg[key];
  if (typeof v !== "boolean") throw bad(key, "must be true or false", v);
  return v;
}

/** A generator seed as Vidur accepts it for both Python and NumPy: an integer in 0..2**32-1. */
export function seedFlag(cfg: ResolvedConfig, key: string): number {
  return numberFlag(cfg, key, { integer: true, min: 0, max: 0xffffffff });
}

/** The registered name for `key`, or an InputError listing the allowed names. */
export function choiceFlag<T>(cfg: ResolvedConfig, key: string, choices: Readonly<Record<string, T>>): T {
  const v = cfg[key];
  if (typeof v === "string" && Object.hasOwn(choices, v)) return choices[v];
  throw bad(key, `must be one of ${Object.keys(choices).join(", ")}`, v);
}
