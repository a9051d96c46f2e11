/** Vidur's --execution_time_predictor_config_type and --metrics_config_* flags: mapped, or one notice line. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOption, optionDefaults } from "../../src/config/options.js";
import { VIDUR_COMPAT_OPTIONS, vidurCompatNotice } from "../../src/config/vidur-compat.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../sweep/helpers.js";

const base = ["--synthetic_request_generator_config_num_requests", "10", "--formats", "csv"];

test("every Vidur metrics/predictor-type flag is an option, in both spellings", () => {
  for (const name of [
    "execution_time_predictor_config_type",
    "metrics_config_write_metrics",
    "metrics_config_store_plots",
    "metrics_config_wandb_project",
    "metrics_config_wandb_group",
    "metrics_config_wandb_run_name",
    "metrics_config_store_operation_metrics",
    "metrics_config_store_utilization_metrics",
    "metrics_config_write_json_trace",
    "metrics_config_cache_dir",
    "metrics_config_store_request_metrics",
    "metrics_config_store_batch_metrics",
  ]) {
    assert.ok(findOption(name), name);
    assert.ok(findOption(name.replace(/_/g, "-")), name);
  }
});

test("nothing given: no notice; unmapped flags given: one line naming each", () => {
  assert.is(vidurCompatNotice(optionDefaults()), undefined);
  const n = vidurCompatNotice({
    ...optionDefaults(),
    metrics_config_store_plots: false,
    metrics_config_wandb_project: "p",
    metrics_config_write_metrics: false,
  })!;
  assert.match(n, /^notice: Vidur flags accepted without effect: --metrics_config_store_plots \(.*\); --metrics_config_wandb_project \(/);
  assert.not.match(n, /write_metrics/); // mapped, so not in the notice
  assert.is(n.split("\n").length, 1);
});

test("a Vidur command line runs: unmapped flags earn one notice line on stderr, exit 0", async () => {
  const out = join(tempDir("tw-compat-"), "o");
  const r = await runCli(
    "simulate",
    ...base,
    "--output-dir",
    out,
    "--execution_time_predictor_config_type",
    "linear_regression",
    "--no-metrics_config_store_plots",
    "--metrics_config_store_utilization_metrics",
    "--metrics_config_wandb_project",
    "vidur",
    "--metrics_config_cache_dir",
    "cache",
    "--no-metrics_config_write_json_trace",
    "--metrics_config_store_operation_metrics",
  );
  assert.is(r.code, 0, r.stderr);
  const lines = r.stderr
    .trim()
    .split("\n")
    .filter((l) => l.startsWith("notice:"));
  assert.is(lines.length, 1);
  for (const f of [
    "execution_time_predictor_config_type",
    "metrics_config_store_plots",
    "metrics_config_wandb_project",
    "metrics_config_cache_dir",
  ])
    assert.match(lines[0]!, `--${f}`);
  assert.ok(existsSync(join(out, "request_metrics.csv")));
});

test("mapped: --no-metrics_config_write_metrics writes only summary.json and config.json; --no-…_store_request_metrics drops request_metrics", async () => {
  const a = join(tempDir("tw-compat-"), "a");
  assert.is((await runCli("simulate", ...base, "--output-dir", a, "--no-metrics_config_write_metrics")).code, 0);
  assert.equal(readdirSync(a).sort(), ["config.json", "manifest.json", "summary.json"]); // manifest: transaction.ts
  const b = join(tempDir("tw-compat-"), "b");
  assert.is((await runCli("simulate", ...base, "--output-dir", b, "--no-metrics_config_store_request_metrics")).code, 0);
  assert.ok(!existsSync(join(b, "request_metrics.csv")));
  assert.ok(existsSync(join(b, "requests.csv")));
});

test("the compat options all default to null (so only given flags are reported)", () => {
  for (const [name, def] of Object.entries(VIDUR_COMPAT_OPTIONS)) assert.is(def.default, null, name);
});

test.run();
