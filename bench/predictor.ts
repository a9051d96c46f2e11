/**
 * Accuracy and speed of the execution-time predictors (docs/predictor.md, bench/RESULTS.md
 * "## Execution-time prediction").
 *
 *   node --import tsx bench/predictor.ts [--lomo] [--shared DIR]
 *
 * 1. Op tables vs Vidur's own random-forest predictions (parity fixture, CodeLlama-34B TP2 A100): MAPE per op,
 *    every grid cell (token ops T = 1..4096, attn_decode 128 × 65, attn_prefill 65 × 4096).
 * 2. Roofline and profile vs Vidur's profiling medians (all devices; profile = 10-fold CV, roofline in-sample).
 * 3. --lomo: leave-one-model-out roofline MAPE on the four GEMMs (efficiencies refitted without the model).
 * 4. Time to build op tables on the 16,384-token grid (best of 3).
 * 5. End to end: the parity scenario with --profile-dir and with the roofline vs Vidur's TTFT / e2e p50, p90.
 * DIR defaults to ../shared next to the repository (or $TOKENWATT_SHARED_DIR).
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveOptions } from "../src/config/parse.js";
import { parityOptions } from "../test/helpers/parity.js";
import { accuracyTable } from "../src/predictor/accuracy.js";
import { deviceSamples, fitEfficiency, mape } from "../src/predictor/calibrate.js";
import { loadEfficiency, opTimeMs } from "../src/predictor/efficiency.js";
import { buildOpTables, type PredictorOptions } from "../src/predictor/index.js";
import { readVidurOpTables } from "../src/predictor/vidur-op-tables.js";
import type { Sample } from "../src/predictor/profile-samples.js";
import { findDevice, findModel, findNode } from "../src/profiles/catalog.js";
import { packageRoot } from "../src/core/repo-root.js";
import { simulate } from "../src/simulate.js";
import type { OpTables } from "../src/core/types.js";

const argv = process.argv.slice(2);
const flag = (f: string) => argv.includes(f);
const arg = (f: string) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : undefined);
const shared = resolve(arg("--shared") ?? process.env.TOKENWATT_SHARED_DIR ?? join(packageRoot(), "..", "shared"));
const profileDir = join(shared, "data", "vidur", "profiling");
const fixture = join(shared, "reference", "vidur-parity", "codellama34b-tp2");
const pct = (x: number) => x.toFixed(2);

const base: PredictorOptions = {
  model: findModel("codellama/CodeLlama-34b-Instruct-hf"),
  device: findDevice("a100"),
  node: findNode("a100_pairwise_nvlink"),
  tp: 2,
  pp: 1,
  maxTokens: 4096,
  maxBatch: 128,
  maxChunk: 4096,
  g: 64,
  profileDir,
};

// 1. Op tables vs Vidur's predictions.
function tableMape(t: OpTables, v: OpTables): Record<string, number> {
  const out: Record<string, number> = {};
  const m = (a: ArrayLike<number>, b: ArrayLike<number>, from: number, keep: (i: number) => boolean = () => true) => {
    let e = 0;
    let n = 0;
    for (let i = from; i < b.length; i++) if (keep(i) && b[i]! > 0) (e += Math.abs(a[i]! - b[i]!) / b[i]!), n++;
    return (100 * e) / n;
  };
  for (const op of Object.keys(v.tokenOps) as (keyof OpTables["tokenOps"])[]) out[op] = m(t.tokenOps[op]!, v.tokenOps[op]!, 1);
  out.attn_decode = m(t.attnDecode, v.attnDecode, 0);
  out.attn_prefill = m(t.attnPrefill, v.attnPrefill, 0);
  const C = v.prefillMaxChunk;
  const inside = (i: number) => Math.floor(i / C) * v.kvGranularity + (i % C) + 1 <= 4096 && (i % C) + 1 >= 64;
  out["attn_prefill (profiled domain: chunk ≥ 64, kv + chunk ≤ 4096)"] = m(t.attnPrefill, v.attnPrefill, 0, inside);
  out["attn_prefill (outside it)"] = m(t.attnPrefill, v.attnPrefill, 0, (i) => !inside(i));
  return out;
}

console.log(`# Execution-time predictor bench (shared data: ${shared})\n`);
const vidur = readVidurOpTables(join(fixture, "op-tables"), { tp: 2, pp: 1 });
const roofT = buildOpTables("roofline", base);
const profT = buildOpTables("profile", base);
const rm = tableMape(roofT, vidur);
const pm = tableMape(profT, vidur);
console.log("## Op tables vs Vidur's random-forest predictions (CodeLlama-34B TP2 A100, every grid cell)\n");
console.log("| op | roofline MAPE % | profile MAPE % |\n|---|---|---|");
for (const op of Object.keys(pm)) console.log(`| ${op} | ${pct(rm[op]!)} | ${pct(pm[op]!)} |`);
console.log("\n(attn_kv_cache_save is 0 in Vidur's tables — the profile has no such column — and not compared.)\n");

// 2. Against the profiling medians.
console.log("## Against Vidur's profiling medians (profile: 10-fold CV; roofline: shipped efficiencies, in-sample)\n");
console.log("| device | op | rows | profile CV MAPE % | roofline MAPE % |\n|---|---|---|---|---|");
for (const r of accuracyTable(profileDir)) console.log(`| ${r.device} | ${r.op} | ${r.rows} | ${pct(r.cvMape)} | ${pct(r.rooflineMape)} |`);
console.log();

// 3. Leave-one-model-out roofline on the GEMMs.
if (flag("--lomo")) {
  console.log("## Roofline GEMMs, leave one model out (efficiencies refitted on the other models, warm-started from the shipped fit)\n");
  console.log("| device | op | models | LOMO MAPE % | worst held-out model |\n|---|---|---|---|---|");
  for (const device of ["a100", "a40", "h100"]) {
    const spec = findDevice(device);
    const samples = deviceSamples(profileDir, device);
    const shipped = loadEfficiency(join(packageRoot(), "profiles"), spec.efficiency_profile ?? spec.name);
    for (const op of ["attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj"]) {
      const all = samples.get(op)!;
      // one group per model layer shape (all its TP degrees); identical shapes (Llama-2/3-70B) are held out together
      const byModel = new Map<string, Sample[]>();
      for (const s of all) {
        const k = `${s.shard.hidden}/${s.shard.qHeads * s.tp}/${s.shard.inter * s.tp}`;
        byModel.set(k, [...(byModel.get(k) ?? []), s]);
      }
      let err = 0;
      let n = 0;
      let worst = ["", 0] as [string, number];
      for (const [k, held] of [...byModel.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const train = all.filter((s) => !held.includes(s));
        // warm start from the shipped (all-model) fit, then Nelder–Mead on the other models only
        const e = fitEfficiency(train, spec.fp16_tflops, spec.memory_bandwidth_gbps!, shipped.ops[op]);
        const m = mape(held, (s) => opTimeMs(s, s.size, spec.fp16_tflops, spec.memory_bandwidth_gbps!, e));
        err += (m * held.length) / 100;
        n += held.length;
        if (m > worst[1]) worst = [k, m];
      }
      console.log(`| ${device} | ${op} | ${byModel.size} | ${pct((100 * err) / n)} | ${pct(worst[1])} (hidden/heads/inter ${worst[0]}) |`);
    }
  }
  console.log();
}

// 4. Build time on the 16,384-token grid.
console.log("## Op-table build time, 16,384-token grid (257 × 16,384 prefill cells), best of 3\n");
const big = { ...base, maxTokens: 16384, maxChunk: 16384 };
for (const src of ["roofline", "profile"]) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    buildOpTables(src, big);
    best = Math.min(best, performance.now() - t0);
  }
  console.log(`- ${src}: ${(best / 1000).toFixed(2)} s`);
}
console.log();

// 5. End to end.
console.log("## End to end: parity scenario vs Vidur (relative error of tokenwatt's value)\n");
console.log("| scheduler | predictor | TTFT p50 | TTFT p90 | e2e p50 | e2e p90 | busy time vs Vidur |\n|---|---|---|---|---|---|---|");
type Lat = { p50: number; p90: number };
for (const scheduler of ["vllm", "sarathi"] as const) {
  const expected = JSON.parse(readFileSync(join(fixture, `expected-${scheduler}`, "summary.json"), "utf8")) as Record<string, Lat>;
  const eb = readFileSync(join(fixture, `expected-${scheduler}`, "batch_metrics.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  const expectedBusy = eb.reduce((s, l) => s + Number(l.split(",")[5]), 0);
  for (const mode of ["profile", "roofline"] as const) {
    const run = simulate(resolveOptions(parityOptions(fixture, scheduler, mode === "profile" ? { profile_dir: profileDir } : {})), {
      tables: false,
    });
    const s = run.summary as unknown as Record<string, Lat>;
    const busy = run.result.counters.batchExecutionTimeSum;
    const rel = (m: string, q: "p50" | "p90") => `${(100 * (s[m]![q] / expected[m]![q] - 1)).toFixed(1)} %`;
    console.log(
      `| ${scheduler} | ${mode} | ${rel("ttft_s", "p50")} | ${rel("ttft_s", "p90")} | ${rel("e2e_latency_s", "p50")} | ${rel("e2e_latency_s", "p90")} | ${(100 * (busy / expectedBusy - 1)).toFixed(1)} % (${run.result.counters.batches} batches, Vidur ${eb.length}) |`,
    );
  }
}
