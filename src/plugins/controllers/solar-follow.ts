/**
 * `solar-follow` (code 2): matches the cluster to the site's power. Holds deferrable requests unless forecast
 * solar covers the facility's load; keeps as many replicas serving as solar plus the battery (spread over the
 * forecast horizon) can feed, never fewer than --control-min-replicas or the arrival rate needs; caps power and
 * batch size while solar and battery fall short.
 */
import { controllerPlugin } from "./common.js";

export const solarFollow = controllerPlugin({
  name: "solar-follow",
  code: 2,
  doc: "replicas, caps and deferrable requests follow forecast solar + battery; never below --control-min-replicas",
  options: {},
  engine: { file: "control/solar_follow", functions: { tick: "solarFollowTick" } },
});
