/**
 * Checks and resolves the controller flags into the engine's `control` settings (src/engine/settings/control.ts).
 * `--controller none` resolves to nothing at all, so the engine runs exactly as without the flag.
 *
 * @example
 * resolveControl({ controller: "carbon-aware", control_ci_percentile: 30, ... }, true)?.code; // 1
 */
import { InputError } from "../core/errors.js";
import { controllerByName } from "../plugins/controllers/index.js";
import type { ControlSettings, Scenario } from "../scenario/types.js";

export function resolveControl(o: Record<string, unknown>, microgridOn: boolean): ControlSettings | undefined {
  const name = String(o.controller ?? "none");
  const c = controllerByName(name);
  if (c.code === 0) return undefined;
  if (!microgridOn) {
    throw new InputError(
      `--controller ${name} needs a microgrid: give --solar-trace, --location, --lat/--lon or --battery (docs/control.md)`,
    );
  }
  const num = (key: string, fallback = 0): number => Number(o[key] ?? fallback);
  const settings: ControlSettings = {
    code: c.code,
    ciThreshold: num("control_ci_threshold"),
    ciPercentile: num("control_ci_percentile"),
    horizonS: num("control_forecast_horizon_s"),
    powerCapW: num("control_power_cap_w"),
    releaseQps: num("control_release_qps"),
    safetyMarginS: num("control_safety_margin_s"),
    batchCap: num("control_batch_cap"),
    minReplicas: num("control_min_replicas", 1),
    replicaQps: num("control_replica_qps"),
    loadWindowS: num("control_load_window_s", 600),
    lowLoadOff: o.control_low_load_off === true,
    forecastError: num("forecast_error"),
    forecastSeed: num("forecast_seed", 1),
    replicaOffPowerW: num("replica_off_power_w"),
    replicaWakeUpS: num("replica_wake_up_s", 60),
    replicaWakeUpPowerW: num("replica_wake_up_power_w"),
    replicaDrainToOff: (o.replica_drain_to ?? "off") === "off",
    powerBudgetW: num("power_budget_w"),
    budgetMargin: num("control_budget_margin", 0.1),
  };
  checkControl(name, settings, o);
  return settings;
}

/** Checks between controller options (each option's own range is checked by its descriptor). */
function checkControl(name: string, c: ControlSettings, o: Record<string, unknown>): void {
  if (name === "power-budget" && !(c.powerBudgetW > 0)) {
    throw new InputError(`--controller power-budget needs --power-budget-w > 0 (facility W), got ${c.powerBudgetW}`);
  }
  if (c.lowLoadOff && !(c.replicaQps > 0)) {
    throw new InputError("--control-low-load-off needs --control-replica-qps > 0 (requests per second one replica serves)");
  }
  const replicas = Number(o.cluster_config_num_replicas ?? 1);
  if (c.minReplicas > replicas) {
    throw new InputError(`--control-min-replicas ${c.minReplicas} exceeds --cluster_config_num_replicas ${replicas}`);
  }
}

/**
 * The accounting window of a controlled run and its baseline: until the last deadline (last arrival + the
 * longest deadline). A controller may finish deferred work long after the open-loop run has gone idle; both
 * runs integrate energy, microgrid and emissions over the same window, so idle time is never left out of one.
 */
export function controlWindowS(requests: Scenario["requests"], blocks?: Scenario["requestBlocks"]): number {
  let end = blocks?.lastDeadline ?? 0;
  const a = requests.arrivedAt;
  const d = requests.deadlineS;
  for (let i = 0; i < a.length; i++) {
    const t = d && Number.isFinite(d[i]) ? a[i] + d[i] : a[i];
    if (t > end) end = t;
  }
  return end;
}
