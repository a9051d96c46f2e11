/**
 * Every `simulate` option, declared once: Vidur's flag name (keys of --config files are the same names),
 * type, default and help. The CLI, config files and sweeps all read this table, so a new option is one row.
 *
 * @example
 * findOption("replica_config_tensor_parallel_size")?.default; // 1
 */
import { WORKLOAD_DEFAULTS } from "../workload/index.js";

export type OptionType = "int" | "float" | "string" | "bool" | "choice" | "path";

export interface OptionDef {
  /** Flag name without dashes, e.g. "replica_config_model_name". */
  name: string;
  type: OptionType;
  default: string | number | boolean | null;
  help: string;
  choices?: readonly string[];
  /** Inclusive lower bound for numbers. */
  min?: number;
  /**
   * Inclusive upper bound for numbers. Integers default to INT32_MAX (they travel to the engine as i32); a
   * tighter bound where a larger value cannot run (docs: "Validation before work").
   */
  max?: number;
  /** Shown in --help under this heading. */
  group: string;
}

const SCHEDULER_PREFIXES = {
  vllm: "vllm_scheduler_config",
  sarathi: "sarathi_scheduler_config",
  orca: "orca_scheduler_config",
  faster_transformer: "faster_transformer_scheduler_config",
  lightllm: "lightllm_scheduler_config",
} as const;
export type SchedulerKey = keyof typeof SCHEDULER_PREFIXES;
export const schedulerFlagPrefix = (s: SchedulerKey): string => SCHEDULER_PREFIXES[s];

/** Replicas one run can hold: per-replica state and per-replica summary rows grow with it (docs/ARCHITECTURE.md). */
export const MAX_REPLICAS = 16_384;

/** Largest seed (NumPy's MT19937 takes 32-bit seeds). */
export const UINT32_MAX = 2 ** 32 - 1;

/** Largest integer option value: integers reach the engine as i32. */
export const INT32_MAX = 2 ** 31 - 1;

export const PREDICTOR_PREFIX = "random_forrest_execution_time_predictor_config";

function schedulerOptions(): OptionDef[] {
  const out: OptionDef[] = [];
  for (const [key, prefix] of Object.entries(SCHEDULER_PREFIXES)) {
    const group = `replica scheduler: ${key}`;
    out.push(
      { name: `${prefix}_batch_size_cap`, type: "int", default: 128, min: 1, group, help: `maximum requests in the running set (${key})` },
      {
        name: `${prefix}_block_size`, type: "int", default: key === "lightllm" ? 1 : 16, min: 1, group,
        help: `KV-cache block size in tokens (${key}${key === "lightllm" ? ": must be 1" : ""})`,
      },
      { name: `${prefix}_watermark_blocks_fraction`, type: "float", default: 0.01, min: 0, max: 1, group, help: "fraction of blocks kept free when admitting new requests" },
      { name: `${prefix}_num_blocks`, type: "int", default: null, min: 1, group, help: "KV-cache blocks per replica (default: from the memory planner)" },
    );
    if (key === "vllm" || key === "lightllm") {
      out.push({ name: `${prefix}_max_tokens_in_batch`, type: "int", default: 4096, min: 1, group, help: `token budget of a prefill batch (${key === "vllm" ? "padded: size x longest prompt" : "summed"})` });
    }
    if (key === "lightllm") out.push({ name: `${prefix}_max_waiting_iters`, type: "int", default: 10, min: 1, group, help: "decode iterations between prefill attempts" });
    if (key === "sarathi") out.push({ name: `${prefix}_chunk_size`, type: "int", default: 512, min: 1, group, help: "token budget per iteration (chunked prefill)" });
  }
  return out;
}

