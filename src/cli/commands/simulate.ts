/**
 * `tokenwatt simulate`: Vidur's flags (every option in src/config/options.ts), a --config file, outputs into
 * --output-dir. Progress goes to stderr when it is a terminal.
 */
import type { Command, Help } from "commander";
import { OPTIONS, OPTION_ALIASES, type Options } from "../../config/options.js";
import { readConfigFile, resolveOptions } from "../../config/parse.js";
import { vidurCompatNotice } from "../../config/vidur-compat.js";
import { InputError } from "../../core/errors.js";
import { startWriterThreads, type WriterThread } from "../../output/background-writer.js";
import { finishOutput, openOutput } from "../../output/transaction.js";
import { requestCount, type Scenario } from "../../scenario/types.js";
import { expectedDurationRequests } from "../../scenario/validate.js";
import {
  BACKGROUND_WRITE_MIN_ROWS,
  configHash,
  outputFormats,
  outputWriteOptions,
  SIMULATE_OUTPUTS,
  simulateAndWrite,
  type SimulationRun,
} from "../../simulate.js";
import { addOptionFlags, givenOptions } from "../option-flags.js";
import { progressReporter } from "../progress.js";
import { writeReportFor } from "./report.js";

export function register(program: Command): void {
  const cmd = program
    .command("simulate")
    .description("simulate LLM inference serving (Vidur-compatible flags) and write metrics to --output-dir")
    .option("--config <file>", "JSON or YAML file of option names (with or without dashes) to values; flags override it")
    .option("--report", "also write report.html, the run's charts as one offline page (as `tokenwatt report DIR`)")
    .configureHelp({ formatItem: termAbove });
  addOptionFlags(cmd, OPTIONS, OPTION_ALIASES);
  cmd.action(async (flags: Record<string, unknown>, command: Command) => {
    const progress = progressReporter("simulate");
    const given = givenOptions(command, flags, ["config", "report"]);
    const fromFile = typeof flags.config === "string" ? readConfigFile(flags.config) : {};
    const options = resolveOptions(given, fromFile);
    const notice = vidurCompatNotice(options);
    if (notice) process.stderr.write(`${notice}\n`);
    const formats = outputFormats(options);
    // checked before the run, not after it: the report reads the tables back from the output directory
    if (flags.report && !formats.some((f) => f === "csv" || f === "arrow" || f === "parquet")) {
      throw new InputError(`--report reads the run's tables: add csv, arrow or parquet to --formats (got "${formats.join(",")}")`);
    }
    let threads: Map<string, WriterThread> | undefined;
    // Writer threads boot while the scenario resolves (or, when only the resolved workload tells its size,
    // while the engine runs) and write request_metrics chunk by chunk as rows leave the engine; other results
    // stay views on the engine's memory (one run per process), so nothing is copied out.
    const onResolved = (s: Scenario) => {
      if (!threads && requestCount(s) >= BACKGROUND_WRITE_MIN_ROWS) threads = startWriterThreads(formats, outputWriteOptions(options));
    };
    // the output location is checked and locked before the simulation, so a bad one fails at once; every file
    // goes to a staging directory that replaces --output-dir only when all of them are written (transaction.ts)
    const outDir = options.metrics_config_output_dir as string;
    const tx = await openOutput(outDir, { command: "simulate", knownOutputs: SIMULATE_OUTPUTS });
    try {
      const planned = plannedRequestCount(options);
      if (planned !== undefined && planned >= BACKGROUND_WRITE_MIN_ROWS) threads = startWriterThreads(formats, outputWriteOptions(options));
      let run: SimulationRun | undefined;
      await finishOutput(
        tx,
        async () => {
          // threads are started above or in onResolved, before any sink opens: the getter reads them when needed
          const hooks = {
            onPhase: progress.phase,
            onResolved,
            copyResults: false,
            finalDir: outDir,
            get writerThreads() {
              return threads ?? false;
            },
          };
          ({ run } = await simulateAndWrite(options, tx.dir, hooks));
          // the report is part of the run's outputs: written into the staging directory, listed in the manifest
          if (flags.report) await writeReportFor(tx.dir, outDir);
        },
        configHash(options),
      );
      progress.done();
      report(run!, outDir);
    } finally {
      await Promise.all([...new Set(threads?.values() ?? [])].map((t) => t.terminate()));
    }
  });
}

/**
 * The request count the options ask for where they say it without generating anything (synthetic workloads:
 * --synthetic_request_generator_config_num_requests, or duration x QPS); undefined for traces and closed loops.
 */
function plannedRequestCount(options: Options): number | undefined {
  if (options.request_generator_config_type !== "synthetic") return undefined;
  const byDuration = expectedDurationRequests(options);
  if (byDuration !== undefined) return byDuration;
  const n = options.synthetic_request_generator_config_num_requests;
  return typeof n === "number" ? n : undefined;
}

/** The one-line result on stdout. */
function report(run: SimulationRun, outDir: string): void {
  const s = run.summary as {
    node_mismatch?: string;
    num_completed_requests: number;
    ttft_s: { p50: number; p99: number };
    e2e_latency_s: { p50: number; p99: number };
    batches: { count: number };
  };
  process.stdout.write(
    `simulated ${requestCount(run.scenario)} requests (${s.num_completed_requests} completed) in ` +
      `${s.batches.count} batches, makespan ${run.result.makespan.toFixed(1)} s; ` +
      `TTFT p50 ${s.ttft_s.p50.toFixed(3)} s p99 ${s.ttft_s.p99.toFixed(3)} s; ` +
      `e2e p50 ${s.e2e_latency_s.p50.toFixed(3)} s p99 ${s.e2e_latency_s.p99.toFixed(3)} s; outputs in ${outDir}` +
      (s.node_mismatch ? `; note: ${s.node_mismatch}` : "") +
      "\n",
  );
}

/**
 * Help items with the flag on its own line and the description indented below it: Vidur's flag names run to
 * 60 characters, and commander's side-by-side layout would leave every description starting at column 100.
 */
function termAbove(term: string, _termWidth: number, description: string, helper: Help): string {
  if (!description) return `  ${term}`;
  const width = Math.max(40, (helper.helpWidth ?? 80) - 6);
  return `  ${term}\n${helper.boxWrap(description, width).replace(/^/gm, "      ")}`;
}
