/**
 * Vidur flags that tokenwatt accepts so a Vidur command line runs unchanged. Each is either mapped onto what
 * tokenwatt does (`effect`, applied in src/simulate.ts) or, when it has no counterpart, named in one notice line
 * (`vidurCompatNotice`). All default to null: "not given", so only flags a user actually passes are reported.
 *
 * @example
 * vidurCompatNotice({ ...optionDefaults(), metrics_config_store_plots: false })
 * // "notice: Vidur flags accepted without effect: --metrics_config_store_plots (tokenwatt draws no plots; …)"
 */
import { bool, choice, int, path, string, type Option } from "../core/descriptor.js";

const group = "Vidur compatibility";
/** A Vidur boolean flag (--x / --no-x) that is null unless given. */
const flag = (help: string): Option<boolean | null> => ({ ...bool({ default: false, group, help }), default: null });

export const VIDUR_COMPAT_OPTIONS = {
  execution_time_predictor_config_type: choice(["random_forrest", "linear_regression"] as const, {
    default: null,
    group,
    help: "Vidur's trained predictor: no effect (execution times come from --predictor: the roofline, --profile-dir or --op-tables)",
  }),
  metrics_config_write_metrics: flag(
    "Vidur: --no-metrics_config_write_metrics writes no metric tables (summary.json and config.json only)",
  ),
  metrics_config_store_request_metrics: flag("Vidur: --no-… skips the request_metrics tables"),
  metrics_config_store_batch_metrics: flag("Vidur: --no-… skips the batch_metrics tables"),
  metrics_config_store_utilization_metrics: flag("Vidur: no effect (MFU, busy time and memory use are always in summary.json)"),
  metrics_config_store_plots: flag("Vidur: no effect (tokenwatt draws no plots; the tables hold the data)"),
  metrics_config_store_operation_metrics: flag("Vidur: no effect (no per-operator timings; tokenwatt predict shows them per batch)"),
  metrics_config_write_json_trace: flag("Vidur: no effect (no event_trace.json; --chrome-trace writes every batch stage)"),
  metrics_config_save_table_to_wandb: flag("Vidur: no effect (no Weights & Biases upload)"),
  metrics_config_wandb_project: string({ default: null, group, help: "Vidur: no effect (no Weights & Biases upload)" }),
  metrics_config_wandb_group: string({ default: null, group, help: "Vidur: no effect (no Weights & Biases upload)" }),
  metrics_config_wandb_run_name: string({ default: null, group, help: "Vidur: no effect (no Weights & Biases upload)" }),
  metrics_config_wandb_sweep_id: string({ default: null, group, help: "Vidur: no effect (no Weights & Biases upload)" }),
  metrics_config_wandb_run_id: string({ default: null, group, help: "Vidur: no effect (no Weights & Biases upload)" }),
  metrics_config_subsamples: int({
    default: null,
    min: 0,
    group,
    help: "Vidur: no effect (plots are not drawn, so nothing is subsampled)",
  }),
  metrics_config_min_batch_index: int({ default: null, min: 0, group, help: "Vidur: no effect (every batch is counted)" }),
  metrics_config_max_batch_index: int({ default: null, min: 0, group, help: "Vidur: no effect (every batch is counted)" }),
  metrics_config_cache_dir: path({
    default: null,
    group,
    help: "Vidur's predictor cache: no effect (op tables take < 1 s to build; pass a cache to --op-tables to replay it)",
  }),
};

/** Flags whose value tokenwatt maps (src/simulate.ts); every other compat flag only earns the notice. */
const MAPPED = new Set(["metrics_config_write_metrics", "metrics_config_store_request_metrics", "metrics_config_store_batch_metrics"]);

/** One line naming every given Vidur flag that has no effect here, with why; undefined when there is none. */
export function vidurCompatNotice(options: Readonly<Record<string, unknown>>): string | undefined {
  const ignored = Object.entries(VIDUR_COMPAT_OPTIONS)
    .filter(([name]) => !MAPPED.has(name) && options[name] !== null && options[name] !== undefined)
    .map(([name, def]) => `--${name} (${def.help.replace(/^Vidur(?:'s [^:]*)?: no effect \(|^[^(]*\(/, "").replace(/\)$/, "")})`);
  return ignored.length ? `notice: Vidur flags accepted without effect: ${ignored.join("; ")}` : undefined;
}
