import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCli } from "../helpers/cli.js";
import { duck } from "../helpers/duckdb.js";

const dir = mkdtempSync(join(tmpdir(), "tokenwatt-cli-outputs-"));
const small = ["--synthetic_request_generator_config_num_requests", "200", "--replica_scheduler_config_type", "sarathi"];

test("request_metrics holds the same values in CSV, Arrow and Parquet", async () => {
  const out = join(dir, "all");
  const r = await runCli("simulate", ...small, "--output-dir", out);
  assert.is(r.code, 0, r.stderr);
  const parquet = `'${join(out, "request_metrics.parquet")}'`;
  const csv = `read_csv('${join(out, "request_metrics.csv")}')`;
  for (const [a, b] of [
    [parquet, csv],
    [csv, parquet],
  ]) {
    const diff = await duck(`SELECT count(*) AS n FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`);
    assert.is(Number(diff.rows[0].n), 0, `${a} minus ${b}`);
  }
  const rows = await duck(`SELECT count(*) AS n FROM ${parquet}`);
  assert.is(Number(rows.rows[0].n), 200);
});

test("--parquet-compression picks the codec; the default is uncompressed", async () => {
  const codec = async (args: string[], name: string) => {
    const out = join(dir, name);
    const r = await runCli("simulate", ...small, "--formats", "parquet", ...args, "--output-dir", out);
    assert.is(r.code, 0, r.stderr);
    const q = await duck(`SELECT DISTINCT compression FROM parquet_metadata('${join(out, "request_metrics.parquet")}')`);
    return q.rows.map((row) => row.compression);
  };
  assert.equal(await codec([], "default"), ["UNCOMPRESSED"]);
  assert.equal(await codec(["--parquet-compression", "snappy"], "snappy"), ["SNAPPY"]);
  assert.equal(await codec(["--parquet_compression", "zstd"], "zstd"), ["ZSTD"]);
});

test("an unknown Parquet codec is a one-line input error", async () => {
  const r = await runCli("simulate", ...small, "--parquet-compression", "lz4", "--output-dir", join(dir, "bad"));
  assert.is(r.code, 2);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /parquet_compression.*none, snappy, zstd/);
});

test.run();
