// carbon-aware (controller code 1): hold deferrable requests while the grid's carbon intensity over the
// coming step is above a threshold; optionally cap GPU power then. The threshold is a fixed value
// (--control-ci-threshold) or, when that is 0, a percentile (--control-ci-percentile) of the CI forecast over
// the next --control-forecast-horizon-s seconds: the mean CI of 48 equal windows of the horizon, read from the
// carbon trace (perfect, or with --forecast-error: ./forecast.ts), so requests wait for the greenest part of the
// horizon. With --control-low-load-off it also drains replicas the arrival rate does not need while the CI is high.
import {
  controlBatchCap, controlCiPercentile, controlCiThreshold, controlHorizonS, controlLowLoadOff, controlMinReplicas, controlPowerCapW,
  controlReplicaQps,
} from "../generated/config";
import { numReplicas } from "../state";
import { recentQps, setCap, setDecision, setHold } from "./control";
import { setBatchCap, steerReplicas } from "./actuators";
import { forecastCi } from "./forecast";
import { loadFloor } from "./solar_follow";
import { WHY_CI_ABOVE, WHY_CI_BELOW, WHY_ARRIVALS } from "./abi";

const WINDOWS = 48;
const sample: usize = memory.data(WINDOWS * 8, 8);

/** The p-th percentile (0..100, nearest rank on sorted window means) of the CI forecast over [t, t + h). */
function forecastPercentile(t: f64, h: f64, p: f64): f64 {
  const w = h / <f64>WINDOWS;
  for (let i = 0; i < WINDOWS; i++) {
    const v = forecastCi(t, t + w * <f64>i, t + w * <f64>(i + 1), w);
    // insertion sort into the sorted prefix
    let j = i;
    while (j > 0 && load<f64>(sample + (<usize>(j - 1) << 3)) > v) {
      store<f64>(sample + (<usize>j << 3), load<f64>(sample + (<usize>(j - 1) << 3)));
      j--;
    }
    store<f64>(sample + (<usize>j << 3), v);
  }
  let k = <i32>Math.ceil(p / 100.0 * <f64>WINDOWS) - 1;
  if (k < 0) k = 0;
  if (k >= WINDOWS) k = WINDOWS - 1;
  return load<f64>(sample + (<usize>k << 3));
}

export function carbonAwareTick(t: f64, dt: f64): void {
  const ci = forecastCi(t, t, t + dt);
  const threshold = controlCiThreshold > 0 ? controlCiThreshold : forecastPercentile(t, controlHorizonS, controlCiPercentile);
  const hold = ci > threshold;
  setHold(t, hold, ci, threshold);
  if (controlPowerCapW > 0) setCap(t, hold ? controlPowerCapW : 0, hold ? WHY_CI_ABOVE : WHY_CI_BELOW);
  if (controlBatchCap > 0) setBatchCap(t, hold ? controlBatchCap : 0, hold ? WHY_CI_ABOVE : WHY_CI_BELOW);
  if (controlLowLoadOff) {
    // high-CI hours: only the replicas the arrival rate needs (--control-replica-qps each), at least the minimum
    let want = loadFloor();
    if (want < controlMinReplicas) want = controlMinReplicas;
    if (hold) setDecision(recentQps, controlReplicaQps);
    steerReplicas(t, hold ? want : numReplicas, hold ? WHY_ARRIVALS : WHY_CI_BELOW);
  }
}
