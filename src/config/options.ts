/**
 * Every `simulate` option, declared once as a typed descriptor (src/core/descriptor.ts): Vidur's flag name
 * (keys of --config files and sweep specs are the same names), type, default, rules and help. The CLI, config
 * files and sweeps all read this table; plug-ins contribute their own options (replica schedulers: their
 * files under src/plugins/replica-schedulers/), so a new option is one entry and a new scheduler one file.
 * `Options` is the typed result of parsing: no casts on option values.
 *
 * @example
 * findOption("replica_config_tensor_parallel_size")?.default; // 1
 * findOption("grid-step");                                      // the same descriptor as "grid_step" ('-' = '_')
 */
import { bool, choice, float, int, named, path, prefixed, string, type OptionDef, type ValuesOf } from "../core/descriptor.js";
import { POWER_MODEL_NAMES } from "../plugins/power-models/index.js";
import { GLOBAL_SCHEDULER_NAMES } from "../plugins/global-schedulers.js";
import { REPLICA_SCHEDULERS, REPLICA_SCHEDULER_NAMES } from "../plugins/replica-schedulers/index.js";
import type { UnionToIntersection } from "../plugins/types.js";
import type { WorkloadConfig } from "../workload/config.js";
import { INTERVAL_GENERATORS, WORKLOAD_DEFAULTS, WORKLOAD_OPTIONS } from "../workload/index.js";
import { VIDUR_COMPAT_OPTIONS } from "./vidur-compat.js";
import { MICROGRID_OPTION_TABLE } from "../microgrid/options.js";
import { CONTROL_OPTION_TABLE } from "../plugins/controllers/index.js";

export type { OptionDef, OptionType } from "../core/descriptor.js";

/** Replicas one run can hold: per-replica state and per-replica summary rows grow with it (docs/ARCHITECTURE.md). */
export const MAX_REPLICAS = 16_384;

/** Largest seed (NumPy's MT19937 takes 32-bit seeds). */
export const UINT32_MAX = 2 ** 32 - 1;

/** Largest integer any option takes: integers reach the engine as i32. */
export const INT32_MAX = 2 ** 31 - 1;

/** Vidur's predictor flags share this prefix (its random-forest predictor config; tokenwatt reads the grid sizes). */
export const PREDICTOR_PREFIX = "random_forrest_execution_time_predictor_config";

type Schedulers = (typeof REPLICA_SCHEDULERS)[number];
type SchedulerOptionTable = UnionToIntersection<
  Schedulers extends infer S
    ? S extends Schedulers
      ? { [K in keyof S["options"] & string as `${S["prefix"]}_${K}`]: S["options"][K] }
      : never
    : never
>;
/** Every replica scheduler's options, prefixed with its flag prefix, in registry order. */
function schedulerOptions(): SchedulerOptionTable {
  return Object.assign({}, ...REPLICA_SCHEDULERS.map((s) => prefixed(s.prefix, s.options))) as SchedulerOptionTable;
}

/** Workload options derived from the generators' defaults (src/workload/: one file per generator). */
function workloadOptions(): Record<string, OptionDef> {
  const out: Record<string, OptionDef> = {};
  const group = "workload";
  for (const [name, def] of Object.entries(WORKLOAD_DEFAULTS)) {
    const declared = WORKLOAD_OPTIONS[name];
    if (declared) {
      out[name] = { ...declared };
      continue;
    }
    const words = name.replace(/_config_/, ": ").replace(/_/g, " ");
    if (name === "request_generator_config_type") {
      out[name] = choice(["synthetic", "trace_replay", "closed_loop"] as const, {
        default: def as "synthetic",
        group,
        help: "synthetic (lengths x intervals), trace_replay (CSV arrived_at,num_prefill_tokens,num_decode_tokens), or closed_loop (--concurrency clients)",
      });
    } else if (name === "length_generator_config_type") {
      out[name] = choice(["fixed", "uniform", "zipf", "trace"] as const, {
        default: def as "zipf",
        group,
        help: "request length distribution",
      });
    } else if (name === "interval_generator_config_type") {
      out[name] = choice(Object.keys(INTERVAL_GENERATORS), {
        default: def as string,
        group,
        help: "inter-arrival distribution; rate_trace and diurnal: time-varying rates (docs/workload.md)",
      });
    } else if (name.endsWith("trace_file")) {
      out[name] = path({ default: (def as string | null) ?? null, group, help: words });
    } else if (typeof def === "boolean") {
      out[name] = bool({ default: def, group, help: words });
    } else if (typeof def === "number") {
      const isInt = /(_seed|_tokens|num_requests)$/.test(name) && Number.isInteger(def);
      // seeds feed NumPy-style MT19937 (uint32); other integers reach the engine as i32 (parse.ts)
      const max = name.endsWith("_seed") ? { max: UINT32_MAX } : {};
      out[name] = isInt ? int({ default: def, min: 0, ...max, group, help: words }) : float({ default: def, min: 0, group, help: words });
    } else if (name.endsWith("num_requests")) {
      out[name] = int({ default: (def as number | null) ?? null, min: 0, group, help: words });
    } else if (name.endsWith("duration")) {
      const help = `${words}: seconds of arrivals, before num requests (alias --duration)`;
      out[name] = float({ default: (def as number | null) ?? null, min: 0, group, help });
    } else {
      out[name] = string({ default: (def as string | null) ?? null, group, help: words });
    }
  }
  return out;
}

