/**
 * `static` intervals (Vidur's StaticRequestIntervalGenerator): every gap is 0, so all requests arrive at
 * t = 0. Consumes no random numbers. With a duration Vidur would loop forever; tokenwatt rejects that.
 *
 * @example
 * // interval_generator_config_type "static", num_requests 3 → arrivals [0, 0, 0]
 */
import type { IntervalGeneratorModule } from "../generator-types.js";

export const staticIntervals: IntervalGeneratorModule = {
  type: "static",
  doc: "every request arrives at t = 0",
  defaults: { static_request_interval_generator_config_seed: 42 },
  neverAdvances: true,
  create() {
    return () => 0;
  },
};
