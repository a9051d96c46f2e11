/**
 * The model / device / node catalogue (profiles/{models,devices,nodes}/*.json): loading, validation and lookup
 * by name or alias. Unknown names are InputErrors that list the closest valid names.
 *
 * @example
 * const m = findModel("meta-llama/Llama-2-7b-hf"); // or the alias "llama-2-7b"
 * const d = findDevice("a100");                     // alias of "a100-80gb"
 * const n = findNode("a100_pairwise_nvlink");
 * const cat = loadCatalog("/path/to/my/profiles"); findDevice("h100", cat);
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import type { ModelSpec } from "../core/types.js";
import { closestNames } from "./closest.js";
import type { Catalog, DeviceProfile, NodeProfile } from "./profile-types.js";
import { defaultProfilesDir } from "../core/repo-root.js";
import { checkObject, type Schema } from "./schema.js";

export type { Catalog, DeviceProfile, NodeProfile } from "./profile-types.js";

const MODEL_SCHEMA: Schema = {
  name: "string",
  aliases: "?string[]",
  num_layers: "posint",
  num_q_heads: "posint",
  num_kv_heads: "posint",
  embedding_dim: "posint",
  mlp_hidden_dim: "posint",
  max_position_embeddings: "posint",
  use_gated_mlp: "bool",
  use_bias: "bool",
  use_qkv_bias: "bool",
  activation: "enum:silu|gelu",
  norm: "enum:rms_norm|layer_norm",
  post_attn_norm: "bool",
  vocab_size: "posint",
  rope_theta: "?positive",
  partial_rotary_factor: "?positive",
  no_tensor_parallel: "?bool",
  source: "string",
};

const DEVICE_SCHEMA: Schema = {
  name: "string",
  aliases: "?string[]",
  fp16_tflops: "positive",
  fp8_tflops: "?positive",
  vendor_fp16_tflops: "?positive",
  total_memory_gb: "positive",
  vendor_memory_gb: "?positive",
  memory_bandwidth_gbps: "?positive",
  tdp_w: "?positive",
  idle_w: "?nonneg",
  family: "?string",
  efficiency_profile: "?string",
  interconnect: "?object",
  usual_node: "?string",
  sxm_only: "?bool",
  source: "string",
};

const NODE_SCHEMA: Schema = {
  name: "string",
  aliases: "?string[]",
  device: "string",
  num_devices_per_node: "posint",
  topology: "enum:pairwise_nvlink|nvswitch|pcie|infinity_fabric",
  nvlink_group_size: "posint",
  intra_node_bandwidth_gbps: "positive",
  cross_group_bandwidth_gbps: "positive",
  intra_node_latency_us: "nonneg",
  inter_node_bandwidth_gbps: "positive",
  inter_node_latency_us: "nonneg",
  server_idle_w: "?nonneg",
  server_tdp_w: "?positive",
  source: "string",
};

/** Loads and validates every JSON file of `dir` (default: the package's profiles/). */
export function loadCatalog(dir: string = defaultProfilesDir()): Catalog {
  const models = readKind<ModelSpec>(dir, "models", MODEL_SCHEMA, checkModel);
  const devices = readKind<DeviceProfile>(dir, "devices", DEVICE_SCHEMA, checkDevice);
  const nodeFiles = new Map<NodeProfile, string>();
  const nodes = readKind<NodeProfile>(dir, "nodes", NODE_SCHEMA, (file, n) => nodeFiles.set(n, file));
  const cat: Catalog = { dir, models, devices, nodes };
  for (const n of nodes) {
    if (lookup(devices, n.device) === undefined) {
      throw InputError.at(
        nodeFiles.get(n)!,
        undefined,
        "device",
        `"${n.device}" is not a device of the catalogue (valid: ${allNames(devices).join(", ")})`,
      );
    }
  }
  for (const d of devices) {
    if (d.usual_node !== undefined && lookup(nodes, d.usual_node) === undefined) {
      throw InputError.at(
        join(dir, "devices", `${d.name}.json`),
        undefined,
        "usual_node",
        `"${d.usual_node}" is not a node of the catalogue (valid: ${allNames(nodes).join(", ")})`,
      );
    }
  }
  return cat;
}

