/** Engine settings of the grid controller (assembly/control/); all 0 (controller none) without one. */
import type { ControlSettings, Scenario } from "../../scenario/types.js";
import { group, setting } from "./types.js";

export const controlSettings = group("control", (s: Scenario) => s.control, [
  setting("i32", "controller", "grid controller code (src/plugins/controllers/), 0 = none", (c: ControlSettings) => c.code, "controller"),
  setting(
    "f64",
    "controlCiThreshold",
    "g/kWh: hold deferrable requests above it, 0 = forecast percentile",
    (c) => c.ciThreshold,
    "control_ci_threshold",
  ),
  setting("f64", "controlCiPercentile", "percentile of the CI forecast used as threshold", (c) => c.ciPercentile, "control_ci_percentile"),
  setting("f64", "controlHorizonS", "forecast horizon in s", (c) => c.horizonS, "control_forecast_horizon_s"),
  setting("f64", "controlPowerCapW", "W per GPU while the CI is high, 0 = none", (c) => c.powerCapW, "control_power_cap_w"),
  setting("f64", "controlReleaseQps", "paced release of held requests per s, 0 = all at once", (c) => c.releaseQps, "control_release_qps"),
  setting(
    "f64",
    "controlSafetyMarginS",
    "held requests are released by arrival + deadline - this",
    (c) => c.safetyMarginS,
    "control_safety_margin_s",
  ),
  setting("i32", "controlBatchCap", "per-replica batch cap when the controller acts, 0 = none", (c) => c.batchCap, "control_batch_cap"),
  setting("i32", "controlMinReplicas", "replicas always serving", (c) => c.minReplicas, "control_min_replicas"),
  setting("f64", "controlReplicaQps", "req/s one replica serves; replicas >= rate / this", (c) => c.replicaQps, "control_replica_qps"),
  setting("f64", "controlLoadWindowS", "time constant of the arrival-rate average (s)", (c) => c.loadWindowS, "control_load_window_s"),
  setting("bool", "controlLowLoadOff", "carbon-aware drains unneeded replicas at high CI", (c) => c.lowLoadOff, "control_low_load_off"),
  setting(
    "f64",
    "forecastError",
    "relative sigma of forecast errors one hour ahead, 0 = perfect",
    (c) => c.forecastError,
    "forecast_error",
  ),
  setting("f64", "forecastSeed", "seed of the forecast errors", (c) => c.forecastSeed, "forecast_seed"),
  setting("f64", "replicaOffPowerW", "W of a whole replica while off", (c) => c.replicaOffPowerW, "replica_off_power_w"),
  setting("f64", "replicaWakeUpS", "s from off to serving", (c) => c.replicaWakeUpS, "replica_wake_up_s"),
  setting(
    "f64",
    "replicaWakeUpPowerW",
    "W of a whole replica waking up, 0 = gap power",
    (c) => c.replicaWakeUpPowerW,
    "replica_wake_up_power_w",
  ),
  setting("bool", "replicaDrainToOff", "drained replicas go off (else idle)", (c) => c.replicaDrainToOff, "replica_drain_to"),
  setting("f64", "powerBudgetW", "facility power budget (W)", (c) => c.powerBudgetW, "power_budget_w"),
  setting(
    "f64",
    "controlBudgetMargin",
    "power-budget steps back below budget x (1 - this)",
    (c) => c.budgetMargin,
    "control_budget_margin",
  ),
]);
