/**
 * `tokenwatt capacity --spec FILE --output-dir DIR [--workers N] [--slo-metric M] [--slo-value S]
 * [--slo-quantile Q] [--start-qps X] [--max-iterations N] [--granularity PCT] [--gpu-hour-price USD]`:
 * Vidur's capacity search for every configuration of a sweep spec. See docs/sweeps.md.
 */
import type { Command } from "commander";
import { SLO_METRICS, type SloMetric } from "../../capacity/search.js";
import { InputError } from "../../core/errors.js";
import { writeReportFor } from "./report.js";

function numberFlag(
  flags: Record<string, unknown>,
  key: string,
  flag: string,
  check: (n: number) => boolean,
  what: string,
): number | undefined {
  const raw = flags[key];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new InputError(`capacity: --${flag} must be ${what}, got ${JSON.stringify(raw)}`);
  return n;
}

const fmt = (v: number | null, digits = 3): string => (v === null ? "-" : v.toPrecision(digits));

export function register(program: Command): void {
  program
    .command("capacity")
    .description("maximum QPS under an SLO for every configuration of a sweep spec (Vidur's capacity search), in parallel")
    .option("--spec <file>", "sweep spec (YAML or JSON); the qps option is searched, so do not sweep it")
    .option("--output-dir <dir>", "directory for capacity.arrow, capacity.parquet, capacity.json")
    .option("--workers <n>", "worker threads (default: number of cores)")
    .option("--slo-metric <m>", `one of ${SLO_METRICS.join(", ")} (default scheduling_delay, as Vidur)`)
    .option("--slo-value <s>", "SLO in seconds (default 5)")
    .option("--slo-quantile <q>", "quantile of the metric, 0..1 (default 0.99)")
    .option("--start-qps <x>", "search starts at right = 2 x this (default: the spec's qps value)")
    .option("--max-iterations <n>", "simulations per configuration at most (default 20)")
    .option("--granularity <pct>", "stop when the bracket is below this % of qps (default 2.5)")
    .option("--gpu-hour-price <usd>", "USD per GPU-hour for requests_per_usd when the summary has no cost fields")
    .option("--report", "also write report.html (capacity per configuration, search steps) into --output-dir")
    .option("--resume", "continue an interrupted capacity search in --output-dir: finished configurations are not searched again")
    .action(async (flags: Record<string, unknown>) => {
      if (typeof flags.spec !== "string") throw new InputError("capacity: --spec FILE is required");
      if (typeof flags.outputDir !== "string") throw new InputError("capacity: --output-dir DIR is required");
      const metric = (flags.sloMetric ?? "scheduling_delay") as SloMetric;
      if (!SLO_METRICS.includes(metric))
        throw new InputError(`capacity: --slo-metric must be one of ${SLO_METRICS.join(", ")}, got "${String(flags.sloMetric)}"`);
      // heavy modules (piscina, Arrow, Parquet) load only when the command runs
      const [{ runCapacity }, { parseWorkers }, { formatDuration }, { readSweepSpec }] = await Promise.all([
        import("../../capacity/capacity.js"),
        import("../../sweep/pool.js"),
        import("../../sweep/progress-bar.js"),
        import("../../sweep/spec.js"),
      ]);
      const report = await runCapacity({
        spec: readSweepSpec(flags.spec),
        outputDir: flags.outputDir,
        workers: parseWorkers(flags.workers),
        resume: Boolean(flags.resume),
        slo: {
          metric,
          value: numberFlag(flags, "sloValue", "slo-value", (n) => n > 0, "a number > 0") ?? 5,
          quantile: numberFlag(flags, "sloQuantile", "slo-quantile", (n) => n >= 0 && n <= 1, "a number in [0, 1]") ?? 0.99,
        },
        startQps: numberFlag(flags, "startQps", "start-qps", (n) => n > 0, "a number > 0"),
        maxIterations: numberFlag(flags, "maxIterations", "max-iterations", (n) => Number.isInteger(n) && n >= 1, "an integer >= 1"),
        granularityPct: numberFlag(flags, "granularity", "granularity", (n) => n > 0, "a number > 0"),
        gpuHourPrice: numberFlag(flags, "gpuHourPrice", "gpu-hour-price", (n) => n > 0, "a number > 0"),
      });
      const slo = `${metric} p${+(100 * Number(flags.sloQuantile ?? 0.99)).toFixed(3)} <= ${Number(flags.sloValue ?? 5)} s`;
      const lines = [`capacity (${slo}): ${report.rows.length} configurations in ${formatDuration(report.wallMs / 1000)}`];
      lines.push(["run_id", "max_qps", "qps/GPU", "req/USD", "req/kWh", "pareto", "params"].join("\t"));
      for (const r of report.rows) {
        lines.push(
          [
            r.run_id,
            r.status === "ok" ? fmt(r.max_qps) : `failed: ${r.error}`,
            fmt(r.qps_per_gpu),
            fmt(r.requests_per_usd),
            fmt(r.requests_per_kwh),
            r.pareto ? "*" : "",
            JSON.stringify(r.params),
          ].join("\t"),
        );
      }
      if (!report.energySource)
        lines.push("(no energy fields in the simulate summary yet: req/kWh, energy per token and the Pareto frontier are empty)");
      lines.push(`outputs: ${report.paths.join(", ")}`);
      process.stdout.write(`${lines.join("\n")}\n`);
      if (flags.report) await writeReportFor(flags.outputDir);
    });
}