let defaultCatalog: Catalog | undefined;
/** The package's own catalogue, loaded once. */
export function getDefaultCatalog(): Catalog {
  return (defaultCatalog ??= loadCatalog());
}

export function findModel(name: string, catalog: Catalog = getDefaultCatalog()): ModelSpec {
  return find(catalog.models, name, "model");
}
export function findDevice(name: string, catalog: Catalog = getDefaultCatalog()): DeviceProfile {
  return find(catalog.devices, name, "device");
}
export function findNode(name: string, catalog: Catalog = getDefaultCatalog()): NodeProfile {
  return find(catalog.nodes, name, "node");
}

/** Every name and alias of a list of entries (for help texts and error messages). */
export function allNames(entries: readonly { name: string; aliases?: string[] }[]): string[] {
  return entries.flatMap((e) => [e.name, ...(e.aliases ?? [])]);
}

function lookup<T extends { name: string; aliases?: string[] }>(entries: readonly T[], name: string): T | undefined {
  const exact = entries.find((e) => e.name === name || e.aliases?.includes(name));
  if (exact) return exact;
  // Case-insensitive second pass: HF names are often typed in lower case.
  const lc = name.toLowerCase();
  return entries.find((e) => e.name.toLowerCase() === lc || e.aliases?.some((a) => a.toLowerCase() === lc));
}

function find<T extends { name: string; aliases?: string[] }>(entries: readonly T[], name: string, kind: string): T {
  const hit = lookup(entries, name);
  if (hit) return hit;
  const near = closestNames(name, allNames(entries), 4);
  throw new InputError(`unknown ${kind} "${name}"; closest valid names: ${near.join(", ")} (see \`tokenwatt profiles list\`)`);
}

function readKind<T extends { name: string; aliases?: string[] }>(
  dir: string,
  kind: string,
  schema: Schema,
  extra?: (file: string, v: T) => void,
): T[] {
  const sub = join(dir, kind);
  if (!existsSync(sub)) throw InputError.at(sub, undefined, undefined, `profiles directory has no ${kind}/ folder`);
  const out: T[] = [];
  const seen = new Map<string, string>();
  for (const f of readdirSync(sub)
    .filter((f) => f.endsWith(".json"))
    .sort()) {
    const file = join(sub, f);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw InputError.at(file, undefined, undefined, `is not valid JSON (${(e as Error).message})`);
    }
    checkObject(file, raw, schema);
    const v = raw as T;
    extra?.(file, v);
    for (const n of [v.name, ...(v.aliases ?? [])]) {
      const prev = seen.get(n.toLowerCase());
      if (prev) throw InputError.at(file, undefined, "name", `"${n}" is already used by ${prev}`);
      seen.set(n.toLowerCase(), file);
    }
    out.push(v);
  }
  return out;
}

function checkModel(file: string, m: ModelSpec): void {
  if (m.embedding_dim % m.num_q_heads !== 0) {
    throw InputError.at(file, undefined, "embedding_dim", `(${m.embedding_dim}) must be a multiple of num_q_heads (${m.num_q_heads})`);
  }
  if (m.num_q_heads % m.num_kv_heads !== 0) {
    throw InputError.at(file, undefined, "num_kv_heads", `(${m.num_kv_heads}) must divide num_q_heads (${m.num_q_heads})`);
  }
}

function checkDevice(file: string, d: DeviceProfile): void {
  const ic = d.interconnect;
  if (ic !== undefined) checkObject(`${file} (interconnect)`, ic, { type: "string", bandwidth_gbps: "positive", pcie_gbps: "?positive" });
}
