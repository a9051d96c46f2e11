/**
 * The plug-in shape of a grid controller (`--controller`) and the options every controller shares.
 * Controllers run inside the engine at grid steps (assembly/control/); docs/control.md.
 *
 * @example
 * COMMON_CONTROL_OPTIONS.control_safety_margin_s.default; // 1800
 */
import { choice, float, int } from "../../core/descriptor.js";
import type { OptionTable } from "../../core/descriptor.js";
import type { EngineHook, Plugin } from "../types.js";

export interface ControllerPlugin<Name extends string = string, T extends OptionTable = OptionTable> extends Plugin<Name> {
  /** Flags of this controller (full names, `control_*`). */
  options: T;
  /** `tick(t, dt)`: decides for the grid step [t, t + dt) (assembly/control/<file>.ts). */
  engine: EngineHook;
}

export function controllerPlugin<const Name extends string, const T extends OptionTable>(
  p: ControllerPlugin<Name, T>,
): ControllerPlugin<Name, T> {
  return p;
}

const group = "controller";

/**
 * Options every controller honours: when held requests are released and how fast, the forecast, the limits of
 * its actuators (caps, replicas) and what switching a replica off and on costs (docs/control.md).
 */
export const COMMON_CONTROL_OPTIONS = {
  control_forecast_horizon_s: float({
    default: 43_200,
    min: 60,
    max: 7 * 86_400,
    group,
    help: "seconds of solar / CI forecast a controller looks at (perfect, or with --forecast-error)",
  }),
  forecast_error: float({
    default: 0,
    min: 0,
    max: 10,
    group,
    help: "relative sigma of the solar and CI forecast error one hour ahead, growing with sqrt(horizon); 0 = perfect",
  }),
  forecast_seed: int({ default: 1, min: 0, max: 4_294_967_295, group, help: "seed of the forecast errors (--forecast-error)" }),
  control_power_cap_w: float({
    default: 0,
    min: 0,
    group,
    help: "per-GPU power cap (W) the controller sets when it acts (high CI, solar short, over budget); 0 = none",
  }),
  control_batch_cap: int({
    default: 0,
    min: 0,
    max: 1_000_000,
    group,
    help: "per-replica batch-size cap the controller sets when it acts; 0 = none (power-budget: half the configured cap)",
  }),
  control_min_replicas: int({
    default: 1,
    min: 1,
    max: 16_384,
    group,
    help: "the controller never leaves fewer replicas serving (keeps the interactive SLO)",
  }),
  control_replica_qps: float({
    default: 0,
    min: 0,
    group,
    help: "requests per second one replica serves within the SLO: replicas never drop below arrival rate / this; 0 = no floor",
  }),
  control_load_window_s: float({
    default: 600,
    min: 1,
    max: 86_400,
    group,
    help: "time constant (s) of the moving average of the arrival rate compared with --control-replica-qps",
  }),
  replica_off_power_w: float({
    default: 0,
    min: 0,
    group,
    help: "power (W) a whole replica draws while switched off by a controller",
  }),
  replica_wake_up_s: float({
    default: 60,
    min: 0,
    max: 86_400,
    group,
    help: "seconds a switched-off replica takes to serve again",
  }),
  replica_wake_up_power_w: float({
    default: 0,
    min: 0,
    group,
    help: "power (W) a whole replica draws while waking up; 0 = its GPUs' idle power",
  }),
  replica_drain_to: choice(["off", "idle"] as const, {
    default: "off",
    group,
    help: "a replica the controller takes out of service finishes its work, then goes off or stays on idle",
  }),
  control_release_qps: float({
    default: 0,
    min: 0,
    group,
    help: "held requests released per second when the controller releases them (0 = all at once), oldest first",
  }),
  control_safety_margin_s: float({
    default: 1800,
    min: 0,
    group,
    help: "a held request is released by arrival + deadline - this margin (its expected service time under load)",
  }),
} as const;
