import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/shared.js";

export { REPO_ROOT };
export { duck } from "../helpers/duckdb.js";

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

export const TINY_BASE = `
base:
  synthetic_request_generator_config_num_requests: 60
  length_generator_config_type: fixed
  fixed_request_length_generator_config_prefill_tokens: 256
  fixed_request_length_generator_config_decode_tokens: 16
`;
