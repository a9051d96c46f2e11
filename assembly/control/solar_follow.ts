// solar-follow (controller code 2): match the cluster to the power the site has. At each tick it compares the
// forecast solar power of the coming step, plus the battery's usable energy spread over the forecast horizon,
// with the facility's load of the step that just ended:
//  * deferrable requests are held while solar alone does not cover the load but will within the forecast
//    horizon (some of its 48 windows), and released (paced) once it does, until solar falls below 90 % of the
//    load (the released work itself raises the load);
//  * serving replicas = what solar + battery can feed (the last step's GPU power per serving replica), never
//    fewer than --control-min-replicas nor than the arrival rate needs (--control-replica-qps per replica);
//    lowered one replica per tick, raised at once;
//  * while solar + battery fall short: --control-power-cap-w per GPU and --control-batch-cap per replica.
import * as mgAbi from "../microgrid/abi";
import { batteryMinSoc, clusterHostW, facilityPue } from "../generated/microgrid-config";
import { lastOutput } from "../microgrid/microgrid";
import {
  controlBatchCap, controlHorizonS, controlMinReplicas, controlPowerCapW, controlReplicaQps, replicaOffPowerW,
} from "../generated/config";
import { numReplicas } from "../state";
import { WHY_ARRIVALS, WHY_SOLAR_SHORT, WHY_SOLAR_SURPLUS } from "./abi";
import { offReplicas, servingReplicas, setBatchCap, steerReplicas } from "./actuators";
import { holdDeferrable, recentQps, setCap, setDecision, setHoldWhy } from "./control";
import { forecastSolar } from "./forecast";

/** Battery energy above its minimum state of charge (Wh), from the last step's state. */
export function usableBatteryWh(): f64 {
  const stored = lastOutput(mgAbi.MO_STORED_WH);
  const soc = lastOutput(mgAbi.MO_SOC);
  const floor = batteryMinSoc;
  if (soc <= 0 || soc <= floor) return 0;
  return stored * (soc - floor) / soc;
}

/** Replicas the arrival rate of the last step needs (0 without --control-replica-qps). */
export function loadFloor(): i32 {
  return controlReplicaQps > 0 ? <i32>Math.ceil(recentQps / controlReplicaQps) : 0;
}

const RESUME_MARGIN = 0.9;
const WINDOWS = 48;

/** Some window of the forecast horizon (48 equal windows) has solar above `load`. */
function surplusAhead(t: f64, load: f64): bool {
  const w = controlHorizonS / <f64>WINDOWS;
  for (let i = 1; i <= WINDOWS; i++) {
    if (forecastSolar(t, t + w * <f64>(i - 1), t + w * <f64>i) >= load) return true;
  }
  return false;
}

export function solarFollowTick(t: f64, dt: f64): void {
  const solar = forecastSolar(t, t, t + dt);
  const avail = solar + usableBatteryWh() * 3600.0 / controlHorizonS;
  const load = lastOutput(mgAbi.MO_LOAD_W); // facility W over the step that just ended
  // hysteresis: released work raises the load, so once releasing it goes on until solar < 90 % of the load;
  // holding is pointless (work only bunches up) unless a surplus is forecast within the horizon
  const hold = (holdDeferrable ? solar < load : solar < RESUME_MARGIN * load) && surplusAhead(t, load);
  setHoldWhy(t, hold, solar, load, WHY_SOLAR_SHORT, WHY_SOLAR_SURPLUS);
  // GPU power per serving replica over the last step; what the available power feeds
  const pue = facilityPue;
  const host = clusterHostW;
  const off = offReplicas();
  const serving = servingReplicas();
  const gpuW = load / pue - host - <f64>off * replicaOffPowerW;
  const perReplica = serving > 0 ? gpuW / <f64>serving : 0;
  const spare = avail / pue - host - <f64>(numReplicas - serving) * replicaOffPowerW;
  const afford = perReplica > 0 ? <i32>Math.floor(spare / perReplica) : numReplicas;
  const floor = loadFloor();
  let want = afford;
  let why = WHY_SOLAR_SHORT;
  if (want < controlMinReplicas) want = controlMinReplicas;
  if (want < floor) {
    want = floor;
    why = WHY_ARRIVALS;
  } else if (want >= serving) why = WHY_SOLAR_SURPLUS;
  setDecision(avail, load);
  const short = avail < load;
  if (controlPowerCapW > 0) setCap(t, short ? controlPowerCapW : 0, short ? WHY_SOLAR_SHORT : WHY_SOLAR_SURPLUS);
  if (controlBatchCap > 0) setBatchCap(t, short ? controlBatchCap : 0, short ? WHY_SOLAR_SHORT : WHY_SOLAR_SURPLUS);
  if (why == WHY_ARRIVALS) setDecision(recentQps, controlReplicaQps);
  steerReplicas(t, want, why);
}
