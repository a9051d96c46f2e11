import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "tokenwatt-cli-"));
const out = join(dir, "out");

/** Every input error: exit code 2, exactly one line on stderr, no stack trace. */
async function expectInputError(args: string[], pattern: RegExp): Promise<void> {
  const r = await runCli("simulate", "--output-dir", out, ...args);
  assert.is(r.code, 2, `exit code for ${args.join(" ")}: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.is(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.not.match(r.stderr, /\n\s+at /);
}

test("unknown flag", () => expectInputError(["--replica_config_tensor_parallel"], /unknown option/));
test("non-numeric value", () =>
  expectInputError(["--replica_config_tensor_parallel_size", "two"], /tensor_parallel_size must be an integer/));
test("value below the minimum", () =>
  expectInputError(["--cluster_config_num_replicas", "0"], /num_replicas must be an integer in \[1, 16384\]/));
test("invalid choice", () => expectInputError(["--replica_scheduler_config_type", "fifo"], /one of vllm, sarathi/));
test("unknown model names close matches", () =>
  expectInputError(["--replica_config_model_name", "llama-2-7"], /unknown model.*llama-2-7b/i));
test("unknown device", () => expectInputError(["--replica_config_device", "a1000"], /unknown device "a1000"/));
test("weights that do not fit are refused with the numbers", () =>
  expectInputError(["--replica_config_model_name", "meta-llama/Llama-2-70b-hf"], /GB of weights per device.*GB available/));
test("TP that does not divide the heads", () =>
  expectInputError(["--replica_config_tensor_parallel_size", "3"], /tensor parallel size 3 must divide/));
test("missing trace file", () =>
  expectInputError(
    ["--request_generator_config_type", "trace_replay", "--trace_request_generator_config_trace_file", join(dir, "nope.csv")],
    /nope\.csv/,
  ));

test("bad trace row names file, line and column", () => {
  const trace = join(dir, "bad.csv");
  writeFileSync(trace, "arrived_at,num_prefill_tokens,num_decode_tokens\n0.1,100,10\n0.2,abc,10\n");
  return expectInputError(
    ["--request_generator_config_type", "trace_replay", "--trace_request_generator_config_trace_file", trace],
    /bad\.csv:3.*num_prefill_tokens/,
  );
});

test("op tables directory without the needed ops", () => {
  const empty = join(dir, "empty-ops");
  mkdirSync(empty);
  return expectInputError(["--op-tables", empty], /empty-ops: has no table for required op attn_pre_proj/);
});

test("unknown key in a config file names file and line", () => {
  const cfg = join(dir, "run.yaml");
  writeFileSync(cfg, "replica_config_device: a100\nreplica_config_tensor_paralel_size: 2\n");
  return expectInputError(
    ["--config", cfg],
    /run\.yaml:2: unknown option "replica_config_tensor_paralel_size".*replica_config_tensor_parallel_size/,
  );
});

test("bad value in a config file names file and line", () => {
  const cfg = join(dir, "run.json");
  writeFileSync(cfg, '{\n  "--cluster_config_num_replicas": -1\n}\n');
  return expectInputError(["--config", cfg], /run\.json:2: --cluster_config_num_replicas must be/);
});

test("a one-line JSON config names the line of a bad value", () => {
  const cfg = join(dir, "one-line.json");
  writeFileSync(cfg, '{"synthetic_request_generator_config_num_requests": "x"}');
  return expectInputError(["--config", cfg], /one-line\.json:1: --synthetic_request_generator_config_num_requests must be an integer/);
});

test("malformed JSON and YAML config files are one-line errors (YAML with its line)", async () => {
  const json = join(dir, "broken.json");
  writeFileSync(json, '{"formats": "csv",\n "seed": }\n');
  await expectInputError(["--config", json], /broken\.json: invalid JSON \(Unexpected token '\}'\)$/);
  const yml = join(dir, "broken.yaml");
  writeFileSync(yml, "formats: csv\nseed: [1, 2\n");
  await expectInputError(["--config", yml], /broken\.yaml:\d+: invalid YAML: /);
});

test("an output directory that cannot be created is an input error, not a hang or a stack trace", async () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  const r = await runCli("simulate", "--synthetic_request_generator_config_num_requests", "20", "--output-dir", join(file, "sub"));
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr.trim(), /^tokenwatt: cannot create the output directory .*a-file\/sub: ENOTDIR/);
});

test("a config file is applied and flags override it", async () => {
  const cfg = join(dir, "ok.yaml");
  writeFileSync(cfg, "replica_scheduler_config_type: vllm\nsynthetic_request_generator_config_num_requests: 10\nformats: csv\n");
  const r = await runCli(
    "simulate",
    "--config",
    cfg,
    "--synthetic_request_generator_config_num_requests",
    "12",
    "--output-dir",
    join(dir, "cfg-out"),
  );
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /simulated 12 requests/);
  const { readFileSync } = await import("node:fs");
  const config = JSON.parse(readFileSync(join(dir, "cfg-out", "config.json"), "utf8"));
  assert.is(config.options.replica_scheduler_config_type, "vllm");
});

test("every replica scheduler runs with default flags", async () => {
  for (const scheduler of ["vllm", "sarathi", "orca", "faster_transformer"]) {
    const r = await runCli(
      "simulate",
      "--replica_scheduler_config_type",
      scheduler,
      "--synthetic_request_generator_config_num_requests",
      "12",
      "--formats",
      "csv",
      "--output-dir",
      join(dir, scheduler),
    );
    assert.is(r.code, 0, `${scheduler}: ${r.stderr}`);
    assert.match(r.stdout, /simulated 12 requests \(12 completed\)/);
  }
  const ll = await runCli(
    "simulate",
    "--replica_scheduler_config_type",
    "lightllm",
    "--lightllm_scheduler_config_block_size",
    "1",
    "--synthetic_request_generator_config_num_requests",
    "12",
    "--formats",
    "csv",
    "--output-dir",
    join(dir, "lightllm"),
  );
  assert.is(ll.code, 0, ll.stderr);
});

test.run();