/** Workload option values as the generators read them (validated again there, with Vidur's rules). */
type KnownKeys<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type WorkloadValues = Required<KnownKeys<WorkloadConfig>>;

const BEFORE_WORKLOAD = named({
  // simulation
  seed: int({
    default: 42,
    min: 0,
    max: UINT32_MAX,
    group: "simulation",
    help: "Vidur's simulation seed: seeds the random global scheduler's stream for trace replay (a synthetic workload re-seeds that stream with its generator seed first, as in Vidur)",
  }),
  time_limit: float({ default: 0, min: 0, group: "simulation", help: "stop at this simulated time in seconds (0 = run to completion)" }),
  // cluster and replica
  cluster_config_num_replicas: int({ default: 1, min: 1, max: MAX_REPLICAS, group: "cluster", help: "number of model replicas" }),
  replica_config_model_name: string({
    default: "meta-llama/Llama-2-7b-hf",
    group: "cluster",
    help: "model name or alias (tokenwatt profiles list)",
  }),
  replica_config_device: string({ default: "a100", group: "cluster", help: "GPU name or alias (tokenwatt profiles list)" }),
  replica_config_network_device: string({
    default: "a100_pairwise_nvlink",
    group: "cluster",
    help: "node type: how the GPUs of a replica are connected",
  }),
  replica_config_tensor_parallel_size: int({ default: 1, min: 1, max: 1024, group: "cluster", help: "tensor-parallel GPUs per stage" }),
  replica_config_num_pipeline_stages: int({ default: 1, min: 1, max: 1024, group: "cluster", help: "pipeline stages per replica" }),
  replica_config_memory_margin_fraction: float({
    default: 0.1,
    min: 0,
    max: 0.99,
    group: "cluster",
    help: "fraction of GPU memory the planner keeps free",
  }),
  global_scheduler_config_type: choice(GLOBAL_SCHEDULER_NAMES, {
    default: "round_robin",
    group: "scheduling",
    help: "request routing across replicas",
  }),
  replica_scheduler_config_type: choice(REPLICA_SCHEDULER_NAMES, {
    default: "sarathi",
    group: "scheduling",
    help: "batching policy inside a replica",
  }),
  ...schedulerOptions(),
  // execution-time prediction
  predictor: choice(["auto", "roofline", "profile", "op-tables"] as const, {
    default: "auto",
    group: "execution time",
    help: "op-time source: auto = op-tables if --op-tables, profile if --profile-dir, else roofline",
  }),
  op_tables: path({
    default: null,
    group: "execution time",
    help: "directory of Vidur predictor-cache op tables (<op>.csv[.gz]) to use as is",
  }),
  profile_dir: path({
    default: null,
    group: "execution time",
    help: "Vidur data/profiling directory (compute/<device>/<model>/mlp.csv, network/<node>/...)",
  }),
  random_forrest_execution_time_predictor_config_prediction_max_tokens_per_request: int({
    default: null,
    min: 1,
    group: "execution time",
    help: "op-table grid: largest token count and KV context (default: Vidur's 4096, or more if the scenario's requests or batch token budget need it, up to 32768)",
  }),
  random_forrest_execution_time_predictor_config_prediction_max_batch_size: int({
    default: null,
    min: 1,
    group: "execution time",
    help: "op-table grid: largest decode batch (default: Vidur's 128, or the scheduler's batch cap / the memory planner's batch size if larger)",
  }),
  random_forrest_execution_time_predictor_config_prediction_max_prefill_chunk_size: int({
    default: null,
    min: 1,
    group: "execution time",
    help: "op-table grid: largest prefill chunk (default: Vidur's 4096, or the scheduler's batch token budget if larger, up to 32768)",
  }),
  random_forrest_execution_time_predictor_config_kv_cache_prediction_granularity: int({
    default: 64,
    min: 1,
    group: "execution time",
    help: "KV context is rounded up to a multiple of this",
  }),
  random_forrest_execution_time_predictor_config_attention_decode_batching_overhead_fraction: float({
    default: 0.1,
    min: 0,
    group: "execution time",
    help: "extra decode-attention time for batches > 1 (GQA models)",
  }),
  random_forrest_execution_time_predictor_config_attention_prefill_batching_overhead_fraction: float({
    default: 0.1,
    min: 0,
    group: "execution time",
    help: "extra prefill-attention time for several prefills (GQA models)",
  }),
  random_forrest_execution_time_predictor_config_nccl_cpu_launch_overhead_ms: float({
    default: 0.02,
    min: 0,
    group: "execution time",
    help: "CPU launch overhead per all-reduce (ms)",
  }),
  random_forrest_execution_time_predictor_config_nccl_cpu_skew_overhead_per_device_ms: float({
    default: 0,
    min: 0,
    group: "execution time",
    help: "skew overhead per all-reduce, times TP^1.25 (ms)",
  }),
});

