#!/usr/bin/env node
// WASM engine against the same engine as plain JavaScript: binaryen's wasm2js (shipped with AssemblyScript)
// translates build/engine.wasm into a JS module (typed-array heap, same functions, same memory layout), which
// the host drives exactly like the WASM instance. Same scenario, same results, so the ratio is the price of
// running the loop as JavaScript in V8 rather than as WASM. Not a hand-written TypeScript engine: a JS port
// written by hand would be shaped differently (objects instead of raw memory), typically slower still.
//   node bench/js-engine.mjs [--requests N] [--scheduler vllm|sarathi] [--reps R]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
};
const requests = Number(arg("requests", 100_000));
const scheduler = arg("scheduler", "vllm");
const reps = Number(arg("reps", 3));

const { simulate } = await import(pathToFileURL(join(root, "dist/src/simulate.js")).href);
const { resolveOptions } = await import(pathToFileURL(join(root, "dist/src/config/parse.js")).href);
const { instantiateEngine } = await import(pathToFileURL(join(root, "dist/src/engine/wasm.js")).href);

// wasm2js: the binary that comes with the binaryen package AssemblyScript depends on
const binaryen = dirname(createRequire(join(root, "package.json")).resolve("binaryen/package.json"));
const dir = mkdtempSync(join(tmpdir(), "tokenwatt-wasm2js-"));
const out = join(dir, "engine.mjs");
execFileSync(join(binaryen, "bin", "wasm2js"), [
  join(root, "build", "engine.wasm"),
  "-O3",
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-mutable-globals",
  "-o",
  out,
]);
// biome-ignore lint/suspicious/noTemplateCurlyInString: this is JavaScript source written into the wasm2js module
const imports = "const env = { abort(m, f, line, col) { throw new Error(`engine aborted at ${line}:${col}`); }, seed: () => 42 };";
writeFileSync(out, readFileSync(out, "utf8").replace("import * as env from 'env';", imports));
const jsEngine = await import(pathToFileURL(out).href);

const options = resolveOptions({
  replica_config_model_name: "meta-llama/Llama-2-7b-hf",
  replica_config_device: "a100",
  replica_scheduler_config_type: scheduler,
  length_generator_config_type: "zipf",
  interval_generator_config_type: "poisson",
  poisson_request_interval_generator_config_qps: 20,
  synthetic_request_generator_config_num_requests: requests,
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const runs = { wasm: [], js: [] };
let check;
for (let i = 0; i < reps; i++) {
  // alternate, a fresh WASM instance each time (the JS module keeps its heap; the engine resets it per run)
  for (const [name, engine] of [
    ["wasm", instantiateEngine()],
    ["js", jsEngine],
  ]) {
    const run = simulate(options, { engine, copyResults: false });
    const s = run.result;
    const fingerprint = `${s.counters.batches} ${s.counters.events} ${s.makespan}`;
    if (check === undefined) check = fingerprint;
    else if (fingerprint !== check) throw new Error(`${name} engine disagrees: ${fingerprint} vs ${check}`);
    runs[name].push(s.timings.loopMs / 1000);
  }
}
const [batches, events] = check.split(" ").map(Number);
const wasm = median(runs.wasm);
const js = median(runs.js);
console.log(`${requests} requests, ${scheduler}: ${batches} batches, ${events} events; identical results from both engines`);
console.log(
  `event loop, median of ${reps}: WASM ${wasm.toFixed(3)} s (${Math.round(batches / wasm).toLocaleString("en-US")} batches/s), ` +
    `JS (wasm2js) ${js.toFixed(3)} s (${Math.round(batches / js).toLocaleString("en-US")} batches/s): WASM ${(js / wasm).toFixed(2)}x faster`,
);
console.log(
  `all runs (s): WASM ${runs.wasm.map((x) => x.toFixed(3)).join(" ")}; JS ${runs.js.map((x) => x.toFixed(3)).join(" ")}; node ${process.version}`,
);
