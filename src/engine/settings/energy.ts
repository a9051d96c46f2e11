/** Engine settings of power and energy accounting (assembly/energy.ts); all 0 (off) without power settings. */
import { powerModelByName } from "../../plugins/power-models/index.js";
import type { PowerSettings } from "../../energy/types.js";
import type { Scenario } from "../../scenario/types.js";
import { group, setting, type EngineSetting } from "./types.js";

/** The power model's six parameters; their meaning is the model's (src/plugins/power-models/<model>.ts). */
const modelParams: EngineSetting<PowerSettings>[] = [0, 1, 2, 3, 4, 5].map((i) =>
  setting(
    "f64",
    `powerModelParam${i}`,
    `power model parameter ${i} (meaning per model)`,
    (p: PowerSettings) => p.modelParams.params[i] ?? 0,
  ),
);

export const energySettings = group("energy", (s: Scenario) => s.power, [
  setting("bool", "energyOn", "integrate GPU power over the run", () => true, "energy"),
  setting("i32", "powerModel", "power model code (src/plugins/power-models/)", (p) => powerModelByName(p.model).code, "power_model"),
  setting("f64", "gapPowerW", "W per GPU between batch stages (idle but serving)", (p) => p.modelParams.gapW),
  setting("f64", "basePowerW", "W per GPU at zero utilisation inside a stage", (p) => p.modelParams.baseW),
  setting("f64", "maxPowerW", "W per GPU at full load", (p) => p.modelParams.maxW),
  ...modelParams,
  setting("f64", "peakFlops", "vendor dense FP16/BF16 FLOP/s per GPU (compute utilisation)", (p) => p.peakFlops),
  setting("f64", "memoryBandwidth", "HBM bytes/s per GPU (memory utilisation)", (p) => p.memoryBandwidth),
  setting("f64", "workTokenFlops", "FLOPs per new token per stage per GPU (linear ops)", (p) => p.work.tokenFlops),
  setting("f64", "workPairFlops", "FLOPs per causal attention pair per stage per GPU", (p) => p.work.pairFlops),
  setting("f64", "workTokenBytes", "HBM bytes per new token per stage per GPU", (p) => p.work.tokenBytes),
  setting("f64", "workContextBytes", "HBM bytes per attended context token per stage per GPU (KV read)", (p) => p.work.ctxBytes),
  setting("f64", "workFixedBytes", "HBM bytes per stage per GPU independent of the batch (weights)", (p) => p.work.fixedBytes),
  setting("f64", "gpusPerStage", "tensor-parallel GPUs of one pipeline stage", (p) => p.gpusPerStage),
  setting("f64", "powerCapW", "W per GPU, 0 = none (stretches compute-bound time)", (p) => p.powerCapW, "power_cap_w"),
  setting("f64", "clockFraction", "SM clock / nominal, 0 = nominal", (p) => p.clockFraction, "gpu_clock_fraction"),
  setting("f64", "dvfsExponent", "dynamic power ~ clock^exponent", (p) => p.dvfsExponent),
  setting("f64", "minClockFraction", "lowest clock a cap can force", (p) => p.minClockFraction),
  setting("f64", "timelineStepS", "s per power-timeline bucket", (p) => p.resolutionS, "power_resolution"),
  setting("f64", "energyHorizonS", "integrate to max(makespan, this)", (p) => p.horizonS, "time_limit"),
  setting(
    "bool",
    "carbonWrap",
    "carbon table beyond its end: repeat periodically (else hold the last value)",
    (p) => p.carbon.beyond === "wrap",
    "carbon_trace_beyond",
  ),
]);
