/**
 * Sparse op tables: Vidur's prediction cache often holds only the keys its run looked up. tokenwatt loads such
 * tables; a missing key is an error only when a batch needs it, and then names the op and the key.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { materialize } from "../../src/tables/chunked.js";
import { simulate } from "../../src/simulate.js";
import { runCli } from "../helpers/cli.js";
import { PARITY_FIXTURE, parityOptions } from "../helpers/parity.js";
import { withShared } from "../helpers/shared.js";

/** A copy of the fixture's op tables with the attn_prefill rows for which `drop(kv, chunk)` holds removed. */
function sparseCopy(fixture: string, drop: (kv: number, chunk: number) => boolean): string {
  const src = join(fixture, "op-tables");
  const dir = mkdtempSync(join(tmpdir(), "tw-sparse-"));
  for (const f of readdirSync(src)) if (f !== "attn_prefill.csv") copyFileSync(join(src, f), join(dir, f));
  const lines = readFileSync(join(src, "attn_prefill.csv"), "utf8").split("\n");
  const kept = lines.filter((l, i) => {
    if (i === 0 || l === "") return true;
    const [kv, c2] = l.split(",").map(Number);
    return !drop(kv!, Math.sqrt(c2!));
  });
  writeFileSync(join(dir, "attn_prefill.csv"), kept.join("\n"));
  return dir;
}

function e2e(fixture: string, opTables: string): Float64Array {
  const run = simulate(resolveOptions(parityOptions(fixture, "vllm", { op_tables: opTables })));
  const t = materialize(run.tables.find((x) => x.name === "request_metrics")!);
  return t.columns.find((c) => c.name === "request_e2e_time")!.data as Float64Array;
}

withShared(test, "keys the run never needs may be missing: results bit-identical to the full table", [PARITY_FIXTURE], (fixture) => {
  // vLLM prefills whole prompts of >= 975 tokens here, so no batch looks up a chunk below 900
  // (the held-out caches lacked e.g. chunk=1, kv_cache_size=0).
  const sparse = sparseCopy(fixture, (_kv, c) => c < 900);
  assert.equal(Array.from(e2e(fixture, sparse)), Array.from(e2e(fixture, join(fixture, "op-tables"))));
});

/** Runs one request of 1266 prompt tokens (alone in its batch) on `sparse`; returns the one-line error. */
async function oneRequestError(fixture: string, sparse: string): Promise<string> {
  const trace = join(sparse, "trace.csv");
  writeFileSync(trace, "arrived_at,num_prefill_tokens,num_decode_tokens\n0.5,1266,4\n");
  const o = parityOptions(fixture, "vllm", { op_tables: sparse, trace_request_generator_config_trace_file: trace });
  const args = Object.entries(o).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const r = await runCli("simulate", ...args, "--output-dir", join(sparse, "out"));
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stderr.trim().split("\n").length, 1);
  return r.stderr;
}

withShared(test, "a needed attn_prefill key that is missing fails with the op, the key and the file", [PARITY_FIXTURE], async (fixture) => {
  const sparse = sparseCopy(fixture, (kv, c) => kv === 0 && c === 1266);
  const err = await oneRequestError(fixture, sparse);
  assert.match(err, /attn_prefill\.csv: attn_prefill has no prediction for kv_cache_size=0, prefill_chunk_size_squared=1602756/);
});

withShared(test, "a needed token-op key that is missing fails with the op and num_tokens (ceil8)", [PARITY_FIXTURE], async (fixture) => {
  const sparse = sparseCopy(fixture, () => false);
  const f = join(sparse, "mlp_act.csv");
  writeFileSync(
    f,
    readFileSync(f, "utf8")
      .split("\n")
      .filter((l) => !l.startsWith("1272,"))
      .join("\n"),
  );
  const err = await oneRequestError(fixture, sparse);
  assert.match(err, /mlp_act\.csv: mlp_act has no prediction for num_tokens=1272/);
});

test.run();
