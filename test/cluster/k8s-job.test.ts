/**
 * The Kubernetes Indexed Job in docs/sweeps.md, validated against the batch/v1 Job fields it uses, encoded
 * below from the Kubernetes API reference (Job, JobSpec, PodTemplateSpec, PodSpec, Container, VolumeMount,
 * Volume, ConfigMapVolumeSource, PersistentVolumeClaimVolumeSource): required fields, types, integer
 * counts, the enums, and no field the API does not have. Also checks the command shards by the completion
 * index over exactly `completions` shards.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers/shared.js";

/** The subset of JSON Schema this test needs: type, required, properties, additionalProperties, items, enum, minimum. */
interface Schema {
  type?: "object" | "array" | "string" | "integer" | "boolean" | "quantity";
  required?: string[];
  properties?: Record<string, Schema>;
  /** false: only the listed properties; a schema: every other key's value. */
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
}

const str: Schema = { type: "string" };
const int32 = (minimum = 0): Schema => ({ type: "integer", minimum });
const strings: Schema = { type: "array", items: str };
const labels: Schema = { type: "object", additionalProperties: str };

const objectMeta: Schema = {
  type: "object",
  additionalProperties: false,
  properties: { name: str, namespace: str, generateName: str, labels, annotations: labels },
};
const resourceRequirements: Schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    requests: { type: "object", additionalProperties: { type: "quantity" } },
    limits: { type: "object", additionalProperties: { type: "quantity" } },
  },
};
const container: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    name: str,
    image: str,
    command: strings,
    args: strings,
    workingDir: str,
    env: {
      type: "array",
      items: { type: "object", required: ["name"], additionalProperties: false, properties: { name: str, value: str } },
    },
    resources: resourceRequirements,
    volumeMounts: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "mountPath"],
        additionalProperties: false,
        properties: { name: str, mountPath: str, readOnly: { type: "boolean" }, subPath: str },
      },
    },
    imagePullPolicy: { type: "string", enum: ["Always", "Never", "IfNotPresent"] },
  },
};
const volume: Schema = {
  type: "object",
  required: ["name"],
  additionalProperties: false,
  properties: {
    name: str,
    configMap: {
      type: "object",
      additionalProperties: false,
      properties: { name: str, optional: { type: "boolean" }, defaultMode: int32() },
    },
    persistentVolumeClaim: {
      type: "object",
      required: ["claimName"],
      additionalProperties: false,
      properties: { claimName: str, readOnly: { type: "boolean" } },
    },
    emptyDir: { type: "object", additionalProperties: false, properties: { medium: str, sizeLimit: { type: "quantity" } } },
  },
};
const podSpec: Schema = {
  type: "object",
  required: ["containers"],
  additionalProperties: false,
  properties: {
    // a Job's pods may not use Always
    restartPolicy: { type: "string", enum: ["OnFailure", "Never"] },
    containers: { type: "array", items: container },
    volumes: { type: "array", items: volume },
    serviceAccountName: str,
    nodeSelector: labels,
  },
};
const jobSchema: Schema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { type: "string", enum: ["batch/v1"] },
    kind: { type: "string", enum: ["Job"] },
    metadata: objectMeta,
    spec: {
      type: "object",
      required: ["template"],
      additionalProperties: false,
      properties: {
        completionMode: { type: "string", enum: ["NonIndexed", "Indexed"] },
        completions: int32(1),
        parallelism: int32(0),
        backoffLimit: int32(),
        backoffLimitPerIndex: int32(),
        maxFailedIndexes: int32(),
        activeDeadlineSeconds: int32(1),
        ttlSecondsAfterFinished: int32(),
        suspend: { type: "boolean" },
        template: { type: "object", required: ["spec"], additionalProperties: false, properties: { metadata: objectMeta, spec: podSpec } },
      },
    },
  },
};

