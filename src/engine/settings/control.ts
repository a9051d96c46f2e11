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
]);
