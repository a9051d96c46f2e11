/**
 * What every plug-in declares once: its name (the choice users type), an explicit numeric code for the engine
 * (never a list position), a one-line doc, and its own options. Engine-side plug-ins also name the
 * AssemblyScript file and functions the generated dispatch calls (src/engine/settings/generate.ts).
 *
 * @example
 * REPLICA_SCHEDULERS.find((s) => s.name === "vllm")?.code; // 0
 */
import type { OptionTable } from "../core/descriptor.js";

export interface Plugin<Name extends string = string> {
  name: Name;
  /** Engine code, stable and explicit; unique within its kind. */
  code: number;
  /** One line for --help and docs. */
  doc: string;
}

/** A plug-in with options of its own, flattened as `${prefix}_${key}` (Vidur's naming). */
export interface OptionsPlugin<Name extends string, Prefix extends string, T extends OptionTable> extends Plugin<Name> {
  prefix: Prefix;
  options: T;
}

/** Where the engine finds a plug-in: a file under assembly/ and the functions the generated switch calls. */
export interface EngineHook {
  /** Path under assembly/ without extension, e.g. "schedulers/vllm". */
  file: string;
  /** Exported function names, keyed by dispatch entry point. */
  functions: Readonly<Record<string, string>>;
}

/** Turns a union into an intersection (to merge the option tables of every plug-in of a kind). */
export type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
