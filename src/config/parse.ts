/**
 * Turning user input into typed option values: CLI strings and --config files (JSON or YAML, keys = flag
 * names with or without dashes). Every problem is an InputError naming the flag or file:line.
 *
 * @example
 * const opts = resolveOptions({ replica_config_tensor_parallel_size: "2" }, "--config run.yaml"); // TP 2 as a number
 */
import { extname } from "node:path";
import { createRequire } from "node:module";
import { InputError } from "../core/errors.js";
import { readInputFile } from "../core/read-input.js";
import { closestNames } from "../profiles/closest.js";
import { describeRule, type OptionDef } from "../core/descriptor.js";
import { INTERVAL_GENERATORS } from "../workload/registry.js";
import { INT32_MAX, OPTIONS, OPTION_ALIASES, findOption, optionDefaults, type Options } from "./options.js";

/** Raw or partially typed option values keyed by name or spelling (what a config file or the CLI gives). */
export type OptionValues = Record<string, unknown>;
export type { Options } from "./options.js";

/** Converts one raw value (CLI string or config-file scalar) to the option's type. `where` prefixes errors. */
export function coerceOption(def: OptionDef, raw: unknown, where: string): unknown {
  const bad = (): InputError => new InputError(`${where}--${def.name} must be ${describeRule(def)}, got ${quoteValue(raw)}`);
  if (raw === null || raw === undefined || raw === "") {
    if (def.default === null) return null;
    throw bad();
  }
  switch (def.type) {
    case "int":
    case "float": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n)) throw bad();
      if (def.type === "int" && !Number.isInteger(n)) throw bad();
      if (def.min !== undefined && n < def.min) throw bad();
      if (def.max !== undefined && n > def.max) throw bad();
      if (def.type === "int" && Math.abs(n) > INT32_MAX) {
        throw new InputError(
          `${where}--${def.name} must be ${describeRule(def)} and within the engine's 32-bit integers (<= ${INT32_MAX}), got ${quoteValue(raw)}`,
        );
      }
      return n;
    }
    case "bool": {
      if (typeof raw === "boolean") return raw;
      const s = String(raw).toLowerCase();
      if (["true", "1", "yes", "on"].includes(s)) return true;
      if (["false", "0", "no", "off"].includes(s)) return false;
      throw bad();
    }
    case "choice": {
      const s = String(raw);
      if (!def.choices!.includes(s)) throw bad();
      return s;
    }
    default:
      if (typeof raw === "object") throw bad();
      return String(raw);
  }
}

function unknownKey(key: string, where: string): InputError {
  const names = [...OPTIONS.map((o) => o.name), ...Object.keys(OPTION_ALIASES)];
  const hint = closestNames(key, names, 3);
  return new InputError(`${where}unknown option "${key}"${hint.length ? `; did you mean ${hint.map((h) => `"${h}"`).join(", ")}?` : ""}`);
}

/** The YAML parser, loaded on first use (most runs never read a YAML file; loading it costs start-up time). */
function yaml(): typeof import("yaml") {
  return createRequire(import.meta.url)("yaml") as typeof import("yaml");
}

/**
 * Reads a --config file: a JSON or YAML mapping of option names (with or without leading dashes) to values.
 * Returns canonical option names with typed values.
 */
export function readConfigFile(path: string): OptionValues {
  const text = readInputFile(path, "--config");
  let data: unknown;
  const ext = extname(path).toLowerCase();
  if (ext === ".json") {
    try {
      data = JSON.parse(text);
    } catch (e) {
      // V8 quotes the input (or its tail after "...") in some messages (", "<text>" is not valid JSON"): drop it
      const message = (e as Error).message.replace(/,\s*(?:\.\.\.)?"[\s\S]*" is not valid JSON$/, "").split("\n")[0];
      throw new InputError(`${path}: invalid JSON (${message})`);
    }
  } else {
    const { LineCounter, parseDocument } = yaml();
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const line = lineCounter.linePos(err.pos[0]).line;
      throw InputError.at(path, line, undefined, `invalid YAML: ${err.message.split("\n")[0]}`);
    }
    data = doc.toJS();
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InputError(`${path}: must be a mapping of option names to values (JSON object or YAML mapping)`);
  }
  const lineOf = (key: string): number | undefined => {
    // a YAML key at the start of its line, or a JSON key (possibly after "{" or "," on a one-line object)
    const idx = text.split("\n").findIndex((l) => new RegExp(`(^|[{,])\\s*["']?-{0,2}${key.replace(/^-+/, "")}["']?\\s*:`).test(l));
    return idx >= 0 ? idx + 1 : undefined;
  };
  const out: OptionValues = {};
  for (const [rawKey, value] of Object.entries(data as Record<string, unknown>)) {
    const key = rawKey.replace(/^-+/, "");
    const def = findOption(key);
    const line = lineOf(rawKey);
    const where = line !== undefined ? `${path}:${line}: ` : `${path}: `;
    if (!def) throw unknownKey(key, where);
    out[def.name] = coerceOption(def, value, where);
  }
  return out;
}

/**
 * Layers values: defaults < config file < explicit flags. `given` values are raw (strings from the CLI) or
 * typed; each is validated.
 */
export function resolveOptions(given: OptionValues, fromFile: OptionValues = {}): Options {
  const out: OptionValues = optionDefaults();
  Object.assign(out, fromFile);
  const set = new Set(Object.keys(fromFile).filter((k) => fromFile[k] != null));
  for (const [rawKey, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const def = findOption(rawKey);
    if (!def) throw unknownKey(rawKey, "");
    out[def.name] = coerceOption(def, value, "");
    if (out[def.name] != null) set.add(def.name);
  }
  implyIntervalGenerator(out, set);
  return out as Options;
}

/**
 * A flag of exactly one interval generator (`--arrival-rate-trace`, `--diurnal-peak-qps`, …) selects that
 * generator when `--interval_generator_config_type` is not given; given explicitly, a mismatch stays an error
 * (src/workload/index.ts). Flags of two generators select neither (that error names both).
 */
function implyIntervalGenerator(out: OptionValues, set: ReadonlySet<string>): void {
  if (set.has("interval_generator_config_type")) return;
  const wanted = Object.values(INTERVAL_GENERATORS).filter((m) => m.options && Object.keys(m.options).some((k) => set.has(k)));
  if (wanted.length === 1) out.interval_generator_config_type = wanted[0].type;
}

/** A value for a message: JSON, cut to 60 characters (a 100 MB cell must not be echoed). */
export function quoteValue(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