function workloadOptions(): OptionDef[] {
  const out: OptionDef[] = [];
  for (const [name, def] of Object.entries(WORKLOAD_DEFAULTS)) {
    const group = "workload";
    const words = name.replace(/_config_/, ": ").replace(/_/g, " ");
    if (name === "request_generator_config_type") {
      out.push({ name, type: "choice", default: def as string, choices: ["synthetic", "trace_replay", "closed_loop"], group, help: "synthetic (lengths x intervals), trace_replay (CSV arrived_at,num_prefill_tokens,num_decode_tokens), or closed_loop (--concurrency clients)" });
    } else if (name === "length_generator_config_type") {
      out.push({ name, type: "choice", default: def as string, choices: ["fixed", "uniform", "zipf", "trace"], group, help: "request length distribution" });
    } else if (name === "interval_generator_config_type") {
      out.push({ name, type: "choice", default: def as string, choices: ["poisson", "gamma", "static", "trace"], group, help: "inter-arrival distribution" });
    } else if (name.endsWith("trace_file")) {
      out.push({ name, type: "path", default: (def as string | null) ?? null, group, help: words });
    } else if (typeof def === "boolean") {
      out.push({ name, type: "bool", default: def, group, help: words });
    } else if (typeof def === "number") {
      const isInt = /(_seed|_tokens|num_requests)$/.test(name) && Number.isInteger(def);
      // seeds feed NumPy-style MT19937 (uint32); other integers reach the engine as i32
      out.push({ name, type: isInt ? "int" : "float", default: def, min: 0, ...(name.endsWith("_seed") ? { max: UINT32_MAX } : {}), group, help: words });
    } else {
      out.push({ name, type: name.endsWith("num_requests") ? "int" : name.endsWith("duration") ? "float" : "string", default: (def as string | null) ?? null, group, help: words });
    }
  }
  return out;
}

