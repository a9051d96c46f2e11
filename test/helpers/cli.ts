/** Runs the CLI in-process and captures what it prints. */
import { existsSync } from "node:fs";
import * as assert from "uvu/assert";
import { main } from "../../src/cli/run.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(...args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += chunk.toString()), true)) as typeof process.stderr.write;
  try {
    const code = await main(["node", "tokenwatt", ...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
}

/** Bad input: `simulate args --output-dir dir` exits 2 with one line matching `message`, and writes nothing. */
export async function expectRefused(args: string[], message: RegExp, dir: string): Promise<void> {
  const r = await runCli("simulate", ...args, "--output-dir", dir);
  assert.is(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.not.ok(existsSync(dir), dir);
}
