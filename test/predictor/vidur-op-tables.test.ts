import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readVidurOpTables } from "../../src/predictor/vidur-op-tables.js";
import { InputError } from "../../src/core/errors.js";
import { withShared } from "../helpers/shared.js";

const FIXTURE = "reference/vidur-parity/codellama34b-tp2/op-tables";

/** The `prediction` of the CSV row whose key columns equal `key` (independent of the reader under test). */
function csvValue(file: string, key: string): number {
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${key},`));
  if (!line) throw new Error(`${key} not in ${file}`);
  return Number(line.slice(key.length + 1));
}

withShared(test, "fixture op tables: values at sample keys equal the CSV", [FIXTURE], (dir) => {
  const t = readVidurOpTables(dir, { tp: 2, pp: 1 });
  assert.is(t.maxTokens, 4096);
  assert.is(t.tokenOps.mlp_up_proj![512], csvValue(join(dir, "mlp_up_proj.csv"), "512"));
  assert.is(t.tokenOps.all_reduce![4096], csvValue(join(dir, "all_reduce.csv"), "4096"));
  assert.is(t.attnKvCacheSave[17], csvValue(join(dir, "attn_kv_cache_save.csv"), "17"));
  assert.is(t.attnDecode[(37 - 1) * t.decodeKvSteps + 1024 / 64], csvValue(join(dir, "attn_decode.csv"), "37,1024"));
  assert.is(t.attnPrefill[(2048 / 64) * t.prefillMaxChunk + (300 - 1)], csvValue(join(dir, "attn_prefill.csv"), `2048,${300 * 300}`));
  assert.is(t.sources.attn_prefill, `op-tables:${join(dir, "attn_prefill.csv")}`);
});

withShared(test, "fixture op tables: grid shapes and TP/PP-dependent ops", [FIXTURE], (dir) => {
  const t = readVidurOpTables(dir, { tp: 2, pp: 1 });
  assert.is(t.decodeMaxBatch, 128);
  assert.is(t.decodeKvSteps, 65);
  assert.is(t.prefillMaxChunk, 4096);
  assert.is(t.prefillKvSteps, 65);
  assert.is(t.attnPrefill.length, 65 * 4096);
  assert.is(t.tokenOps.send_recv, undefined);
  // TP1 must not carry all_reduce even though the file exists.
  assert.is(readVidurOpTables(dir, { tp: 1, pp: 1 }).tokenOps.all_reduce, undefined);
});

withShared(test, "fixture op tables: PP>1 requires send_recv", [FIXTURE], (dir) => {
  assert.throws(
    () => readVidurOpTables(dir, { tp: 2, pp: 2 }),
    (e: Error) => e instanceof InputError && /required op send_recv/.test(e.message),
  );
});

// load time of this table is measured in bench/predictor.ts, not asserted here
withShared(test, "fixture op tables: the 266k-row attn_prefill fills the whole dense grid", [FIXTURE], (dir) => {
  const t = readVidurOpTables(dir, { tp: 2, pp: 1 });
  assert.is(t.attnPrefill.length, t.prefillKvSteps * t.prefillMaxChunk);
  assert.ok(t.attnPrefill.every((v) => Number.isFinite(v)));
});

/** A tiny complete table set: maxTokens 8, g 4, decode batch ≤ 2, chunk ≤ 2. */
function tinyDir(opts: { cacheNames?: boolean; gz?: boolean; drop?: string; dropPrefillKey?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "tw-ops-"));
  const put = (op: string, body: string): void => {
    if (op === opts.drop) return;
    const base = opts.cacheNames ? `${op}_1a2b3c4d_predictions.csv` : `${op}.csv`;
    if (opts.gz) writeFileSync(join(dir, `${base}.gz`), gzipSync(body));
    else writeFileSync(join(dir, base), body);
  };
  const tok = (scale: number): string =>
    `num_tokens,prediction\n${Array.from({ length: 8 }, (_, i) => `${i + 1},${scale * (i + 1)}`).join("\n")}\n`;
  for (const op of [
    "attn_pre_proj",
    "attn_post_proj",
    "attn_rope",
    "input_layernorm",
    "mlp_up_proj",
    "mlp_down_proj",
    "mlp_act",
    "post_attention_layernorm",
    "add",
    "all_reduce",
    "attn_kv_cache_save",
  ])
    put(op, tok(0.5));
  let dec = "batch_size,kv_cache_size,prediction\n";
  for (let b = 1; b <= 2; b++) for (let kv = 0; kv <= 8; kv += 4) dec += `${b},${kv},${b * 10 + kv}\n`;
  put("attn_decode", dec);
  let pre = "kv_cache_size,prefill_chunk_size_squared,prediction\n";
  for (let kv = 0; kv <= 8; kv += 4)
    for (let c = 1; c <= 2; c++) if (!(opts.dropPrefillKey && kv === 4 && c === 2)) pre += `${kv},${c * c},${kv * 100 + c}\n`;
  put("attn_prefill", pre);
  return dir;
}

test("tiny tables: dense layouts (decode batch-major, prefill kv-major)", () => {
  const t = readVidurOpTables(tinyDir(), { tp: 2, pp: 1, g: 4 });
  assert.is(t.tokenOps.add![8], 4);
  assert.is(t.attnDecode[(2 - 1) * 3 + 8 / 4], 28);
  assert.is(t.attnPrefill[(4 / 4) * 2 + (2 - 1)], 402);
});

test("Vidur cache names <op>_<hash>_predictions.csv and .csv.gz are found", () => {
  assert.is(readVidurOpTables(tinyDir({ cacheNames: true }), { tp: 2, pp: 1, g: 4 }).tokenOps.add![3], 1.5);
  assert.is(readVidurOpTables(tinyDir({ gz: true }), { tp: 2, pp: 1, g: 4 }).attnDecode[0], 10);
});

test("sparse tables load: a key without a row is NaN (the engine reports it only if a batch needs it)", () => {
  const t = readVidurOpTables(tinyDir({ dropPrefillKey: true }), { tp: 2, pp: 1, g: 4 });
  assert.ok(Number.isNaN(t.attnPrefill[(4 / 4) * 2 + (2 - 1)]!));
  assert.is(t.attnPrefill[(4 / 4) * 2 + (1 - 1)], 401);
});

test("maxTokens beyond the token-op files leaves NaN above the last key", () => {
  const t = readVidurOpTables(tinyDir(), { tp: 1, pp: 1, g: 4, maxTokens: 9 });
  assert.is(t.tokenOps.attn_pre_proj![8], 4);
  assert.ok(Number.isNaN(t.tokenOps.attn_pre_proj![9]!));
});

test("missing all_reduce is an error only when TP > 1", () => {
  const dir = tinyDir({ drop: "all_reduce" });
  assert.is(readVidurOpTables(dir, { tp: 1, pp: 1, g: 4 }).tokenOps.all_reduce, undefined);
  assert.throws(() => readVidurOpTables(dir, { tp: 2, pp: 1, g: 4 }), /required op all_reduce/);
});

test("non-numeric prediction → InputError with file and line", () => {
  const dir = tinyDir();
  writeFileSync(join(dir, "add.csv"), "num_tokens,prediction\n1,0.1\n2,abc\n");
  assert.throws(() => readVidurOpTables(dir, { tp: 2, pp: 1, g: 4 }), /add\.csv:3: prediction must be a finite number, got 'abc'/);
});

test.run();
