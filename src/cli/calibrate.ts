// Script entry of `npm run calibrate` (kept out of src/predictor/calibrate.ts so importing that module never runs
// it, and here in cli/ because the fixed-cost step runs whole simulations, which sit above the predictor).
//
//   npm run calibrate -- [--profile-dir DIR] [--out DIR] [--only compute|network|fixed-costs|loo]
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveOptions } from "../config/parse.js";
import { ML_ENERGY_ITL_TARGETS, mlEnergyWorkload } from "./ml-energy.js";
import { calibrateAll, defaultVidurProfileDir, leaveOneTpOut } from "../predictor/calibrate.js";
import { fitKernelLaunch } from "../predictor/calibrate-fixed-costs.js";
import type { EfficiencyProfile, NetworkProfile } from "../predictor/efficiency.js";
import { buildOpTables } from "../predictor/index.js";
import { packageRoot } from "../core/repo-root.js";
import { simulate } from "../simulate.js";

const argv = process.argv.slice(2);
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
const out = argv.includes("--out") ? argv[argv.indexOf("--out") + 1]! : join(packageRoot(), "profiles");

if (only === "loo") printLeaveOneOut(out);
else {
  if (only !== "fixed-costs") calibrateAll(argv);
  if (only === undefined || only === "fixed-costs") calibrateFixedCosts(out);
}

/**
 * `--only loo`: leave-one-TP-out errors of the shipped fits (nothing is written): compute ops refitted without
 * each TP degree, and each node's α–β all-reduce model refitted without each worker count.
 */
function printLeaveOneOut(profilesDir: string): void {
  const profileDir = argv.includes("--profile-dir") ? argv[argv.indexOf("--profile-dir") + 1]! : defaultVidurProfileDir();
  const ops = ["attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj", "mlp_act", "input_layernorm", "add"];
  console.log("| device | op | TP | rows | in-sample MAPE % | held-out MAPE % |\n|---|---|---|---|---|---|");
  for (const device of ["a100", "h100", "a40"]) {
    const shipped = JSON.parse(readFileSync(join(profilesDir, "efficiency", `${device}.json`), "utf8")) as EfficiencyProfile;
    for (const r of leaveOneTpOut(profileDir, device, shipped, ops)) {
      console.log(`| ${r.device} | ${r.op} | ${r.tp} | ${r.rows} | ${r.inSampleMapePct} | ${r.heldOutMapePct} |`);
    }
  }
  console.log("\n| node | all_reduce α–β in-sample MAPE % | held-out MAPE % by TP |\n|---|---|---|");
  for (const node of readdirSync(join(profilesDir, "efficiency", "network")).sort()) {
    const net = JSON.parse(readFileSync(join(profilesDir, "efficiency", "network", node), "utf8")) as NetworkProfile;
    const ab = net.all_reduce_alpha_beta;
    if (ab)
      console.log(
        `| ${net.node} | ${ab.mape_pct} | ${Object.entries(ab.leave_one_tp_out_mape_pct ?? {})
          .map(([k, v]) => `TP${k} ${v}`)
          .join(", ")} |`,
      );
  }
}

/**
 * Fixed per-kernel cost from ML.ENERGY's measured median inter-token latencies (Llama-3.1-8B, 1×H100 SXM,
 * vLLM; validation-data.md): the closed-loop workload of src/cli/ml-energy.ts simulated with the roofline
 * at each concurrency. Written to h100 (fitted) and to the other fitted devices (borrowed: no public ITL data).
 */
function calibrateFixedCosts(outDir: string): void {
  const t0 = Date.now();
  const itlMs = (us: number, concurrency: number): number => {
    const run = simulate(resolveOptions(mlEnergyWorkload(concurrency, 2000)), {
      tables: false,
      inputs: { opTables: (source, o) => buildOpTables(source, { ...o, profilesDir: outDir, kernelLaunchUs: us }) },
    });
    return (run.summary as { tbt_s: { p50: number } }).tbt_s.p50 * 1e3;
  };
  const fit = fitKernelLaunch(itlMs, ML_ENERGY_ITL_TARGETS);
  const source =
    "fitted by npm run calibrate (src/predictor/calibrate-fixed-costs.ts) to ML.ENERGY Leaderboard v3 median inter-token latency, " +
    "Llama-3.1-8B on 1x H100 SXM, vLLM, lm-arena-chat, at batch 8/64/255/511 (shared/reference/validation-data.md), " +
    "simulated with the roofline on the workload of src/cli/ml-energy.ts";
  for (const device of ["h100", "a100", "a40"]) {
    const file = join(outDir, "efficiency", `${device}.json`);
    const prof = JSON.parse(readFileSync(file, "utf8")) as EfficiencyProfile;
    prof.fixed_costs =
      device === "h100"
        ? {
            kernel_launch_us: fit.kernel_launch_us,
            source,
            fitted_on: "h100",
            loo: { mape_pct: fit.mape_pct, leave_one_out: fit.leave_one_out },
          }
        : {
            kernel_launch_us: fit.kernel_launch_us,
            source: `borrowed from h100 (no public inter-token latency data for ${device}); ${source}`,
            fitted_on: "h100",
          };
    writeFileSync(file, `${JSON.stringify(prof, null, 2)}\n`);
  }
  const loo = fit.leave_one_out.map((l) => `batch ${l.concurrency}: ${l.error_pct}%`).join(", ");
  console.log(
    `fixed costs: kernel_launch_us ${fit.kernel_launch_us} (in-sample MAPE ${fit.mape_pct}%; leave-one-out ${loo}); ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
}