/** Every violation of `schema` in `value`, as "path: problem". */
function validate(value: unknown, schema: Schema, path = "$"): string[] {
  const errs: string[] = [];
  const t = schema.type;
  const isObj = value !== null && typeof value === "object" && !Array.isArray(value);
  if (t === "object" && !isObj) return [`${path}: must be an object`];
  if (t === "array" && !Array.isArray(value)) return [`${path}: must be an array`];
  if (t === "string" && typeof value !== "string") return [`${path}: must be a string`];
  if (t === "boolean" && typeof value !== "boolean") return [`${path}: must be a boolean`];
  if (t === "integer" && !(typeof value === "number" && Number.isInteger(value) && value <= 2 ** 31 - 1))
    return [`${path}: must be an int32`];
  // resource quantities: a number or a string such as "4", "500m", "4Gi"
  if (
    t === "quantity" &&
    !(typeof value === "number" || (typeof value === "string" && /^[0-9.]+([eE][0-9]+|[mkMGTPE]|[KMGTPE]i)?$/.test(value)))
  )
    return [`${path}: must be a quantity`];
  if (schema.minimum !== undefined && typeof value === "number" && value < schema.minimum)
    errs.push(`${path}: must be >= ${schema.minimum}`);
  if (schema.enum && !schema.enum.includes(value)) errs.push(`${path}: must be one of ${schema.enum.join(", ")}`);
  if (isObj) {
    const o = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in o)) errs.push(`${path}: missing ${r}`);
    for (const [k, v] of Object.entries(o)) {
      const sub = schema.properties?.[k];
      if (sub) errs.push(...validate(v, sub, `${path}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${path}: unknown field ${k}`);
      else if (typeof schema.additionalProperties === "object") errs.push(...validate(v, schema.additionalProperties, `${path}.${k}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errs.push(...validate(v, schema.items!, `${path}[${i}]`)));
  return errs;
}

function docsJob(): Record<string, any> {
  const md = readFileSync(join(REPO_ROOT, "docs", "sweeps.md"), "utf8");
  const m = /### Kubernetes Indexed Job\s*```yaml\n([\s\S]*?)```/.exec(md);
  if (!m) throw new Error("docs/sweeps.md has no Kubernetes Indexed Job block");
  return parse(m[1]) as Record<string, any>;
}

test("the docs' Indexed Job is a valid batch/v1 Job", () => {
  assert.equal(validate(docsJob(), jobSchema), []);
});

test("the docs' Indexed Job shards by completion index over `completions` shards, with backoffLimitPerIndex rules met", () => {
  const job = docsJob();
  const spec = job.spec;
  assert.is(spec.completionMode, "Indexed");
  // backoffLimitPerIndex is only allowed for Indexed Jobs whose pods never restart in place
  if (spec.backoffLimitPerIndex !== undefined) assert.is(spec.template.spec.restartPolicy, "Never");
  const c = spec.template.spec.containers[0];
  const line = [...(c.command ?? []), ...(c.args ?? [])].join(" ");
  assert.match(line, new RegExp(`--shard "\\$\\{JOB_COMPLETION_INDEX\\}/${spec.completions}"`));
  assert.match(line, /tokenwatt sweep --spec \S+ .*--output-dir "\/results\/shards\/\$\{JOB_COMPLETION_INDEX\}" --resume/);
  const mounts = new Set(c.volumeMounts.map((v: { name: string }) => v.name));
  for (const v of spec.template.spec.volumes) assert.ok(mounts.has(v.name), `volume ${v.name} is mounted`);
});

test("the validator rejects what the API would", () => {
  const bad = docsJob();
  bad.spec.completions = 2.5;
  bad.spec.template.spec.restartPolicy = "Always";
  bad.spec.template.spec.containers[0].commands = ["sh"];
  delete bad.spec.template.spec.containers[0].name;
  const errs = validate(bad, jobSchema);
  assert.equal(
    errs.sort(),
    [
      "$.spec.completions: must be an int32",
      "$.spec.template.spec.containers[0]: missing name",
      "$.spec.template.spec.containers[0]: unknown field commands",
      "$.spec.template.spec.restartPolicy: must be one of OnFailure, Never",
    ].sort(),
  );
});

test.run();
