/**
 * The CLI's command registry: one line per command module. Modules load on demand: a run imports only the
 * command it names (start-up cost: `sweep` need not load the simulate command's 200 flags or the predictor),
 * top-level help and unknown commands load them all.
 */
import type { Command } from "commander";

export interface CommandModule {
  register(program: Command): void;
}

export const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<CommandModule> }> = [
  { name: "simulate", load: () => import("./simulate.js") },
  { name: "predict", load: () => import("./predict.js") },
  { name: "profiles", load: () => import("./profiles.js") },
  { name: "sweep", load: () => import("./sweep.js") },
  { name: "capacity", load: () => import("./capacity.js") },
  { name: "cosim", load: () => import("./cosim.js") },
];
