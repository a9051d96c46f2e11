/** The CLI's command registry: one line per command module. */
import type { Command } from "commander";
import { register as simulate } from "./simulate.js";

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [simulate];
