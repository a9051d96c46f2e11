/**
 * The tokenwatt command line. Each command is a module in ./commands exporting `register(program)`; a new
 * command is one file plus one line in ./commands/index.ts. Input errors print one line and exit with 2.
 */
import { Command, CommanderError } from "commander";
import { isInputError } from "../core/errors.js";
import { COMMANDS } from "./commands/index.js";

/** Runs the CLI on `argv` (node-style: argv[0..1] are the runtime and script). Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command("tokenwatt")
    .description("fast, faithful simulator of LLM inference serving: latency, GPU power, energy, carbon and cost")
    .version("0.1.0")
    .showSuggestionAfterError(true)
    .exitOverride();
  program.configureOutput({ outputError: (str, write) => write(`${str.split("\n")[0]}\n`) });
  const named = argv.slice(2).find((a) => !a.startsWith("-"));
  const chosen = COMMANDS.filter((c) => c.name === named);
  for (const c of chosen.length ? chosen : COMMANDS) (await c.load()).register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0 || e.code === "commander.helpDisplayed" || e.code === "commander.version") return 0;
      return 2;
    }
    if (isInputError(e)) {
      process.stderr.write(`tokenwatt: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
