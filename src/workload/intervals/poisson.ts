/**
 * `poisson` intervals (Vidur's PoissonRequestIntervalGenerator): `-log(1 - random.random()) / qps` on
 * Python's global `random` stream, **capped at 3/qps** — a truncated exponential, as Vidur does.
 *
 * @example
 * // seed 42, qps 20: first gap = -log(1 - 0.6394267984578837) / 20 = 0.05100301436374005 s
 */
import { numberFlag } from "../config.js";
import type { IntervalGeneratorModule } from "../generator-types.js";

export const poissonIntervals: IntervalGeneratorModule = {
  type: "poisson",
  doc: "exponential inter-arrival times at a given qps (a Poisson process)",
  defaults: {
    poisson_request_interval_generator_config_seed: 42,
    poisson_request_interval_generator_config_qps: 0.5,
  },
  create({ cfg, streams }) {
    const qps = numberFlag(cfg, "poisson_request_interval_generator_config_qps", { above: 0 });
    const maxInterval = (1.0 / qps) * 3.0; // Vidur: std = 1/qps; max_interval = std * 3
    return () => Math.min(-Math.log(1.0 - streams.python.random()) / qps, maxInterval);
  },
};