const AFTER_WORKLOAD = named({
  // workload (the generators' own flags come from their defaults, above)
  concurrency: int({
    default: 8,
    min: 1,
    group: "workload",
    help: "closed_loop: number of clients, each sending its next request when its last completes",
  }),
  // outputs
  metrics_config_output_dir: path({
    default: "simulator_output",
    group: "outputs",
    help: "directory for all outputs (alias --output-dir; no timestamp is appended)",
  }),
  metrics_config_store_token_completion_metrics: bool({
    default: true,
    group: "outputs",
    help: "collect time-between-tokens samples (exact TBT percentiles)",
  }),
  metrics_config_exact_quantile_samples: int({
    default: 2_000_000,
    min: 1,
    group: "outputs",
    help: "latency percentiles are exact up to this many samples per metric (TBT: runs of equal values), then from a DDSketch within 0.5 % (summary.json quantile_method); bounds memory at any run length",
  }),
  metrics_config_keep_individual_batch_metrics: bool({
    default: false,
    group: "outputs",
    help: "keep one record per batch and write the batch_metrics tables (off by default, as in Vidur)",
  }),
  metrics_config_enable_chrome_trace: bool({ default: false, group: "outputs", help: "write chrome_trace.json (alias --chrome-trace)" }),
  formats: string({
    default: "csv,arrow,parquet",
    group: "outputs",
    help: "table formats to write, comma-separated: any of csv, arrow, parquet, json",
  }),
  parquet_compression: choice(["none", "snappy", "zstd"] as const, {
    default: "none",
    group: "outputs",
    help: "Parquet codec: none (tokenwatt's encoder, fastest), snappy or zstd (parquet-wasm; ~10-30 % smaller, slower) (alias --parquet-compression)",
  }),
  // energy (docs/energy.md)
  energy: bool({
    default: true,
    group: "energy",
    help: "integrate GPU power and energy over the run (never changes simulated times without a cap/clock)",
  }),
  power_model: choice(POWER_MODEL_NAMES, {
    default: "roofline",
    group: "energy",
    help: "roofline: from compute and memory utilisation per stage; phase: Splitwise constants; mfu: Vidur-Energy's MFU curve (alias --power-model)",
  }),
  power_cap_w: float({
    default: null,
    min: 1,
    group: "energy",
    help: "power cap per GPU in W: lowers power, stretches compute-bound stage time (changes timing)",
  }),
  gpu_clock_fraction: float({
    default: null,
    min: 0.05,
    max: 1,
    group: "energy",
    help: "locked SM clock as a fraction of nominal (<= 1): lowers power, stretches compute-bound time",
  }),
  power_resolution: float({
    default: 1,
    min: 0.001,
    group: "energy",
    help: "power timeline bucket width in seconds (alias --power-resolution)",
  }),
  host_power: string({
    default: "none",
    group: "energy",
    help: "host (CPU, memory, network) power per GPU: none, node (from the node's server idle power minus its GPUs' idle; DGX data), or watts",
  }),
  pue: float({ default: null, min: 1, group: "energy", help: "facility power usage effectiveness (default: the region's)" }),
  electricity_price: float({ default: null, min: 0, group: "energy", help: "electricity price in USD/kWh (default: the region's)" }),
  gpu_hour_price: float({ default: null, min: 0, group: "energy", help: "price of one GPU-hour in USD (default: profiles/power)" }),
  embodied_lifetime_years: float({
    default: 5,
    min: 0.1,
    group: "energy",
    help: "years over which a GPU's embodied carbon is amortised (linear)",
  }),
  // carbon
  region: string({
    default: "california",
    group: "carbon",
    help: "PUE, carbon intensity and price: one of Vidur-Energy's 15 regions or an ISO alpha-3 country (Ember data)",
  }),
  carbon_trace: path({
    default: null,
    group: "carbon",
    help: "timestamped gCO2/kWh CSV (Vessim/WattTime layouts); replaces the region's constant intensity (alias --carbon-trace)",
  }),
  carbon_trace_column: string({ default: null, group: "carbon", help: "value column of the carbon trace when it has several" }),
  carbon_trace_unit: choice(["g_per_kwh", "kg_per_kwh", "lbs_per_mwh", "g_per_mwh"] as const, {
    default: null,
    group: "carbon",
    help: "unit of the trace values (default g_per_kwh; required for WattTime API exports)",
  }),
  carbon_trace_tz: string({
    default: null,
    group: "carbon",
    help: "time zone of naive trace stamps: UTC, +HH:MM or an IANA name such as Europe/Berlin (daylight-saving aware; required if the stamps have none)",
  }),
  carbon_trace_fill: choice(["ffill", "bfill", "linear"] as const, {
    default: "ffill",
    group: "carbon",
    help: "between stamps: ffill (value holds until the next), bfill (period-end stamps), linear",
  }),
  carbon_trace_gaps: choice(["error", "fill"] as const, {
    default: "error",
    group: "carbon",
    help: "gaps > 3x the median spacing: error, or fill them with --carbon_trace_fill (reported)",
  }),
  carbon_trace_beyond: choice(["error", "hold", "wrap"] as const, {
    default: "error",
    group: "carbon",
    help: "run longer than the trace: error, hold the last value, or wrap around (reported)",
  }),
  start: string({
    default: null,
    group: "carbon",
    help: "ISO date-time with time zone at simulated t = 0 (e.g. 2023-06-08T12:00:00Z; default: the trace's first stamp)",
  }),
  // Vidur flags kept for compatibility (mapped, or named in one notice line)
  ...VIDUR_COMPAT_OPTIONS,
});

