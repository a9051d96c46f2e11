/**
 * Access to ../shared (Vidur's data and the parity fixture), which is not part of the repository.
 * Tests that need it are skipped with a message when it is absent, unless TOKENWATT_REQUIRE_SHARED=1
 * (set by .ci/run), in which case its absence is a failure.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Test } from "uvu";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SHARED_ROOT = process.env.TOKENWATT_SHARED_DIR ?? resolve(REPO_ROOT, "..", "shared");

/** Absolute path of `rel` inside shared/, or undefined if it is absent (throws if it is required). */
export function sharedPath(rel: string): string | undefined {
  const p = join(SHARED_ROOT, rel);
  if (existsSync(p)) return p;
  if (process.env.TOKENWATT_REQUIRE_SHARED === "1") {
    throw new Error(`TOKENWATT_REQUIRE_SHARED=1 but ${p} is missing`);
  }
  return undefined;
}

/**
 * Registers `fn` as a test when every shared path exists, else a skipped test with a message on stderr.
 * `fn` receives the absolute paths in the same order.
 */
export function withShared(test: Test, name: string, rels: string[], fn: (...paths: string[]) => void | Promise<void>): void {
  const paths = rels.map(sharedPath);
  if (paths.some((p) => p === undefined)) {
    console.error(`skipped "${name}": ../shared/${rels.join(", ../shared/")} not found (set TOKENWATT_SHARED_DIR or add ../shared)`);
    test.skip(name, () => undefined);
    return;
  }
  test(name, () => fn(...(paths as string[])));
}
