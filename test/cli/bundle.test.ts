// The esbuild bundle (dist/bundle/, src/cli/bundle.ts) is what `tokenwatt` and `npx tokenwatt` run: every command
// must work from it as from the sources — its chunks find the sweep worker, the writer thread, the WASM engine
// and the package's files by path — and errors must still reach the user with their message.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { COMMANDS } from "../../src/cli/commands/index.js";
import { createPool } from "../../src/sweep/pool.js";
import { REPO_ROOT } from "../helpers/shared.js";
import { runCli } from "../helpers/cli.js";

const BUNDLE = join(REPO_ROOT, "dist", "bundle", "tokenwatt.js");
const dir = mkdtempSync(join(tmpdir(), "tw-bundle-"));

function bundled(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { cwd: REPO_ROOT, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("npm ci links node_modules/.bin/tokenwatt to the bundle", () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: npm run build:bundle`);
  assert.is(realpathSync(join(REPO_ROOT, "node_modules", ".bin", "tokenwatt")), realpathSync(BUNDLE));
});

test("every command's --help runs from the bundle, as from the sources", async () => {
  for (const args of [[], ...COMMANDS.map((c) => [c.name]), ["sweep", "merge"]]) {
    const r = bundled(...args, "--help");
    assert.is(r.code, 0, `${args.join(" ")} --help: ${r.stderr}`);
    const fromSource = await runCli(...args, "--help");
    assert.is(r.stdout, fromSource.stdout, `${args.join(" ")} --help differs from the sources' help`);
  }
});

test("simulate from the bundle writes the same tables as from the sources", async () => {
  const flags = [
    "--synthetic_request_generator_config_num_requests",
    "200",
    "--replica_scheduler_config_type",
    "vllm",
    "--formats",
    "csv,arrow,parquet",
  ];
  const r = bundled("simulate", ...flags, "--output-dir", join(dir, "bundled"));
  assert.is(r.code, 0, r.stderr);
  const s = await runCli("simulate", ...flags, "--output-dir", join(dir, "source"));
  assert.is(s.code, 0, s.stderr);
  for (const f of ["request_metrics.csv", "request_metrics.arrow", "request_metrics.parquet", "requests.csv", "timeline.parquet"]) {
    assert.ok(readFileSync(join(dir, "bundled", f)).equals(readFileSync(join(dir, "source", f))), `${f} differs`);
  }
});

test("a large run's CSV is written by the bundle's writer thread", () => {
  // 50,000 rows start a CSV writer thread (BACKGROUND_WRITE_MIN_ROWS): dist/bundle/writer-worker.js
  const r = bundled(
    "simulate",
    "--synthetic_request_generator_config_num_requests",
    "50000",
    "--length_generator_config_type",
    "fixed",
    "--fixed_request_length_generator_config_prefill_tokens",
    "16",
    "--fixed_request_length_generator_config_decode_tokens",
    "2",
    "--poisson_request_interval_generator_config_qps",
    "100",
    "--formats",
    "csv",
    "--output-dir",
    join(dir, "large"),
  );
  assert.is(r.code, 0, r.stderr);
  const csv = readFileSync(join(dir, "large", "request_metrics.csv"), "utf8");
  assert.is(csv.trimEnd().split("\n").length, 50_001);
});

test("bad input from the bundle is one line and exit code 2", () => {
  const r = bundled("simulate", "--synthetic_request_generator_config_num_requests", "-3", "--output-dir", join(dir, "bad"));
  assert.is(r.code, 2);
  assert.match(r.stderr, /^tokenwatt: .*num_requests/);
  assert.is(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.not.ok(existsSync(join(dir, "bad")));
});

test("a sweep from the bundle runs on its workers; a run's error reaches the summary with its message", () => {
  const spec = join(dir, "sweep.yaml");
  writeFileSync(
    spec,
    [
      "base:",
      "  synthetic_request_generator_config_num_requests: 40",
      "  replica_config_device: a100",
      "grid:",
      "  replica_config_model_name: [meta-llama/Llama-2-7b-hf, meta-llama/Llama-2-70b-hf]",
      "  synthetic_request_generator_config_seed: [1, 2]",
      "",
    ].join("\n"),
  );
  const out = join(dir, "sweep");
  const r = bundled("sweep", "--spec", spec, "--output-dir", out, "--workers", "2");
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /4 runs, 4 ran, 2 failed/);
  const records = readdirSync(join(out, "records")).map((f) => JSON.parse(readFileSync(join(out, "records", f), "utf8")));
  for (const rec of records) {
    if (rec.params.replica_config_model_name === "meta-llama/Llama-2-70b-hf") {
      assert.is(rec.status, "failed");
      assert.match(rec.error, /needs .* GB of weights per device/);
    } else {
      assert.is(rec.status, "ok", rec.error);
      assert.ok(rec.metrics.num_completed_requests === 40);
    }
  }
});

test("a sweep runs when node was given flags a worker may not take (V8 and process-wide options)", () => {
  const spec = join(dir, "one-run.yaml");
  writeFileSync(
    spec,
    "base:\n  synthetic_request_generator_config_num_requests: 20\ngrid:\n  synthetic_request_generator_config_seed: [1, 2]\n",
  );
  const out = join(dir, "sweep-flags");
  const r = spawnSync(
    process.execPath,
    ["--max-old-space-size=2048", "--stack-size=2000", BUNDLE, "sweep", "--spec", spec, "--output-dir", out, "--workers", "2"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /2 runs, 2 ran, 0 failed/);
});

test("pool workers receive the parent's compiled engine module", async () => {
  const probe = join(dir, "probe-worker.mjs");
  writeFileSync(
    probe,
    'import { workerData } from "node:worker_threads";\n' +
      "export default () => { const m = workerData?.engineModule; " +
      "return m instanceof WebAssembly.Module ? WebAssembly.Module.exports(m).map((e) => e.name) : null; };\n",
  );
  const pool = createPool(1, { filename: new URL(`file://${probe}`).href, execArgv: [] });
  try {
    const exports = (await pool.run({})) as string[] | null;
    assert.ok(exports, "workerData.engineModule is not a WebAssembly.Module in the worker");
    assert.ok(exports!.includes("run") && exports!.includes("resume"), exports!.join(","));
  } finally {
    await pool.destroy();
  }
});

test.run();
