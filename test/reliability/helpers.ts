/** Shared pieces of the bad-input and fault matrix: a sandbox whose every byte is compared before and after. */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import type { CliRun } from "../helpers/cli.js";

/** path → size:mtime:sha256 of every file and directory under `dir` (hidden ones included). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      const full = join(dir, p);
      if (e.isDirectory()) {
        out.set(`${p}/`, "dir");
        walk(p);
      } else {
        const st = statSync(full);
        out.set(p, `${st.size}:${st.mtimeMs}:${createHash("sha256").update(readFileSync(full)).digest("hex")}`);
      }
    }
  };
  walk("");
  return out;
}

/** Describes what differs between two snapshots (empty when none). */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const diff: string[] = [];
  for (const [p, v] of after) if (before.get(p) !== v) diff.push(`${before.has(p) ? "changed" : "added"} ${p}`);
  for (const p of before.keys()) if (!after.has(p)) diff.push(`removed ${p}`);
  return diff;
}

/** The contract every bad input meets: exit 2, one line on stderr naming the problem, no stack frame. */
export function assertOneLineError(r: CliRun, pattern: RegExp | undefined, label: string): void {
  assert.is(r.code, 2, `${label}: exit code (stderr: ${r.stderr.slice(0, 400)})`);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  assert.is(lines.length, 1, `${label}: one line on stderr, got ${lines.length}: ${r.stderr.slice(0, 600)}`);
  assert.match(lines[0], /^(tokenwatt: |error: )/, `${label}: prefixed line`);
  assert.not.match(r.stderr, /\n\s+at |^\s+at |Error: .*\n/m, `${label}: no stack frame`);
  assert.ok(lines[0].length <= 1100, `${label}: line of ${lines[0].length} characters`);
  if (pattern) assert.match(lines[0], pattern, `${label}: message`);
}
