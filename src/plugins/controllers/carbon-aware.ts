/**
 * `carbon-aware` (code 1): holds deferrable requests while the grid's carbon intensity over the coming step
 * is above a threshold (fixed, or a percentile of the CI forecast over the horizon) and releases them when it
 * falls below it or their deadline nears; optionally caps GPU power while the CI is high.
 */
import { bool, float } from "../../core/descriptor.js";
import { controllerPlugin } from "./common.js";

const group = "controller: carbon-aware";

export const carbonAware = controllerPlugin({
  name: "carbon-aware",
  code: 1,
  doc: "hold deferrable requests while CI > threshold (fixed or a forecast percentile); optional power / batch caps, replicas off then",
  options: {
    control_ci_threshold: float({
      default: 0,
      min: 0,
      group,
      help: "hold while the CI of the coming grid step exceeds this (g/kWh); 0 = use --control-ci-percentile",
    }),
    control_ci_percentile: float({
      default: 30,
      min: 0,
      max: 100,
      group,
      help: "threshold = this percentile of the CI forecast over --control-forecast-horizon-s (48 windows)",
    }),
    control_low_load_off: bool({
      default: false,
      group,
      help: "while the CI is above the threshold, drain replicas the arrival rate does not need (needs --control-replica-qps)",
    }),
  },
  engine: { file: "control/carbon_aware", functions: { tick: "carbonAwareTick" } },
});
