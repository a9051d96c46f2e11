/**
 * Sweep specs: a YAML or JSON file with `base` (simulate options), `grid` (option → list of values, Cartesian
 * product), optional `zip` (groups of options varied together) and `exclude` rules. Keys are `simulate` flag
 * names without the leading dashes (aliases such as `op-tables` work too); every value is checked against the
 * option table, and every problem is an InputError naming file:line and the key.
 *
 * @example
 * const spec = readSweepSpec("sweep.yaml");
 * spec.axes.map((a) => a.options);   // [["replica_scheduler_config_type"], ["poisson_..._qps"], ...]
 */
import { dirname, resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { findOption, OPTIONS, OPTION_ALIASES, type OptionDef } from "../config/options.js";
import { coerceOption } from "../config/parse.js";
import { InputError } from "../core/errors.js";
import { readInputFile } from "../core/read-input.js";
import { closestNames } from "../profiles/closest.js";
import { MAX_REPLICATES } from "./replicates.js";

/** One axis of the product: a grid option (one name) or a zip group (several names varied together). */
export interface SweepAxis {
  /** Canonical option names. */
  options: string[];
  /** values[k][j] = value of options[j] at position k of the axis. */
  values: unknown[][];
}

/** A run is excluded when every option of a rule has one of the rule's values. */
export type ExcludeRule = Record<string, unknown[]>;

export interface SweepSpec {
  /** Where the spec came from (for messages) and the directory relative paths are resolved against. */
  source: string;
  baseDir: string;
  /** Typed values of the base options (canonical names). */
  base: Record<string, unknown>;
  axes: SweepAxis[];
  exclude: ExcludeRule[];
  /** Seeds per configuration (`replicates:` in the spec or --replicates; default 1). */
  replicates?: number;
}

/** Options that only say where/how outputs are written: not part of a run's identity, not sweepable. */
export const OUTPUT_ONLY_OPTIONS: ReadonlySet<string> = new Set(["metrics_config_output_dir", "formats"]);

const TOP_KEYS = ["base", "grid", "zip", "exclude", "replicates", "name", "description"];

interface Located {
  /** `file:line: ` prefix for messages about the node at `path`. */
  where(path: (string | number)[]): string;
}

function unknownOption(key: string, where: string, section: string): InputError {
  const names = [...OPTIONS.map((o) => o.name), ...Object.keys(OPTION_ALIASES)];
  const hint = closestNames(key, names, 3);
  return new InputError(
    `${where}${section}: unknown option "${key}"${hint.length ? `; did you mean ${hint.map((h) => `"${h}"`).join(", ")}?` : ""}`,
  );
}

function optionFor(rawKey: string, where: string, section: string): OptionDef {
  const def = findOption(rawKey.replace(/^-+/, ""));
  if (!def) throw unknownOption(rawKey.replace(/^-+/, ""), where, section);
  return def;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Validates an already-parsed spec object. `source` names it in messages; `locate` maps a key path to a
 * `file:line: ` prefix (readSweepSpec passes one built from the YAML node ranges).
 */
export function parseSweepSpec(data: unknown, source: string, baseDir: string, locate?: Located): SweepSpec {
  const where = (path: (string | number)[]): string => locate?.where(path) ?? `${source}: `;
  if (!isPlainObject(data)) throw new InputError(`${source}: a sweep spec must be a mapping with base, grid, zip, exclude`);
  for (const key of Object.keys(data)) {
    if (!TOP_KEYS.includes(key)) {
      const hint = closestNames(key, TOP_KEYS, 2);
      throw new InputError(
        `${where([key])}unknown key "${key}"; allowed: ${TOP_KEYS.join(", ")}${hint.length ? ` (did you mean "${hint[0]}"?)` : ""}`,
      );
    }
  }
  const base: Record<string, unknown> = {};
  if (data.base !== undefined && data.base !== null) {
    if (!isPlainObject(data.base)) throw new InputError(`${where(["base"])}base must be a mapping of option names to values`);
    for (const [rawKey, value] of Object.entries(data.base)) {
      const w = where(["base", rawKey]);
      const def = optionFor(rawKey, w, "base");
      if (Array.isArray(value) || isPlainObject(value)) {
        throw new InputError(`${w}base.${rawKey} must be a single value; put lists of values under grid`);
      }
      base[def.name] = coerceOption(def, value, `${w}base: `);
    }
  }

  const axes: SweepAxis[] = [];
  const swept = new Map<string, string>(); // option → section that sweeps it
  const claim = (def: OptionDef, w: string, section: string): void => {
    if (OUTPUT_ONLY_OPTIONS.has(def.name)) throw new InputError(`${w}${section}: ${def.name} cannot be swept (the sweep sets it)`);
    const prior = swept.get(def.name);
    if (prior) throw new InputError(`${w}${section}: ${def.name} is already swept in ${prior}`);
    swept.set(def.name, section);
  };
  const valueList = (
    def: OptionDef,
    rawKey: string,
    value: unknown,
    path: (string | number)[],
    section: string,
    unique: boolean,
  ): unknown[] => {
    const w = where(path);
    if (!Array.isArray(value) || value.length === 0) {
      throw new InputError(`${w}${section}.${rawKey} must be a non-empty list of values`);
    }
    const out = value.map((v, i) => {
      if (Array.isArray(v) || isPlainObject(v))
        throw new InputError(`${where([...path, i])}${section}.${rawKey}[${i}] must be a single value`);
      return coerceOption(def, v, `${where([...path, i])}${section}.${rawKey}[${i}]: `);
    });
    const seen = new Set<string>();
    if (unique)
      out.forEach((v, i) => {
        const k = JSON.stringify(v);
        if (seen.has(k)) throw new InputError(`${where([...path, i])}${section}.${rawKey} lists ${k} twice`);
        seen.add(k);
      });
    return out;
  };

  if (data.grid !== undefined && data.grid !== null) {
    if (!isPlainObject(data.grid)) throw new InputError(`${where(["grid"])}grid must be a mapping of option names to lists of values`);
    for (const [rawKey, value] of Object.entries(data.grid)) {
      const w = where(["grid", rawKey]);
      const def = optionFor(rawKey, w, "grid");
      claim(def, w, "grid");
      const values = valueList(def, rawKey, value, ["grid", rawKey], "grid", true);
      axes.push({ options: [def.name], values: values.map((v) => [v]) });
    }
  }

  if (data.zip !== undefined && data.zip !== null) {
    const groups = Array.isArray(data.zip) ? data.zip : [data.zip];
    groups.forEach((group, g) => {
      const gPath = Array.isArray(data.zip) ? ["zip", g] : ["zip"];
      const section = Array.isArray(data.zip) ? `zip[${g}]` : "zip";
      if (!isPlainObject(group) || Object.keys(group).length === 0) {
        throw new InputError(`${where(gPath)}${section} must be a mapping of option names to equally long lists`);
      }
      const names: string[] = [];
      const columns: unknown[][] = [];
      for (const [rawKey, value] of Object.entries(group)) {
        const w = where([...gPath, rawKey]);
        const def = optionFor(rawKey, w, section);
        claim(def, w, section);
        const values = valueList(def, rawKey, value, [...gPath, rawKey], section, false);
        if (columns.length > 0 && values.length !== columns[0].length) {
          throw new InputError(
            `${w}${section}.${rawKey} has ${values.length} values but ${Object.keys(group)[0]} has ${columns[0].length}; zipped lists must be equally long`,
          );
        }
        names.push(def.name);
        columns.push(values);
      }
      axes.push({ options: names, values: columns[0].map((_, k) => columns.map((c) => c[k])) });
    });
  }

  const exclude: ExcludeRule[] = [];
  if (data.exclude !== undefined && data.exclude !== null) {
    if (!Array.isArray(data.exclude))
      throw new InputError(`${where(["exclude"])}exclude must be a list of mappings (option → value or list of values)`);
    data.exclude.forEach((rule, r) => {
      if (!isPlainObject(rule) || Object.keys(rule).length === 0) {
        throw new InputError(
          `${where(["exclude", r])}exclude[${r}] must be a non-empty mapping of option names to a value or a list of values`,
        );
      }
      const out: ExcludeRule = {};
      for (const [rawKey, value] of Object.entries(rule)) {
        const w = where(["exclude", r, rawKey]);
        const def = optionFor(rawKey, w, `exclude[${r}]`);
        const list = Array.isArray(value) ? value : [value];
        out[def.name] = list.map((v, i) =>
          coerceOption(def, v, `${where(["exclude", r, rawKey, ...(Array.isArray(value) ? [i] : [])])}exclude[${r}]: `),
        );
      }
      exclude.push(out);
    });
  }
  const spec: SweepSpec = { source, baseDir, base, axes, exclude };
  if (data.replicates !== undefined && data.replicates !== null) {
    spec.replicates = parseReplicates(data.replicates, `${where(["replicates"])}replicates`);
  }
  return spec;
}

/** Replicates per configuration: an integer in [1, MAX_REPLICATES]. `what` names the key or flag. */
export function parseReplicates(value: unknown, what: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > MAX_REPLICATES) {
    throw new InputError(`${what} must be an integer from 1 to ${MAX_REPLICATES}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Reads and validates a YAML (.yaml/.yml) or JSON spec file. */
export function readSweepSpec(path: string): SweepSpec {
  const text = readInputFile(path, "--spec");
  // JSON is YAML 1.2, so one parser gives line numbers for both.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lineCounter.linePos(err.pos[0]).line;
    throw InputError.at(path, line, undefined, `invalid ${/\.json$/i.test(path) ? "JSON" : "YAML"}: ${err.message.split("\n")[0]}`);
  }
  const locate: Located = { where: (p) => `${path}:${lineOf(doc, lineCounter, p) ?? 1}: ` };
  return parseSweepSpec(doc.toJS(), path, dirname(resolve(path)), locate);
}

/** 1-based line of the key (for mappings) or item at `path`, else of its nearest located parent. */
function lineOf(doc: Document, lc: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const parentPath = path.slice(0, n - 1);
    const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
    const last = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((it) => isScalar(it.key) && String(it.key.value) === String(last));
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return lc.linePos(range[0]).line;
    } else if (isSeq(parent) && typeof last === "number") {
      const item = parent.items[last] as { range?: [number, number, number] } | undefined;
      if (item?.range) return lc.linePos(item.range[0]).line;
    }
  }
  return undefined;
}
