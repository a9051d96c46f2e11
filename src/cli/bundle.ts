/**
 * `npm run build:bundle`: the CLI and its worker threads as an esbuild bundle in dist/bundle/ — the files
 * `tokenwatt` (node_modules/.bin/tokenwatt) runs. tsc's dist/src/ stays the library and the tests' tree.
 *
 * Why a bundle: tsc's output is ~170 ES modules plus commander's and yaml's CommonJS files, and Node 20 resolves,
 * reads and links each one at start-up (Node 20 has no module compile cache: `module.enableCompileCache` is
 * 22.1+). The bundle is a handful of files, so `tokenwatt --help` and a sweep's start-up cost less CPU
 * (bench/RESULTS.md, "Start-up"). Code splitting keeps the CLI's lazy imports lazy: a command loads only its
 * own chunks, and Arrow, Parquet and the report load only when a run writes them.
 *
 * Every output sits in dist/bundle/ itself, so paths taken from `import.meta.url` keep working from any chunk:
 * the writer thread (`./writer-worker.js`, src/output/background-writer.ts), the sweep worker
 * (`./sweep-worker.js`, src/sweep/pool.ts) and the package root (src/core/repo-root.ts, found by walking up).
 *
 * @example
 * node --import tsx src/cli/bundle.ts   # writes dist/bundle/{tokenwatt,sweep-worker,writer-worker}.js + chunks
 */
import { chmodSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { packageRoot } from "../core/repo-root.js";

export const BUNDLE_DIR = join("dist", "bundle");

export async function buildBundle(root = packageRoot()): Promise<void> {
  const outdir = join(root, BUNDLE_DIR);
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      tokenwatt: "src/cli/main.ts",
      "sweep-worker": "src/worker/worker.ts",
      "writer-worker": "src/output/writer-worker.ts",
    },
    outdir,
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // piscina finds its own worker file beside its package; the WASM engine, apache-arrow's single-file build,
    // parquet-wasm and yaml (for --config) are read at run time by path or createRequire, as from dist/src/.
    external: ["piscina"],
    // CommonJS dependencies (commander) require Node's built-ins: give the ESM chunks a `require` to do it with.
    banner: {
      js: 'import { createRequire as __tokenwattRequire } from "node:module"; const require = __tokenwattRequire(import.meta.url);',
    },
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
  });
  chmodSync(join(outdir, "tokenwatt.js"), 0o755);
  const files = Object.entries(result.metafile.outputs);
  const bytes = files.reduce((s, [, o]) => s + o.bytes, 0);
  process.stdout.write(`bundle: ${files.length} files, ${(bytes / 1024).toFixed(0)} KB in ${BUNDLE_DIR}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildBundle();