export const OPTIONS: readonly OptionDef[] = [
  // simulation
  { name: "seed", type: "int", default: 42, min: 0, max: UINT32_MAX, group: "simulation", help: "Vidur's simulation seed: seeds the random global scheduler's stream for trace replay (a synthetic workload re-seeds that stream with its generator seed first, as in Vidur)" },
  { name: "time_limit", type: "float", default: 0, min: 0, group: "simulation", help: "stop at this simulated time in seconds (0 = run to completion)" },
  // cluster and replica
  { name: "cluster_config_num_replicas", type: "int", default: 1, min: 1, max: MAX_REPLICAS, group: "cluster", help: "number of model replicas" },
  { name: "replica_config_model_name", type: "string", default: "meta-llama/Llama-2-7b-hf", group: "cluster", help: "model name or alias (tokenwatt profiles list)" },
  { name: "replica_config_device", type: "string", default: "a100", group: "cluster", help: "GPU name or alias (tokenwatt profiles list)" },
  { name: "replica_config_network_device", type: "string", default: "a100_pairwise_nvlink", group: "cluster", help: "node type: how the GPUs of a replica are connected" },
  { name: "replica_config_tensor_parallel_size", type: "int", default: 1, min: 1, max: 1024, group: "cluster", help: "tensor-parallel GPUs per stage" },
  { name: "replica_config_num_pipeline_stages", type: "int", default: 1, min: 1, max: 1024, group: "cluster", help: "pipeline stages per replica" },
  { name: "replica_config_memory_margin_fraction", type: "float", default: 0.1, min: 0, max: 0.99, group: "cluster", help: "fraction of GPU memory the planner keeps free" },
  { name: "global_scheduler_config_type", type: "choice", default: "round_robin", choices: ["round_robin", "lor", "random"], group: "scheduling", help: "request routing across replicas" },
  { name: "replica_scheduler_config_type", type: "choice", default: "sarathi", choices: ["vllm", "sarathi", "orca", "faster_transformer", "lightllm"], group: "scheduling", help: "batching policy inside a replica" },
  ...schedulerOptions(),
  // execution-time prediction
  { name: "predictor", type: "choice", default: "auto", choices: ["auto", "roofline", "profile", "op-tables"], group: "execution time", help: "op-time source: auto = op-tables if --op-tables, profile if --profile-dir, else roofline" },
  { name: "op_tables", type: "path", default: null, group: "execution time", help: "directory of Vidur predictor-cache op tables (<op>.csv[.gz]) to use as is" },
  { name: "profile_dir", type: "path", default: null, group: "execution time", help: "Vidur data/profiling directory (compute/<device>/<model>/mlp.csv, network/<node>/...)" },
  { name: `${PREDICTOR_PREFIX}_prediction_max_tokens_per_request`, type: "int", default: 4096, min: 1, group: "execution time", help: "op-table grid: largest token count" },
  { name: `${PREDICTOR_PREFIX}_prediction_max_batch_size`, type: "int", default: 128, min: 1, group: "execution time", help: "op-table grid: largest decode batch" },
  { name: `${PREDICTOR_PREFIX}_prediction_max_prefill_chunk_size`, type: "int", default: 4096, min: 1, group: "execution time", help: "op-table grid: largest prefill chunk" },
  { name: `${PREDICTOR_PREFIX}_kv_cache_prediction_granularity`, type: "int", default: 64, min: 1, group: "execution time", help: "KV context is rounded up to a multiple of this" },
  { name: `${PREDICTOR_PREFIX}_attention_decode_batching_overhead_fraction`, type: "float", default: 0.1, min: 0, group: "execution time", help: "extra decode-attention time for batches > 1 (GQA models)" },
  { name: `${PREDICTOR_PREFIX}_attention_prefill_batching_overhead_fraction`, type: "float", default: 0.1, min: 0, group: "execution time", help: "extra prefill-attention time for several prefills (GQA models)" },
  { name: `${PREDICTOR_PREFIX}_nccl_cpu_launch_overhead_ms`, type: "float", default: 0.02, min: 0, group: "execution time", help: "CPU launch overhead per all-reduce (ms)" },
  { name: `${PREDICTOR_PREFIX}_nccl_cpu_skew_overhead_per_device_ms`, type: "float", default: 0, min: 0, group: "execution time", help: "skew overhead per all-reduce, times TP^1.25 (ms)" },
  // workload
  ...workloadOptions(),
  { name: "concurrency", type: "int", default: 8, min: 1, group: "workload", help: "closed_loop: number of clients, each sending its next request when its last completes" },
  // outputs
  { name: "metrics_config_output_dir", type: "path", default: "simulator_output", group: "outputs", help: "directory for all outputs (alias --output-dir; no timestamp is appended)" },
  { name: "metrics_config_store_token_completion_metrics", type: "bool", default: true, group: "outputs", help: "collect time-between-tokens samples (exact TBT percentiles)" },
  { name: "metrics_config_keep_individual_batch_metrics", type: "bool", default: false, group: "outputs", help: "keep one record per batch and write the batch_metrics tables (off by default, as in Vidur)" },
  { name: "metrics_config_enable_chrome_trace", type: "bool", default: false, group: "outputs", help: "write chrome_trace.json (alias --chrome-trace)" },
  { name: "formats", type: "string", default: "csv,arrow,parquet", group: "outputs", help: "table formats to write, comma-separated: any of csv, arrow, parquet, json" },
  { name: "parquet_compression", type: "choice", default: "none", choices: ["none", "snappy", "zstd"], group: "outputs", help: "Parquet codec: none (tokenwatt's encoder, fastest), snappy or zstd (parquet-wasm; ~10-30 % smaller, slower) (alias --parquet-compression)" },
  // energy (docs/energy.md)
  { name: "energy", type: "bool", default: true, group: "energy", help: "integrate GPU power and energy over the run (never changes simulated times without a cap/clock)" },
  { name: "power_model", type: "choice", default: "roofline", choices: ["roofline", "phase", "mfu"], group: "energy", help: "roofline: from compute and memory utilisation per stage; phase: Splitwise constants; mfu: Vidur-Energy's MFU curve (alias --power-model)" },
  { name: "power_cap_w", type: "float", default: null, min: 1, group: "energy", help: "power cap per GPU in W: lowers power, stretches compute-bound stage time (changes timing)" },
  { name: "gpu_clock_fraction", type: "float", default: null, min: 0.05, max: 1, group: "energy", help: "locked SM clock as a fraction of nominal (<= 1): lowers power, stretches compute-bound time" },
  { name: "power_resolution", type: "float", default: 1, min: 0.001, group: "energy", help: "power timeline bucket width in seconds (alias --power-resolution)" },
  { name: "host_power", type: "string", default: "none", group: "energy", help: "host (CPU, memory, network) power per GPU: none, node (from the node's server idle power minus its GPUs' idle; DGX data), or watts" },
  { name: "pue", type: "float", default: null, min: 1, group: "energy", help: "facility power usage effectiveness (default: the region's)" },
  { name: "electricity_price", type: "float", default: null, min: 0, group: "energy", help: "electricity price in USD/kWh (default: the region's)" },
  { name: "gpu_hour_price", type: "float", default: null, min: 0, group: "energy", help: "price of one GPU-hour in USD (default: profiles/power)" },
  { name: "embodied_lifetime_years", type: "float", default: 5, min: 0.1, group: "energy", help: "years over which a GPU's embodied carbon is amortised (linear)" },
  // carbon
  { name: "region", type: "string", default: "california", group: "carbon", help: "PUE, carbon intensity and price: one of Vidur-Energy's 15 regions or an ISO alpha-3 country (Ember data)" },
  { name: "carbon_trace", type: "path", default: null, group: "carbon", help: "timestamped gCO2/kWh CSV (Vessim/WattTime layouts); replaces the region's constant intensity (alias --carbon-trace)" },
  { name: "carbon_trace_column", type: "string", default: null, group: "carbon", help: "value column of the carbon trace when it has several" },
  { name: "carbon_trace_unit", type: "choice", default: null, choices: ["g_per_kwh", "kg_per_kwh", "lbs_per_mwh", "g_per_mwh"], group: "carbon", help: "unit of the trace values (default g_per_kwh; required for WattTime API exports)" },
  { name: "carbon_trace_tz", type: "string", default: null, group: "carbon", help: "time zone of naive trace stamps: UTC, +HH:MM or an IANA name such as Europe/Berlin (daylight-saving aware; required if the stamps have none)" },
  { name: "carbon_trace_fill", type: "choice", default: "ffill", choices: ["ffill", "bfill", "linear"], group: "carbon", help: "between stamps: ffill (value holds until the next), bfill (period-end stamps), linear" },
  { name: "carbon_trace_gaps", type: "choice", default: "error", choices: ["error", "fill"], group: "carbon", help: "gaps > 3x the median spacing: error, or fill them with --carbon_trace_fill (reported)" },
  { name: "carbon_trace_beyond", type: "choice", default: "error", choices: ["error", "hold", "wrap"], group: "carbon", help: "run longer than the trace: error, hold the last value, or wrap around (reported)" },
  { name: "start", type: "string", default: null, group: "carbon", help: "ISO date-time with time zone at simulated t = 0 (e.g. 2023-06-08T12:00:00Z; default: the trace's first stamp)" },
];

const BY_NAME = new Map(OPTIONS.map((o) => [o.name, o]));
/** tokenwatt's short spellings of Vidur options. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  "output-dir": "metrics_config_output_dir",
  output_dir: "metrics_config_output_dir",
  "chrome-trace": "metrics_config_enable_chrome_trace",
  chrome_trace: "metrics_config_enable_chrome_trace",
  "op-tables": "op_tables",
  "profile-dir": "profile_dir",
  "power-model": "power_model",
  "power-resolution": "power_resolution",
  "power-cap": "power_cap_w",
  "carbon-trace": "carbon_trace",
  "host-power": "host_power",
  "parquet-compression": "parquet_compression",
};

export function findOption(name: string): OptionDef | undefined {
  return BY_NAME.get(OPTION_ALIASES[name] ?? name);
}

/** Default value of every option. */
export function optionDefaults(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of OPTIONS) out[o.name] = o.default;
  return out;
}
