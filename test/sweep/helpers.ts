import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { REPO_ROOT } from "../helpers/shared.js";

export { REPO_ROOT };

export function tempDir(prefix = "tw-sweep-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The YAML block after `<!-- example-spec -->` in README.md (the sweep example users copy), written to a temp file. */
export function exampleSpecFile(dir: string): string {
  const md = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const m = /<!-- example-spec -->\s*```yaml\n([\s\S]*?)```/.exec(md);
  if (!m) throw new Error("README.md has no example spec block");
  const path = join(dir, "sweep.yaml");
  writeFileSync(path, m[1]);
  return path;
}

export function writeSpec(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Rows and column types of a query through DuckDB. */
export async function duck(sql: string): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string> }> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const desc = await c.runAndReadAll(`DESCRIBE ${sql}`);
  const types: Record<string, string> = {};
  for (const r of desc.getRowObjects()) types[String(r.column_name)] = String(r.column_type);
  const res = await c.runAndReadAll(sql);
  const rows = res.getRowObjects() as Record<string, unknown>[];
  c.closeSync();
  return { rows, types };
}

export const TINY_BASE = `
base:
  synthetic_request_generator_config_num_requests: 60
  length_generator_config_type: fixed
  fixed_request_length_generator_config_prefill_tokens: 256
  fixed_request_length_generator_config_decode_tokens: 16
`;
