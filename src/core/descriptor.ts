/**
 * Option descriptors: one typed value per option, from which the CLI flags, their choices and `--help`, the
 * config-file and sweep-spec keys, validation and the typed option values (`ValuesOf`) are all derived.
 * Plug-ins (schedulers, power models, …) declare their options with the same builders.
 *
 * @example
 * const qps = float({ default: 1, min: 0, group: "workload", help: "arrivals per second" });
 * const table = { qps, mode: choice(["a", "b"] as const, { default: "a", group: "g", help: "mode" }) };
 * type Values = ValuesOf<typeof table>;   // { qps: number; mode: "a" | "b" }
 */

export type OptionType = "int" | "float" | "string" | "bool" | "choice" | "path";
export type OptionScalar = string | number | boolean;

/** The untyped view every descriptor also satisfies (help, parsing, sweeps iterate over these). */
export interface OptionDef {
  /** Canonical key without dashes, e.g. "replica_config_model_name" (also the config-file and sweep key). */
  name: string;
  type: OptionType;
  default: OptionScalar | null;
  help: string;
  choices?: readonly string[];
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Shown in --help under this heading. */
  group: string;
  /**
   * Other spellings (config keys and flags). The spelling with '-' for '_' is always accepted too; an alias
   * with a '-' is shown in --help as a shortcut.
   */
  aliases?: readonly string[];
}

/** A descriptor whose default (and so whose value) has the static type V. */
export interface Option<V> extends OptionDef {
  /** Type-level only: the option's value type. */
  readonly __value?: V;
}

interface Common {
  help: string;
  group: string;
  aliases?: readonly string[];
}
interface NumberRules {
  min?: number;
  max?: number;
}

type Nullable<D, V> = D extends null ? V | null : V;

export function int<const D extends number | null>(spec: Common & NumberRules & { default: D }): Option<Nullable<D, number>> {
  return { name: "", type: "int", ...spec };
}
export function float<const D extends number | null>(spec: Common & NumberRules & { default: D }): Option<Nullable<D, number>> {
  return { name: "", type: "float", ...spec };
}
export function bool(spec: Common & { default: boolean }): Option<boolean> {
  return { name: "", type: "bool", ...spec };
}
export function string<const D extends string | null>(spec: Common & { default: D }): Option<Nullable<D, string>> {
  return { name: "", type: "string", ...spec };
}
/** A file or directory path (resolved against the working directory or the spec file's directory). */
export function path<const D extends string | null>(spec: Common & { default: D }): Option<Nullable<D, string>> {
  return { name: "", type: "path", ...spec };
}
export function choice<const C extends readonly string[], const D extends C[number] | null>(
  choices: C,
  spec: Common & { default: D },
): Option<Nullable<D, C[number]>> {
  return { name: "", type: "choice", choices, ...spec };
}

/** A table of descriptors keyed by option name. */
export type OptionTable = Readonly<Record<string, Option<unknown>>>;

/** The typed values of a table: what a resolved configuration holds. */
export type ValuesOf<T extends OptionTable> = { [K in keyof T]: T[K] extends Option<infer V> ? V : never };

/** Gives every descriptor of a table its key as `name` (the builders leave it empty). */
export function named<T extends OptionTable>(table: T): T {
  for (const [name, def] of Object.entries(table)) (def as OptionDef).name = name;
  return table;
}

/** `prefix_key` for every key of a plug-in's option table (Vidur's flattened flag names). */
export type Prefixed<P extends string, T extends OptionTable> = { [K in keyof T & string as `${P}_${K}`]: T[K] };

export function prefixed<P extends string, T extends OptionTable>(prefix: P, table: T): Prefixed<P, T> {
  const out: Record<string, Option<unknown>> = {};
  for (const [key, def] of Object.entries(table)) out[`${prefix}_${key}`] = { ...def };
  return out as Prefixed<P, T>;
}

/** What a value must be, for messages: "an integer in [1, 4096]", "one of a, b". */
export function describeRule(def: OptionDef): string {
  const bounds =
    def.min !== undefined && def.max !== undefined
      ? ` in [${def.min}, ${def.max}]`
      : def.min !== undefined
        ? ` >= ${def.min}`
        : def.max !== undefined
          ? ` <= ${def.max}`
          : "";
  switch (def.type) {
    case "int":
      return `an integer${bounds}`;
    case "float":
      return `a number${bounds}`;
    case "bool":
      return "true or false";
    case "choice":
      return `one of ${def.choices!.join(", ")}`;
    case "path":
      return "a path";
    default:
      return "a string";
  }
}
