/**
 * `tokenwatt report DIR [--out FILE]`: one self-contained HTML report (charts inlined, opens offline) for the
 * output directory of simulate, sweep, capacity or a co-simulation. See src/report/report.ts.
 */
import { basename, join } from "node:path";
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("report")
    .description("write a self-contained HTML report (charts, tables) for an output directory of simulate, sweep, capacity or cosim")
    .argument("<dir>", "the output directory")
    .option("--out <file>", "where to write the page (default: DIR/report.html)")
    .action(async (dir: string, flags: { out?: string }) => {
      const t0 = performance.now();
      const { writeReport } = await import("../../report/report.js");
      const path = await writeReport(dir, flags.out);
      process.stdout.write(`report: ${path} (${((performance.now() - t0) / 1000).toFixed(2)} s)\n`);
    });
}

/** `--report` on simulate, sweep and capacity: the report of the directory just written (loaded only when asked for). */
export async function writeReportFor(outDir: string, shownDir: string = outDir): Promise<void> {
  const { writeReport } = await import("../../report/report.js");
  const written = await writeReport(outDir);
  // a run writes into a staging directory first: name the file where it will be
  process.stdout.write(`report: ${shownDir === outDir ? written : join(shownDir, basename(written))}\n`);
}