/** Every option's typed value after parsing (defaults applied). */
export type Options = ValuesOf<typeof BEFORE_WORKLOAD> &
  WorkloadValues &
  ValuesOf<typeof AFTER_WORKLOAD> &
  ValuesOf<typeof MICROGRID_OPTION_TABLE> &
  ValuesOf<typeof CONTROL_OPTION_TABLE>;

/** All options, in --help order. */
export const OPTIONS: readonly OptionDef[] = [
  ...Object.values(BEFORE_WORKLOAD),
  ...Object.values(named(workloadOptions())),
  ...Object.values(AFTER_WORKLOAD),
  ...Object.values(MICROGRID_OPTION_TABLE),
  ...Object.values(CONTROL_OPTION_TABLE),
];

const BY_NAME = new Map<string, OptionDef>(OPTIONS.map((o) => [o.name, o]));
/** tokenwatt's short spellings of Vidur options (a spelling with '-' for '_' needs no entry). */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  "output-dir": "metrics_config_output_dir",
  "chrome-trace": "metrics_config_enable_chrome_trace",
  "power-cap": "power_cap_w",
  // issue 12's spelling of the synthetic workload's length in seconds
  duration: "synthetic_request_generator_config_duration",
};

/** The descriptor for a key, flag or alias; '-' and '_' are interchangeable. */
export function findOption(name: string): OptionDef | undefined {
  const key = name.replace(/^-+/, "");
  const canonical = key.replace(/-/g, "_");
  return BY_NAME.get(canonical) ?? BY_NAME.get(OPTION_ALIASES[key] ?? OPTION_ALIASES[canonical.replace(/_/g, "-")] ?? "");
}

/** Default value of every option. */
export function optionDefaults(): Options {
  const out: Record<string, unknown> = {};
  for (const o of OPTIONS) out[o.name] = o.default;
  return out as Options;
}
