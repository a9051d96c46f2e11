/**
 * Locates the package root (the directory holding tokenwatt's package.json) from this module's file, so the
 * default `profiles/` directory is found both from `src/` (tsx) and from `dist/src/` (compiled).
 *
 * @example
 * join(packageRoot(), "profiles") // "/work/main/profiles"
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    // Require our own name: a nested package.json (e.g. dist/) must not stop the walk.
    if (existsSync(pkg) && isTokenwatt(pkg)) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`tokenwatt package.json not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

function isTokenwatt(pkgPath: string): boolean {
  try {
    return (JSON.parse(readFileSync(pkgPath, "utf8")) as { name?: unknown }).name === "tokenwatt";
  } catch {
    return false;
  }
}

/**
 * A file the build produced (`<root>/build/<name>`, e.g. the engine's WASM), read whole; a clear error if the
 * package was not built.
 *
 * @example
 * new WebAssembly.Module(readBuildFile("engine.wasm"));
 */
export function readBuildFile(name: string): Uint8Array<ArrayBuffer> {
  const path = join(packageRoot(), "build", name);
  if (!existsSync(path)) throw new Error(`tokenwatt: ${path} is missing; run "npm run build" (npm ci builds it)`);
  return new Uint8Array(readFileSync(path));
}

/** The catalogue shipped with the package: `<root>/profiles`. */
export function defaultProfilesDir(): string {
  return join(packageRoot(), "profiles");
}
