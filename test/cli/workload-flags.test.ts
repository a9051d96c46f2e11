import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { runCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/shared.js";

const dir = mkdtempSync(join(tmpdir(), "tokenwatt-workload-cli-"));
let runs = 0;
const SMALL = ["--formats", "csv", "--no-energy"];

/** Bad input: exit 2, one line on stderr, and the output directory never created. */
async function expectInputError(args: string[], pattern: RegExp): Promise<void> {
  const out = join(dir, `bad-${runs++}`);
  const r = await runCli("simulate", "--output-dir", out, ...SMALL, ...args);
  assert.is(r.code, 2, `exit code for ${args.join(" ")}: ${r.stderr}`);
  const lines = r.stderr.trim().split("\n");
  assert.is(lines.length, 1, `one line: ${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.not.ok(existsSync(out), "nothing written");
}

const diurnal = ["--interval-generator-config-type", "diurnal", "--diurnal-peak-qps", "2", "--diurnal-trough-qps", "1", "--duration", "60"];

test("deadline <= 0 is refused", async () => {
  await expectInputError(
    [...diurnal, "--deferrable-fraction", "0.5", "--deferrable-deadline-s", "0"],
    /--deferrable_deadline_s must be > 0, got 0/,
  );
  await expectInputError(
    [...diurnal, "--deferrable-fraction", "0.5", "--deferrable-deadline-s", "-3"],
    /--deferrable_deadline_s must be a number >= 0, got "-3"/,
  );
});

test("a deferrable fraction outside [0, 1] is refused", async () => {
  await expectInputError([...diurnal, "--deferrable-fraction", "1.2"], /--deferrable_fraction must be a number in \[0, 1\], got "1\.2"/);
  await expectInputError([...diurnal, "--deferrable-fraction", "-0.1"], /--deferrable_fraction must be a number in \[0, 1\]/);
});

test("a rate trace shorter than the duration is refused", async () => {
  const trace = join(dir, "rate.csv");
  writeFileSync(trace, "time,qps\n0,1\n600,2\n");
  await expectInputError(
    ["--interval-generator-config-type", "rate_trace", "--arrival-rate-trace", trace, "--duration", "3600"],
    /rate\.csv covers the run until t = 1200 s, shorter than --duration 3600 s/,
  );
});

test("diurnal flags with another interval generator given are refused, not ignored", async () => {
  await expectInputError(
    ["--diurnal-peak-qps", "3", "--interval_generator_config_type", "poisson"],
    /--diurnal-peak-qps applies to --interval_generator_config_type diurnal/,
  );
});

test("a flag of one interval generator selects it when none is given; flags of two select neither", async () => {
  const opts = resolveOptions({ arrival_rate_trace: "rate.csv" });
  assert.is(opts.interval_generator_config_type, "rate_trace");
  assert.is(resolveOptions({ diurnal_peak_qps: "3" }).interval_generator_config_type, "diurnal");
  assert.is(resolveOptions({}, { diurnal_peak_qps: 3 }).interval_generator_config_type, "diurnal");
  assert.is(resolveOptions({ diurnal_peak_qps: "3", arrival_rate_trace: "r.csv" }).interval_generator_config_type, "poisson");
  await expectInputError(["--diurnal-peak-qps", "3", "--arrival-rate-trace", "r.csv"], /applies to --interval_generator_config_type/);
});

test("--duration sets the synthetic workload's length; classes add class and deadline_s columns and summary keys", async () => {
  const out = join(dir, "ok");
  const classes = ["--deferrable-fraction", "0.5", "--deferrable-deadline-s", "30"];
  const r = await runCli("simulate", "--output-dir", out, ...SMALL, ...diurnal, ...classes);
  assert.is(r.code, 0, r.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  const what = `${summary.num_requests} requests until ${summary.last_request_arrival_s} s`;
  assert.ok(summary.last_request_arrival_s < 60 && summary.num_requests > 40, what);
  assert.equal(Object.keys(summary.classes), ["interactive", "deferrable"]);
  assert.is(summary.classes.interactive.requests + summary.classes.deferrable.requests, summary.num_requests);
  assert.is(typeof summary.served_output_tokens, "number");
  const csv = readFileSync(join(out, "request_metrics.csv"), "utf8").split("\n");
  assert.ok(csv[0].endsWith(",class,deadline_s"), csv[0]);
  const rows = csv.slice(1).filter(Boolean);
  assert.ok(
    rows.every((row) => /,0,$/.test(row) || /,1,30$/.test(row)),
    "interactive rows: no deadline; deferrable: 30",
  );
});

test("the diurnal example of docs/workload.md runs as written", async () => {
  const md = readFileSync(join(REPO_ROOT, "docs/workload.md"), "utf8");
  const block = /<!-- example-diurnal -->\s*```sh\n([\s\S]*?)```/.exec(md);
  assert.ok(block, "docs/workload.md has the example block");
  const args = block![1].replace(/\\\n/g, " ").trim().split(/\s+/);
  assert.equal(args.slice(0, 2), ["npx", "tokenwatt"]);
  const cwd = process.cwd();
  process.chdir(mkdtempSync(join(tmpdir(), "tokenwatt-doc-")));
  try {
    const r = await runCli(...args.slice(2));
    assert.is(r.code, 0, r.stderr);
    const summary = JSON.parse(readFileSync(join("out/diurnal", "summary.json"), "utf8"));
    assert.ok(summary.classes.deferrable.requests > 0.25 * summary.num_requests);
    assert.ok(summary.num_requests > 20_000 && summary.num_requests < 32_000, String(summary.num_requests));
  } finally {
    process.chdir(cwd);
  }
});

test.run();
