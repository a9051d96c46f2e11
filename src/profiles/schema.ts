/**
 * A tiny field checker for the catalogue's JSON files: each field has a kind and may be optional.
 * Errors are InputErrors naming the file and the field, what was found and what is allowed.
 *
 * @example
 * checkObject("profiles/devices/a40.json", raw, { name: "string", fp16_tflops: "positive", idle_w: "?nonneg" });
 */
import { InputError } from "../core/errors.js";

/** A field kind; a leading "?" makes it optional. `enum:a|b` allows the listed strings. */
export type FieldKind = "string" | "positive" | "nonneg" | "posint" | "bool" | "string[]" | "object" | `enum:${string}`;
export type Schema = Record<string, FieldKind | `?${FieldKind}`>;

export function checkObject(file: string, raw: unknown, schema: Schema): void {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw InputError.at(file, undefined, undefined, `must contain a JSON object, got ${describe(raw)}`);
  }
  const obj = raw as Record<string, unknown>;
  for (const [field, spec] of Object.entries(schema)) {
    const optional = spec.startsWith("?");
    const kind = (optional ? spec.slice(1) : spec) as FieldKind;
    const v = obj[field];
    if (v === undefined) {
      if (optional) continue;
      throw InputError.at(file, undefined, field, `is missing (required, ${allowed(kind)})`);
    }
    if (!matches(kind, v)) throw InputError.at(file, undefined, field, `must be ${allowed(kind)}, got ${describe(v)}`);
  }
}

function matches(kind: FieldKind, v: unknown): boolean {
  switch (kind) {
    case "string":
      return typeof v === "string" && v.length > 0;
    case "positive":
      return typeof v === "number" && Number.isFinite(v) && v > 0;
    case "nonneg":
      return typeof v === "number" && Number.isFinite(v) && v >= 0;
    case "posint":
      return typeof v === "number" && Number.isInteger(v) && v > 0;
    case "bool":
      return typeof v === "boolean";
    case "string[]":
      return Array.isArray(v) && v.every((s) => typeof s === "string" && s.length > 0);
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    default:
      return typeof v === "string" && kind.slice(5).split("|").includes(v);
  }
}

function allowed(kind: FieldKind): string {
  switch (kind) {
    case "string":
      return "a non-empty string";
    case "positive":
      return "a number > 0";
    case "nonneg":
      return "a number >= 0";
    case "posint":
      return "an integer > 0";
    case "bool":
      return "true or false";
    case "string[]":
      return "an array of non-empty strings";
    case "object":
      return "an object";
    default:
      return `one of ${kind
        .slice(5)
        .split("|")
        .map((s) => `"${s}"`)
        .join(", ")}`;
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `"${v}"`;
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}
