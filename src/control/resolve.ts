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
  const num = (key: string): number => Number(o[key] ?? 0);
  return {
    code: c.code,
    ciThreshold: num("control_ci_threshold"),
    ciPercentile: num("control_ci_percentile"),
    horizonS: num("control_forecast_horizon_s"),
    powerCapW: num("control_power_cap_w"),
    releaseQps: num("control_release_qps"),
    safetyMarginS: num("control_safety_margin_s"),
  };
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
