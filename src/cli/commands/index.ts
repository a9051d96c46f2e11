/** The CLI's command registry: one line per command module. */
import type { Command } from "commander";
import { register as capacity } from "./capacity.js";
import { register as predict } from "./predict.js";
import { register as profiles } from "./profiles.js";
import { register as report } from "./report.js";
import { register as simulate } from "./simulate.js";
import { register as sweep } from "./sweep.js";

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [simulate, predict, profiles, sweep, capacity, report];
