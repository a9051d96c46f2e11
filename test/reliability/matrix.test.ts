/**
 * The bad-input matrix: every case runs the CLI on one bad flag, config file, trace, profile, op table,
 * carbon trace, sweep spec or output location, and must exit with 2, print one line naming the problem, show
 * no stack frame, and change no file in the sandbox (inputs and earlier outputs included).
 * Cases that need another user, a signal or a full disk are in faults.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import { runCli } from "../helpers/cli.js";
import { sharedPath } from "../helpers/shared.js";
import { assertOneLineError, changes, snapshot } from "./helpers.js";
import * as assert from "uvu/assert";

const box = mkdtempSync(join(tmpdir(), "tokenwatt-matrix-"));
const at = (...p: string[]): string => join(box, ...p);
const OUT = at("out");
const N = "--synthetic_request_generator_config_num_requests";
const PRED = "--random_forrest_execution_time_predictor_config";

// ---- inputs (written once; the snapshot covers them, so a case that modified one would fail) ----
const file = (name: string, text: string | Buffer): string => {
  writeFileSync(at(name), text);
  return at(name);
};
mkdirSync(at("empty-dir"));
file("a-file", "not a directory\n");
const trace = (name: string, text: string | Buffer) => file(name, text);
const HEADER = "arrived_at,num_prefill_tokens,num_decode_tokens\n";
trace("t-bad-cell.csv", `${HEADER}0.1,100,10\n0.2,abc,10\n`);
trace("t-huge-cell.csv", `${HEADER}0.1,${"7".repeat(20_000_000)}x,10\n`);
trace("t-empty.csv", "");
trace("t-header.csv", "time,prompt,output\n0.1,100,10\n");
trace("t-negative.csv", `${HEADER}-5,100,10\n`);
trace("t-binary.csv", Buffer.from([0, 255, 3, 10, 200, 0, 1, 2, 10]));
trace("t-zero-tokens.csv", `${HEADER}0.1,0,10\n`);
file("c-unknown.yaml", "replica_config_device: a100\nreplica_config_tensor_paralel_size: 2\n");
file("c-bad.json", '{\n  "cluster_config_num_replicas": -1\n}\n');
file("c-syntax.yaml", "seed: [1, 2\n");
file("c-syntax.json", '{"seed": }');
file("c-list.yaml", "- seed\n- 1\n");
file("c-long.yaml", `seed: "${"9".repeat(1_000_000)}"\n`);
file("c-replicas.yaml", "cluster_config_num_replicas: 3000000000\n");
file("ci-bad.csv", "timestamp,carbon_intensity\n2023-06-08T00:00:00Z,100\n2023-06-08T01:00:00Z,abc\n");
file("ci-naive.csv", "timestamp,carbon_intensity\n2023-06-08 00:00:00,100\n2023-06-08 01:00:00,110\n");
file("ci-empty.csv", "");
file("ci-twocols.csv", "timestamp,a,b\n2023-06-08T00:00:00Z,100,1\n2023-06-08T01:00:00Z,110,2\n");
file("ci-unsorted.csv", "timestamp,carbon_intensity\n2023-06-08T01:00:00Z,100\n2023-06-08T00:00:00Z,110\n");
file("ci-negative.csv", "timestamp,carbon_intensity\n2023-06-08T00:00:00Z,-100\n2023-06-08T01:00:00Z,110\n");
file("sol-ok.csv", "time,site\n2023-06-08T00:00:00Z,0.1\n2023-06-09T12:00:00Z,0.2\n");
file("sol-bad.csv", "time,site\n2023-06-08T00:00:00Z,0.1\n2023-06-08T01:00:00Z,sunny\n");
file("sol-negative.csv", "time,site\n2023-06-08T00:00:00Z,0.1\n2023-06-08T01:00:00Z,-0.2\n");
file("sol-unsorted.csv", "time,site\n2023-06-08T01:00:00Z,0.1\n2023-06-08T00:00:00Z,0.2\n");
file("sol-short.csv", "time,site\n2023-06-08T00:00:00Z,0.1\n2023-06-08T00:00:05Z,0.2\n");
file("sol-twocols.csv", "time,a,b\n2023-06-08T00:00:00Z,0.1,0.1\n2023-06-09T00:00:00Z,0.2,0.2\n");
file("load-bad.csv", "time,load\n0,100\n60,lots\n");
file("load-negative.csv", "time,load\n0,100\n60,-5\n");
file("rate-short.csv", "time,qps\n0,2\n60,3\n");
file("rate-negative.csv", "time,qps\n0,2\n60,-3\n");
// a profile directory claiming Llama-2-7B whose rows have another model's shape
mkdirSync(at("prof-other", "compute", "a100", "meta-llama", "Llama-2-7b-hf"), { recursive: true });
const mlpCols = ["input_layernorm", "attn_pre_proj", "attn_rope", "attn_post_proj", "mlp_up_proj", "mlp_act", "mlp_down_proj"];
file(
  join("prof-other", "compute", "a100", "meta-llama", "Llama-2-7b-hf", "mlp.csv"),
  `n_head,n_kv_head,n_embd,n_expanded_embd,use_gated_mlp,num_tokens,num_tensor_parallel_workers,${mlpCols.map((c) => `time_stats.${c}.median`).join(",")}\n` +
    `64,8,8192,28672,True,512,1,${mlpCols.map(() => "0.5").join(",")}\n`,
);
mkdirSync(at("ops-bad"));
file(join("ops-bad", "attn_pre_proj.csv"), "num_tokens,prediction\n1,abc\n");
const spec = (name: string, text: string) => file(name, text);
const BASE = `base:\n  ${N.slice(2)}: 20\n`;
spec("s-unknown.yaml", `${BASE}grdi:\n  seed: [1, 2]\n`);
spec("s-badvalue.yaml", `${BASE}grid:\n  cluster_config_num_replicas: [1, 0]\n`);
spec("s-syntax.yaml", `${BASE}grid:\n  seed: [1, 2\n`);
spec("s-emptylist.yaml", `${BASE}grid:\n  seed: []\n`);
spec(
  "s-huge.yaml",
  `${BASE}grid:\n  seed: [${Array.from({ length: 1000 }, (_, i) => i).join(", ")}]\n  cluster_config_num_replicas: [${Array.from({ length: 100 }, (_, i) => i + 1).join(", ")}]\n  replica_config_memory_margin_fraction: [${Array.from({ length: 200 }, (_, i) => (i / 1000).toFixed(3)).join(", ")}]\n`,
);
spec("s-ok.yaml", `${BASE}grid:\n  seed: [1, 2]\n`);
spec("s-qps.yaml", `${BASE}grid:\n  poisson_request_interval_generator_config_qps: [1, 2]\n`);
spec("s-replicas.yaml", `${BASE}grid:\n  cluster_config_num_replicas: [1, 1e9]\n`);
// an earlier run and an earlier sweep: bad inputs must leave them untouched
mkdirSync(at("earlier"));
file(join("earlier", "summary.json"), "{}\n");
file(join("earlier", "manifest.json"), '{"format":"tokenwatt-output/1","files":[]}\n');
mkdirSync(at("other-sweep"));
file(
  join("other-sweep", "sweep.json"),
  JSON.stringify({ format: "tokenwatt-sweep/1", plan_hash: "0000000000000000", total_runs: 1, shard: null, parameters: [], spec: {} }),
);
mkdirSync(at("foreign"));
file(join("foreign", "thesis.tex"), "\\documentclass{article}\n");
// a directory being written by a live process (this one's parent: alive, not us)
mkdirSync(at("busy"));
file(
  ".busy.tokenwatt-lock",
  JSON.stringify({ pid: process.ppid, host: hostname(), command: "tokenwatt simulate", started: new Date().toISOString() }),
);
mkdirSync(at("busy-sweep"));
file(
  ".busy-sweep.tokenwatt-lock",
  JSON.stringify({ pid: process.ppid, host: hostname(), command: "tokenwatt sweep", started: new Date().toISOString() }),
);

type Case = [name: string, args: string[], pattern?: RegExp];
const sim = (...args: string[]): string[] => ["simulate", N, "20", "--output-dir", OUT, ...args];
const sweep = (...args: string[]): string[] => ["sweep", "--workers", "1", ...args];
const cap = (...args: string[]): string[] => ["capacity", "--workers", "1", ...args];

const CASES: Case[] = [
  // flags: ranges, integers, choices, sizes
  ["replicas 1e12", sim("--cluster_config_num_replicas", "1e12"), /num_replicas must be an integer in \[1, 16384\], got "1e12"/],
  ["replicas 3e9", sim("--cluster_config_num_replicas", "3e9"), /num_replicas must be an integer in \[1, 16384\]/],
  ["replicas 1e6", sim("--cluster_config_num_replicas", "1e6"), /in \[1, 16384\], got "1e6"/],
  ["replicas 0", sim("--cluster_config_num_replicas", "0"), /num_replicas/],
  ["replicas 1.5", sim("--cluster_config_num_replicas", "1.5"), /must be an integer/],
  ["replicas text", sim("--cluster_config_num_replicas", "many"), /got "many"/],
  ["TP 0", sim("--replica_config_tensor_parallel_size", "0"), /tensor_parallel_size/],
  ["TP 3 does not divide the heads", sim("--replica_config_tensor_parallel_size", "3"), /must divide/],
  ["TP 1e9", sim("--replica_config_tensor_parallel_size", "1e9"), /in \[1, 1024\]/],
  [
    "block size 8192",
    sim("--sarathi_scheduler_config_block_size", "8192"),
    /--sarathi_scheduler_config_block_size 8192 is larger than .*4096 tokens/,
  ],
  [
    "vllm block size 1e5",
    sim("--replica_scheduler_config_type", "vllm", "--vllm_scheduler_config_block_size", "100000"),
    /vllm_scheduler_config_block_size must be an integer in \[1, 65536\]/,
  ],
  ["batch cap 2e9", sim("--sarathi_scheduler_config_batch_size_cap", "2000000000"), /batch_size_cap must be an integer in \[1, 1048576\]/],
  [
    "16384 replicas x batch cap 1M",
    sim("--cluster_config_num_replicas", "16384", "--sarathi_scheduler_config_batch_size_cap", "1048576"),
    /16384 replicas x 1 stages .* GiB of engine state/,
  ],
  [
    "batch cap below PP",
    sim("--replica_config_num_pipeline_stages", "4", "--sarathi_scheduler_config_batch_size_cap", "2"),
    /batch_size_cap 2 must be at least .*num_pipeline_stages 4/,
  ],
  ["num_blocks 0", sim("--sarathi_scheduler_config_num_blocks", "0"), /num_blocks/],
  [
    "fixed prefill beyond the op-table grid names the flag",
    sim("--length_generator_config_type", "fixed", "--fixed_request_length_generator_config_prefill_tokens", "9000"),
    /raise --random_forrest_execution_time_predictor_config_prediction_max_tokens_per_request/,
  ],
  ["op-table grid of 58 GiB", sim(`${PRED}_prediction_max_tokens_per_request`, "100000000"), /op-table grid .* GiB/],
  ["1e9 requests", sim(N, "1000000000"), /requests exceed what one run can simulate/],
  ["seed 1e20", sim("--seed", "1e20"), /--seed must be an integer in \[0, 4294967295\]/],
  ["seed -1", sim("--seed", "-1"), /--seed/],
  ["a megabyte flag value is cut", sim("--seed", "9".repeat(1_000_000)), /got "9{20,}\.\.\.$/],
  ["memory margin 1.5", sim("--replica_config_memory_margin_fraction", "1.5"), /in \[0, 0\.99\]/],
  ["watermark 2", sim("--sarathi_scheduler_config_watermark_blocks_fraction", "2"), /watermark_blocks_fraction/],
  ["clock fraction 2", sim("--gpu_clock_fraction", "2"), /gpu_clock_fraction must be a number in \[0\.05, 1\]/],
  ["power cap 0", sim("--power-cap", "0"), /power_cap_w/],
  ["power resolution 0", sim("--power-resolution", "0"), /power_resolution/],
  ["time limit -1", sim("--time_limit", "-1"), /time_limit/],
  ["unknown scheduler", sim("--replica_scheduler_config_type", "fifo"), /one of vllm, sarathi/],
  ["unknown model", sim("--replica_config_model_name", "llama-9"), /unknown model/i],
  ["unknown device", sim("--replica_config_device", "a1000"), /unknown device/],
  ["unknown region", sim("--region", "mars"), /mars/],
  ["bad host power", sim("--host-power", "lots"), /host/],
  ["unknown flag", sim("--replica_config_tensor_parallel"), /unknown option/],
  ["unknown format", sim("--formats", "xml"), /xml/],
  ["empty formats", sim("--formats", ","), /--formats/],
  [
    "qps 1e-300 puts arrivals at 1e301 s",
    sim("--poisson_request_interval_generator_config_qps", "1e-300"),
    /spans .* s of simulated time .* power-timeline buckets/,
  ],
  ["time limit 1e12 s at 1 s power resolution", sim("--time_limit", "1e12"), /--power_resolution 1 s is 1\.00e\+12 power-timeline buckets/],
  [
    "predict 1e11 decode requests",
    ["predict", "--decode", "99999999999", "--kv", "100"],
    /--decode must be an integer >= 0 and <= 1000000/,
  ],
  ["predict TP 1e9", ["predict", "--decode", "1", "--tp", "1e9"], /--tp must be an integer >= 1 and <= 1024/],
  ["70B on one A100", sim("--replica_config_model_name", "meta-llama/Llama-2-70b-hf"), /GB of weights per device/],
  // config files
  ["config missing", sim("--config", at("nope.yaml")), /--config .*nope\.yaml: cannot read \(ENOENT\)/],
  ["config is a directory", sim("--config", at("empty-dir")), /cannot read \(EISDIR\)/],
  ["config unknown key", sim("--config", at("c-unknown.yaml")), /c-unknown\.yaml:2: unknown option/],
  ["config bad value", sim("--config", at("c-bad.json")), /c-bad\.json:2: --cluster_config_num_replicas/],
  ["config YAML syntax", sim("--config", at("c-syntax.yaml")), /c-syntax\.yaml:\d+: invalid YAML/],
  ["config JSON syntax", sim("--config", at("c-syntax.json")), /c-syntax\.json: invalid JSON/],
  ["config is a list", sim("--config", at("c-list.yaml")), /must be a mapping/],
  ["config with a megabyte value", sim("--config", at("c-long.yaml")), /c-long\.yaml:1: --seed .*\.\.\.$/],
  ["config replicas 3e9", sim("--config", at("c-replicas.yaml")), /c-replicas\.yaml:1: --cluster_config_num_replicas/],
  // workload traces
  ...(() => {
    const replay = (f: string) =>
      sim("--request_generator_config_type", "trace_replay", "--trace_request_generator_config_trace_file", at(f));
    return [
      ["trace missing", replay("nope.csv"), /--trace_request_generator_config_trace_file .*nope\.csv: cannot read/],
      ["trace bad cell", replay("t-bad-cell.csv"), /t-bad-cell\.csv:3.*num_prefill_tokens/],
      ["trace 20 MB cell is cut", replay("t-huge-cell.csv"), /t-huge-cell\.csv:2/],
      ["trace empty", replay("t-empty.csv"), /t-empty\.csv/],
      ["trace wrong header", replay("t-header.csv"), /t-header\.csv/],
      ["trace negative arrival", replay("t-negative.csv"), /t-negative\.csv/],
      ["trace binary garbage", replay("t-binary.csv"), /t-binary\.csv/],
      ["trace is a directory", replay("empty-dir"), /empty-dir/],
    ] as Case[];
  })(),
  // profiles and op tables
  ["profile dir empty", sim("--profile-dir", at("empty-dir")), /empty-dir: is empty/],
  ["profile dir missing", sim("--profile-dir", at("nope")), /nope: is not a directory/],
  ["profile dir is a file", sim("--profile-dir", at("a-file")), /a-file: is not a directory/],
  [
    "profile of another model's shape",
    sim("--profile-dir", at("prof-other")),
    /has no profile for meta-llama\/Llama-2-7b-hf on .* at TP 1/,
  ],
  ["op tables empty", sim("--op-tables", at("empty-dir")), /has no table for required op/],
  ["op tables a file", sim("--op-tables", at("a-file")), /is not a directory of op-table CSVs/],
  ["op tables bad cell", sim("--op-tables", at("ops-bad")), /ops-bad/],
  ["--predictor op-tables without a directory", sim("--predictor", "op-tables"), /needs --op-tables/],
  // solar, load and arrival-rate traces
  ...(() => {
    const solar = (f: string, ...more: string[]) =>
      sim("--solar-trace", at(f), "--solar-peak-w", "1000", "--start", "2023-06-08T00:00:00Z", ...more);
    const cosim = (...more: string[]) => ["cosim", "--duration", "3600", "--output-dir", OUT, ...more];
    return [
      ["solar trace missing", solar("nope.csv"), /--solar-trace .*nope\.csv: cannot read/],
      ["solar trace bad value", solar("sol-bad.csv"), /sol-bad\.csv:3/],
      ["solar trace negative", solar("sol-negative.csv"), /sol-negative\.csv:3.*>= 0/],
      ["solar trace unsorted", solar("sol-unsorted.csv"), /goes back in time/],
      ["solar trace two columns, none chosen", solar("sol-twocols.csv"), /--solar-column/],
      ["solar trace unknown column", solar("sol-ok.csv", "--solar-column", "Berlin"), /Berlin/],
      ["solar trace without --solar-peak-w", sim("--solar-trace", at("sol-ok.csv")), /--solar-peak-w/],
      ["solar trace shorter than the run", solar("sol-short.csv", "--time_limit", "3600"), /sol-short\.csv/],
      ["cosim load trace missing", cosim("--load-trace", at("nope.csv")), /--load-trace .*nope\.csv: cannot read/],
      ["cosim load trace bad value", cosim("--load-trace", at("load-bad.csv")), /load-bad\.csv:3/],
      ["cosim load trace negative", cosim("--load-trace", at("load-negative.csv")), /load-negative\.csv:3/],
      ["cosim without a load", cosim(), /--load-w|--load-trace|--from-run/],
      [
        "arrival-rate trace missing",
        sim("--arrival-rate-trace", at("nope.csv"), "--duration", "60"),
        /--arrival-rate-trace .*nope\.csv: cannot read/,
      ],
      [
        "arrival-rate trace shorter than --duration",
        sim("--arrival-rate-trace", at("rate-short.csv"), "--duration", "3600", "--start", "2023-06-08T00:00:00Z"),
        /rate-short\.csv/,
      ],
      ["arrival-rate trace negative", sim("--arrival-rate-trace", at("rate-negative.csv"), "--duration", "60"), /rate-negative\.csv:3/],
    ] as Case[];
  })(),
  // carbon traces
  ["carbon trace missing", sim("--carbon-trace", at("nope.csv")), /--carbon-trace .*nope\.csv: cannot read/],
  ["carbon trace bad value", sim("--carbon-trace", at("ci-bad.csv"), "--carbon_trace_tz", "UTC"), /ci-bad\.csv:3/],
  ["carbon trace without a time zone", sim("--carbon-trace", at("ci-naive.csv")), /--carbon_trace_tz/],
  ["carbon trace empty", sim("--carbon-trace", at("ci-empty.csv")), /ci-empty\.csv:1/],
  ["carbon trace with two value columns", sim("--carbon-trace", at("ci-twocols.csv")), /--carbon_trace_column/],
  ["carbon trace unsorted", sim("--carbon-trace", at("ci-unsorted.csv")), /goes back in time/],
  ["carbon trace negative", sim("--carbon-trace", at("ci-negative.csv")), /must be >= 0/],
  ["bad carbon time zone", sim("--carbon-trace", at("ci-naive.csv"), "--carbon_trace_tz", "Mars/Olympus"), /carbon_trace_tz/],
  // sweep specs and sweep / capacity / merge flags
  ["spec missing", sweep("--spec", at("nope.yaml"), "--output-dir", at("sw")), /--spec .*nope\.yaml: cannot read/],
  ["spec unknown key", sweep("--spec", at("s-unknown.yaml"), "--output-dir", at("sw")), /unknown key "grdi"/],
  ["spec bad value", sweep("--spec", at("s-badvalue.yaml"), "--output-dir", at("sw")), /s-badvalue\.yaml:4: .*num_replicas/],
  ["spec YAML syntax", sweep("--spec", at("s-syntax.yaml"), "--output-dir", at("sw")), /s-syntax\.yaml:\d+: invalid YAML/],
  ["spec empty list", sweep("--spec", at("s-emptylist.yaml"), "--output-dir", at("sw")), /non-empty list/],
  ["spec grid of 20 million runs", sweep("--spec", at("s-huge.yaml"), "--output-dir", at("sw")), /20000000 runs/],
  ["spec value beyond a flag's range", sweep("--spec", at("s-replicas.yaml"), "--output-dir", at("sw")), /in \[1, 16384\]/],
  ["sweep --workers 0", sweep("--spec", at("s-ok.yaml"), "--output-dir", at("sw"), "--workers", "0"), /--workers must be an integer/],
  ["sweep --shard 3/2", sweep("--spec", at("s-ok.yaml"), "--output-dir", at("sw"), "--shard", "3/2"), /--shard must be i\/N/],
  [
    "sweep --retry-failed alone",
    sweep("--spec", at("s-ok.yaml"), "--output-dir", at("sw"), "--retry-failed"),
    /--retry-failed needs --resume/,
  ],
  ["sweep without --output-dir", sweep("--spec", at("s-ok.yaml")), /--output-dir DIR is required/],
  ["sweep into another sweep", sweep("--spec", at("s-ok.yaml"), "--output-dir", at("other-sweep")), /holds a different sweep/],
  ["sweep into a file", sweep("--spec", at("s-ok.yaml"), "--output-dir", at("a-file")), /a-file is an existing file/],
  [
    "sweep under a file",
    sweep("--spec", at("s-ok.yaml"), "--output-dir", at("a-file", "sub")),
    /cannot create the output directory .*ENOTDIR/,
  ],
  [
    "sweep into a foreign directory",
    sweep("--spec", at("s-ok.yaml"), "--output-dir", at("foreign")),
    /did not write \(e\.g\. thesis\.tex\)/,
  ],
  [
    "sweep into a locked directory",
    sweep("--spec", at("s-ok.yaml"), "--output-dir", at("busy-sweep")),
    /is being written by process \d+ .*tokenwatt sweep/,
  ],
  ["capacity with qps swept", cap("--spec", at("s-qps.yaml"), "--output-dir", at("cap")), /what capacity search varies/],
  ["capacity --slo-quantile 2", cap("--spec", at("s-ok.yaml"), "--output-dir", at("cap"), "--slo-quantile", "2"), /--slo-quantile must be/],
  [
    "capacity --slo-metric",
    cap("--spec", at("s-ok.yaml"), "--output-dir", at("cap"), "--slo-metric", "joy"),
    /--slo-metric must be one of/,
  ],
  ["capacity into a file", cap("--spec", at("s-ok.yaml"), "--output-dir", at("a-file")), /a-file is an existing file/],
  ["capacity into a locked directory", cap("--spec", at("s-ok.yaml"), "--output-dir", at("busy")), /is being written by process/],
  ["merge of a non-sweep directory", ["sweep", "merge", at("empty-dir"), "--output-dir", at("merged")], /has no sweep\.json/],
  ["merge into its input", ["sweep", "merge", at("other-sweep"), "--output-dir", at("other-sweep")], /must differ/],
  ["merge without inputs", ["sweep", "merge", "--output-dir", at("merged")], /missing required argument|name at least one/],
  // output locations
  ["output dir is a file", sim("--output-dir", at("a-file")), /a-file is an existing file, not a directory/],
  ["output dir under a file", sim("--output-dir", at("a-file", "sub")), /cannot create the output directory .*ENOTDIR/],
  ["output dir with foreign files", sim("--output-dir", at("foreign")), /did not write \(e\.g\. thesis\.tex\)/],
  ["output dir being written", sim("--output-dir", at("busy")), /is being written by process \d+ on .*tokenwatt simulate/],
  ["bad input leaves an earlier run alone", sim("--output-dir", at("earlier"), "--replica_config_device", "a1000"), /unknown device/],
  [
    "bad input does not create a missing parent",
    sim("--output-dir", at("new", "deep", "out"), "--replica_config_model_name", "llama-9"),
    /unknown model/i,
  ],
];

test(`matrix has at least 60 cases (${CASES.length})`, () => {
  assert.ok(CASES.length >= 60, String(CASES.length));
  assert.is(new Set(CASES.map((c) => c[0])).size, CASES.length, "case names are unique");
});

for (const [name, args, pattern] of CASES) {
  test(name, async () => {
    const before = snapshot(box);
    const r = await runCli(...args);
    assertOneLineError(r, pattern, name);
    const diff = changes(before, snapshot(box));
    assert.equal(diff, [], `${name}: files changed: ${diff.join(", ")}`);
  });
}

// a case with a shared fixture: Vidur's CodeLlama-34B TP2 op tables given for TP 4 (and for another model)
const fixture = sharedPath("reference/vidur-parity/codellama34b-tp2/op-tables");
if (fixture) {
  test("op tables made for another TP or model", async () => {
    const before = snapshot(box);
    const tp4 = await runCli(
      ...sim(
        "--op-tables",
        fixture,
        "--replica_config_model_name",
        "codellama/CodeLlama-34b-Instruct-hf",
        "--replica_config_tensor_parallel_size",
        "4",
      ),
    );
    assertOneLineError(tp4, /GEMM times are .*x what codellama\/CodeLlama-34b-Instruct-hf at TP 4/, "TP 4");
    const other = await runCli(...sim("--op-tables", fixture));
    assertOneLineError(other, /made for another model, TP or device/, "Llama-2-7B");
    assert.equal(changes(before, snapshot(box)), []);
  });
} else {
  console.error('skipped "op tables made for another TP or model": ../shared/reference/vidur-parity not found');
}

test.after(() => chmodSync(box, 0o755));
test.run();
