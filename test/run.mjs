#!/usr/bin/env node
// Runs every test/**/*.test.ts with uvu (TypeScript through tsx) and ends with the plain
// "N passed, N failed, N skipped" line that CI reads; uvu's own summary has no such line.
// Usage: node test/run.mjs [pattern]   (pattern: a regex on test file paths, default all)
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// uvu does not export bin.js through its package exports, so address the installed file directly
const uvuBin = fileURLToPath(new URL("../node_modules/uvu/bin.js", import.meta.url));
const pattern = process.argv[2] ?? "\\.test\\.ts$";

const child = spawn(process.execPath, ["--import", "tsx", uvuBin, "test", pattern], {
  stdio: ["ignore", "pipe", "inherit"],
  env: process.env,
});
let out = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});
child.on("close", (code) => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  const plain = out.replace(/\x1b\[[0-9;]*m/g, "");
  const num = (label) => {
    const m = plain.match(new RegExp(`${label}:\\s+(\\d+)`));
    return m ? Number(m[1]) : 0;
  };
  const total = num("Total");
  const passed = num("Passed");
  const skipped = num("Skipped");
  const failed = Math.max(total - passed, code !== 0 && total === passed ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code ?? 1);
});
