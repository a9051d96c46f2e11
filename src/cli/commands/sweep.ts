/**
 * `tokenwatt sweep --spec FILE --output-dir DIR [--workers N] [--resume] [--retry-failed] [--shard i/N] [--keep-runs] [--replicates N] [--report]`
 * and `tokenwatt sweep merge DIR… --output-dir OUT [--allow-partial]`. See docs/sweeps.md.
 */
import type { Command } from "commander";
import { InputError } from "../../core/errors.js";
import type { SweepReport } from "../../sweep/sweep.js";
import { writeReportFor } from "./report.js";
// The sweep machinery (piscina, Arrow, Parquet) loads only when a sweep command runs, keeping every other
// command's start-up fast.
const sweepModules = async () => {
  const [merge, plan, pool, progress, spec, sweep] = await Promise.all([
    import("../../sweep/merge.js"),
    import("../../sweep/plan.js"),
    import("../../sweep/pool.js"),
    import("../../sweep/progress-bar.js"),
    import("../../sweep/spec.js"),
    import("../../sweep/sweep.js"),
  ]);
  return { ...merge, ...plan, ...pool, ...progress, ...spec, ...sweep };
};

export function register(program: Command): void {
  const sweep = program
    .command("sweep")
    .description(
      "run every configuration of a sweep spec (YAML/JSON: base, grid, zip, exclude) in parallel; summary.arrow + summary.parquet in --output-dir",
    )
    .option("--spec <file>", "sweep spec (YAML or JSON)")
    .option("--output-dir <dir>", "directory for sweep.json, records/, summary.arrow, summary.parquet (and runs/ with --keep-runs)")
    .option("--workers <n>", "worker threads (default: number of cores)")
    .option("--resume", "continue an interrupted sweep in --output-dir: finished runs are skipped")
    .option("--retry-failed", "with --resume: run failed runs again")
    .option("--shard <i/N>", "run only shard i of N (runs whose index mod N = i); combine with `sweep merge`")
    .option("--keep-runs", "also write each run's tables, summary.json and config.json under runs/<run_id>/")
    .option(
      "--replicates <n>",
      "run each configuration with N seeds (replicate 0 = the spec's seeds); summary gains mean, std and 95 % CI per configuration",
    )
    .option("--report", "also write report.html (runs table, Pareto fronts, failed runs) into --output-dir")
    .action(async (flags: Record<string, unknown>) => {
      if (typeof flags.spec !== "string") throw new InputError("sweep: --spec FILE is required");
      if (typeof flags.outputDir !== "string") throw new InputError("sweep: --output-dir DIR is required");
      if (flags.retryFailed && !flags.resume) throw new InputError("sweep: --retry-failed needs --resume");
      // The pool comes first: its workers boot (a thread, the worker's modules, the engine instantiated from the
      // module compiled here) while this thread loads the rest of the sweep machinery, reads the spec and plans
      // the sweep, so start-up is the longer of the two, not their sum.
      const { createPool, parseWorkers } = await import("../../sweep/pool.js");
      const workers = parseWorkers(flags.workers);
      const pool = createPool(workers);
      let sweep: Awaited<ReturnType<typeof sweepModules>>;
      let report: SweepReport;
      try {
        sweep = await sweepModules();
        const shard = typeof flags.shard === "string" ? sweep.parseShard(flags.shard) : undefined;
        const spec = sweep.readSweepSpec(flags.spec);
        if (flags.replicates !== undefined) spec.replicates = sweep.parseReplicates(flags.replicates, "sweep: --replicates");
        report = await sweep.runSweep({
          spec,
          outputDir: flags.outputDir,
          workers,
          pool,
          resume: Boolean(flags.resume),
          retryFailed: Boolean(flags.retryFailed),
          shard,
          keepRuns: Boolean(flags.keepRuns),
        });
      } finally {
        await pool.destroy();
      }
      const rate = report.ran / (report.wallMs / 1000);
      process.stdout.write(
        `sweep: ${report.planned} runs${report.planned !== report.plan.runs.length ? ` (shard of ${report.plan.runs.length})` : ""}, ` +
          `${report.ran} ran${report.skipped ? `, ${report.skipped} already done` : ""}, ${report.failed} failed` +
          `${report.retried ? `, ${report.retried} retried after a worker died` : ""} in ${sweep.formatDuration(report.wallMs / 1000)}` +
          `${report.ran ? ` (${rate.toFixed(2)} runs/s)` : ""}; ${report.summaryPaths.join(", ")}\n`,
      );
      if (flags.report) await writeReportFor(flags.outputDir);
    });
  sweep
    .command("merge")
    .description("combine shard directories of one sweep into --output-dir (detects duplicate and missing runs)")
    .argument("<dirs...>", "sweep output directories (one per shard)")
    .option("--output-dir <dir>", "new directory for the merged sweep")
    .option("--allow-partial", 'write the merge even if runs are missing (rows with status "missing")')
    .action(async (dirs: string[], flags: Record<string, unknown>, cmd: Command) => {
      // `sweep` has its own --output-dir, which commander fills when the flag follows the subcommand
      const outputDir = flags.outputDir ?? cmd.parent?.opts().outputDir;
      if (typeof outputDir !== "string") throw new InputError("sweep merge: --output-dir DIR is required");
      const { mergeSweeps } = await sweepModules();
      const r = await mergeSweeps(dirs, outputDir, Boolean(flags.allowPartial));
      process.stdout.write(
        `sweep merge: ${r.runs} runs from ${r.inputs} directories${r.duplicates ? `, ${r.duplicates} duplicates (identical, kept once)` : ""}` +
          `${r.missing.length ? `, ${r.missing.length} missing` : ""}; ${r.summaryPaths.join(", ")}\n`,
      );
    });
}
