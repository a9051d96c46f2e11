/**
 * A run's options as a sweep task carries them to a worker: only those that differ from their defaults (a
 * handful of a run's ~200), expanded again in the worker. A task's message shrinks from ~8 KB to a few hundred
 * bytes, so dispatching it costs the sweep's main thread next to nothing.
 *
 * @example
 * const changes = optionChanges(options);          // { replica_scheduler_config_type: "vllm", … }
 * deepEqual(withDefaults(changes), options);       // true
 */
import { optionDefaults, type Options } from "../config/options.js";

let defaults: Record<string, unknown> | undefined;

/** The options whose values are not their defaults (object and array values are always kept). */
export function optionChanges(options: Options): Partial<Options> {
  defaults ??= optionDefaults() as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!(key in defaults) || !Object.is(value, defaults[key]) || (typeof value === "object" && value !== null)) out[key] = value;
  }
  return out as Partial<Options>;
}

/** The whole options again: the defaults with `changes` over them. */
export function withDefaults(changes: Partial<Options>): Options {
  return { ...optionDefaults(), ...changes };
}
