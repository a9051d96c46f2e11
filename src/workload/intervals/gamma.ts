/**
 * `gamma` intervals (Vidur's GammaRequestIntervalGenerator): `scipy.stats.gamma.rvs(shape, scale=...)` with
 * shape = 1/cv², scale = 1/(qps·shape), i.e. mean 1/qps and coefficient of variation cv. SciPy draws
 * `standard_gamma(shape) * scale` from NumPy's global legacy RandomState, reproduced here draw for draw
 * (see `NumpyRandomState.standardGamma` for how exact that is).
 *
 * @example
 * // seed 42, qps 0.2, cv 0.5: first gap 5.878017372669836 s (scipy gives the same)
 */
import { numberFlag } from "../config.js";
import type { IntervalGeneratorModule } from "../generator-types.js";

export const gammaIntervals: IntervalGeneratorModule = {
  type: "gamma",
  doc: "gamma-distributed inter-arrival times (qps and coefficient of variation)",
  defaults: {
    gamma_request_interval_generator_config_seed: 42,
    gamma_request_interval_generator_config_qps: 0.2,
    gamma_request_interval_generator_config_cv: 0.5,
  },
  create({ cfg, streams }) {
    const qps = numberFlag(cfg, "gamma_request_interval_generator_config_qps", { above: 0 });
    const cv = numberFlag(cfg, "gamma_request_interval_generator_config_cv", { above: 0 });
    const shape = 1.0 / cv ** 2;
    const scale = 1.0 / (qps * shape);
    // SciPy's rv_continuous.rvs: vals * scale + loc, loc = 0.
    return () => streams.numpy.standardGamma(shape) * scale + 0;
  },
};
