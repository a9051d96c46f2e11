/**
 * End-to-end accuracy of the execution-time predictors: the Vidur parity scenario (CodeLlama-34B TP2 on A100,
 * 2000 requests of the fixture's trace, vLLM and Sarathi chunk 512) simulated with tokenwatt's own predictors
 * instead of Vidur's op tables must land near Vidur's TTFT and e2e p50/p90 (expected-{vllm,sarathi}/summary.json):
 * within 10 % with --profile-dir (Vidur's profiling CSVs), within 20 % with the roofline (no profile).
 * Nothing here is fitted to the expected request metrics; they are only compared against.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { simulate } from "../../src/simulate.js";
import { PARITY_FIXTURE, parityOptions } from "../helpers/parity.js";
import { withShared } from "../helpers/shared.js";

const FIXTURE = PARITY_FIXTURE;
const PROFILES = "data/vidur/profiling";

interface Latency {
  p50: number;
  p90: number;
}

function run(fixture: string, scheduler: "vllm" | "sarathi", profileDir?: string): Record<string, Latency> {
  const r = simulate(resolveOptions(parityOptions(fixture, scheduler, profileDir ? { profile_dir: profileDir } : {})), { tables: false });
  const want = profileDir ? /^profile:/ : /^roofline/;
  for (const op of ["attn_prefill", "attn_decode", "mlp_up_proj"]) assert.match(r.scenario.opTables.sources[op]!, want, op);
  return r.summary as unknown as Record<string, Latency>;
}

for (const scheduler of ["vllm", "sarathi"] as const) {
  for (const [mode, tol] of [
    ["profile", 0.1],
    ["roofline", 0.2],
  ] as const) {
    withShared(
      test,
      `${scheduler} with the ${mode} predictor: TTFT and e2e p50/p90 within ${tol * 100} % of Vidur`,
      [FIXTURE, PROFILES],
      (fixture, profiles) => {
        const expected = JSON.parse(readFileSync(join(fixture, `expected-${scheduler}`, "summary.json"), "utf8")) as Record<
          string,
          Latency
        >;
        const got = run(fixture, scheduler, mode === "profile" ? profiles : undefined);
        const report: string[] = [];
        for (const metric of ["ttft_s", "e2e_latency_s"]) {
          for (const q of ["p50", "p90"] as const) {
            const rel = got[metric]![q] / expected[metric]![q] - 1;
            report.push(`${metric}.${q} ${(100 * rel).toFixed(1)} %`);
            assert.ok(
              Math.abs(rel) <= tol,
              `${metric} ${q}: ${got[metric]![q].toFixed(2)} s vs Vidur ${expected[metric]![q].toFixed(2)} s (${(100 * rel).toFixed(1)} %)`,
            );
          }
        }
        console.log(`  ${scheduler}/${mode}: ${report.join(", ")}`);
      },
    );
  }
}

test.run();
