/**
 * `tokenwatt cosim`: the microgrid co-simulation on a given load (docs/microgrid.md).
 *
 * @example
 * tokenwatt cosim --load-w 700 --solar-trace ../shared/data/vessim/solar_example.csv --solar-column Berlin \
 *   --solar-peak-w 5000 --battery simple --battery-capacity-wh 1500 --battery-initial-soc 0.8 --battery-min-soc 0.3 \
 *   --grid-step 300 --duration 86400 --carbon-trace ../shared/data/vessim/watttime_example.csv --output-dir out
 */
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { addOptionFlags, givenOptions } from "../option-flags.js";
import type { Options } from "../../config/options.js";
import { cosimOptionDefs, resolveCosimOptions, runCosim } from "../../cosim/cosim.js";
import { finishOutput, openOutput } from "../../output/transaction.js";
import { writeJson } from "../../output/json.js";
import { streamTable } from "../../output/table-stream.js";
import { writerFor } from "../../output/writers.js";
import { outputFormats, outputWriteOptions } from "../../simulate.js";

export function register(program: Command): void {
  const cmd = program.command("cosim").description("microgrid co-simulation (solar, battery, grid, carbon) on a given load; Vessim-exact");
  addOptionFlags(cmd, cosimOptionDefs(), { "carbon-trace-tz": "carbon_trace_tz" });
  cmd.action(async (flags: Record<string, unknown>, command: Command) => {
    const given = givenOptions(command, flags, []);
    const o = resolveCosimOptions(given);
    const formats = outputFormats(o as unknown as Options); // reads only formats
    const out = resolve(String(o.output_dir));
    // one transaction (src/output/transaction.ts): location checked and locked before the run, files written
    // beside --output-dir and swapped in whole with a manifest
    const tx = await openOutput(out, { command: "cosim", knownOutputs: /^(?:[a-z_]+\.(?:csv|arrow|parquet|json))$/ });
    let r: ReturnType<typeof runCosim> | undefined;
    await finishOutput(
      tx,
      async () => {
        r = runCosim(o, undefined, { copyResults: false });
        const writeOptions = outputWriteOptions(o as unknown as Options); // reads only parquet_compression
        for (const t of r.tables) {
          const sinks = await Promise.all(
            formats.map((f) => writerFor(f).open(join(tx.dir, `${t.name}${writerFor(f).extension}`), writeOptions)),
          );
          await streamTable(t, sinks);
        }
        await writeJson({ ...r.summary, options: o }, join(tx.dir, "summary.json"));
      },
      null,
    );
    r = r!;
    const m = r.summary.microgrid as Record<string, number>;
    process.stdout.write(
      `cosim: ${r.grid.steps} steps of ${r.grid.step} s; load ${m.load_kwh.toFixed(3)} kWh, solar ${m.solar_kwh.toFixed(3)} kWh, ` +
        `grid import ${m.grid_import_kwh.toFixed(5)} kWh, export ${m.grid_export_kwh.toFixed(5)} kWh, ` +
        `emissions ${m.emissions_import_g.toFixed(2)} g` +
        `${m.shortfall_kwh > 0 ? `, shortfall ${m.shortfall_kwh.toFixed(5)} kWh` : ""}` +
        `${m.battery_final_soc != null ? `, final SoC ${m.battery_final_soc.toFixed(3)}` : ""}; outputs in ${out}\n`,
    );
  });
}
