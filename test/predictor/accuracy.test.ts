/**
 * Accuracy targets of the predictors (docs/predictor.md): profile mode within 5 % of Vidur's own random-forest
 * predictions per op (parity fixture), and the roofline within 20 % of the measured attention medians.
 */
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { OpTables } from "../../src/core/types.js";
import { buildOpTables, type PredictorOptions } from "../../src/predictor/index.js";
import { readAttentionProfile } from "../../src/predictor/profiling-data.js";
import { makeRoofline } from "../../src/predictor/roofline.js";
import { kvDomain } from "../../src/predictor/vidur-profiles.js";
import { readVidurOpTables } from "../../src/predictor/vidur-op-tables.js";
import { findDevice, findModel, findNode } from "../../src/profiles/catalog.js";
import { withShared } from "../helpers/shared.js";

const FIXTURE = "reference/vidur-parity/codellama34b-tp2/op-tables";
const PROFILES = "data/vidur/profiling";
const ATTENTION = "compute/a100/codellama/CodeLlama-34b-Instruct-hf/attention.csv";
const model = findModel("codellama/CodeLlama-34b-Instruct-hf");
const a100 = findDevice("a100");
const node = findNode("a100_pairwise_nvlink");
const opts = (profileDir?: string): PredictorOptions => ({
  model,
  device: a100,
  node,
  tp: 2,
  pp: 1,
  maxTokens: 4096,
  maxBatch: 128,
  maxChunk: 4096,
  g: 64,
  profileDir,
});

function mape(a: ArrayLike<number>, b: ArrayLike<number>, from = 0): number {
  let e = 0;
  let n = 0;
  for (let i = from; i < b.length; i++) if (b[i]! > 0) (e += Math.abs(a[i]! - b[i]!) / b[i]!), n++;
  return (100 * e) / n;
}

withShared(
  test,
  "profile mode: every op within 5 % of Vidur's random-forest tables (every grid cell)",
  [FIXTURE, PROFILES],
  (fixture, profiles) => {
    const v = readVidurOpTables(fixture, { tp: 2, pp: 1 });
    const t: OpTables = buildOpTables("profile", opts(profiles));
    for (const op of Object.keys(v.tokenOps) as (keyof OpTables["tokenOps"])[]) {
      const m = mape(t.tokenOps[op]!, v.tokenOps[op]!, 1);
      assert.ok(m < 5, `${op} ${m.toFixed(2)} %`);
    }
    const d = mape(t.attnDecode, v.attnDecode);
    assert.ok(d < 5, `attn_decode ${d.toFixed(2)} %`);
    const p = mape(t.attnPrefill, v.attnPrefill);
    assert.ok(p < 5, `attn_prefill ${p.toFixed(2)} %`);
  },
);

withShared(
  test,
  "profile mode clamps outside the profiled domain like Vidur's forests; extrapolation 'roofline' keeps growing",
  [PROFILES],
  (profiles) => {
    const clamp = buildOpTables("profile", opts(profiles));
    const phys = buildOpTables("profile", { ...opts(profiles), profileExtrapolation: "roofline" });
    const C = clamp.prefillMaxChunk;
    const at = (t: OpTables, kv: number, c: number) => t.attnPrefill[(kv / 64) * C + c - 1]!;
    // chunk 2048 is profiled up to kv 2048 (kv + chunk <= max_model_len 4096)
    assert.is(at(clamp, 4032, 2048), at(clamp, 2048, 2048));
    assert.ok(at(phys, 4032, 2048) > 1.3 * at(phys, 2048, 2048));
    // no chunk below 64 is profiled: smaller chunks take chunk 64's time
    assert.is(at(clamp, 1024, 8), at(clamp, 1024, 64));
    // inside the domain both modes agree
    assert.is(at(clamp, 1024, 1024), at(phys, 1024, 1024));
  },
);

test("kvDomain: x clamped to its range, kv to the range of the nearest profiled x in feature space", () => {
  // profiled: x = 64 with kv 0..4032, x = 128 with kv 0..3968
  const d = kvDomain([64, 64, 128, 128], [0, 4032, 0, 3968], 200, (x) => x * x);
  assert.is(d.x(10), 64);
  assert.is(d.x(150), 128);
  assert.is(d.kv(10, 5000), 4032);
  assert.is(d.kv(64, -1), 0);
  assert.is(d.kv(90, 5000), 4032); // 90² is nearer 64² than 128²
  assert.is(d.kv(100, 5000), 4032); // 100² is still nearer 64² than 128²
  assert.is(d.kv(110, 5000), 3968); // 110² is nearer 128²
  assert.is(d.kv(199, 100), 100);
});

withShared(
  test,
  "roofline attention within 20 % of the measured a100 medians (CodeLlama-34B TP2 attention.csv)",
  [PROFILES],
  (profiles) => {
    const a = readAttentionProfile(join(profiles, ATTENTION));
    const rf = makeRoofline(model, a100, node, { tp: 2, pp: 1, fixedCosts: false }); // kernel-timed profile: no launch gaps
    let pe = 0;
    let pn = 0;
    let de = 0;
    let dn = 0;
    for (let i = 0; i < a.rows; i++) {
      if (a.tp[i] !== 2) continue;
      if (a.chunk[i]! > 0 && a.prefill[i]! > 0) (pe += Math.abs(rf.prefill(a.kv[i]!, a.chunk[i]!).ms / a.prefill[i]! - 1)), pn++;
      else if (a.chunk[i] === 0 && a.decode[i]! > 0) (de += Math.abs(rf.decode(a.batchSize[i]!, a.kv[i]!).ms / a.decode[i]! - 1)), dn++;
    }
    assert.ok(pn > 4000 && dn > 10000);
    assert.ok((100 * pe) / pn < 20, `attn_prefill ${((100 * pe) / pn).toFixed(1)} %`);
    assert.ok((100 * de) / dn < 20, `attn_decode ${((100 * de) / dn).toFixed(1)} %`);
  },
);

test.run();
