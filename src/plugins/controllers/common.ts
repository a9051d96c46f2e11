/**
 * The plug-in shape of a grid controller (`--controller`) and the options every controller shares.
 * Controllers run inside the engine at grid steps (assembly/control/); docs/control.md.
 *
 * @example
 * COMMON_CONTROL_OPTIONS.control_safety_margin_s.default; // 1800
 */
import { float } from "../../core/descriptor.js";
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

/** Options every controller honours: when held requests are released, and how fast. */
export const COMMON_CONTROL_OPTIONS = {
  control_forecast_horizon_s: float({
    default: 43_200,
    min: 60,
    max: 7 * 86_400,
    group,
    help: "seconds of solar / CI forecast a controller looks at (a perfect forecast from the traces)",
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
