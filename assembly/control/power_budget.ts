// power-budget (controller code 3): keep the facility's power under --power-budget-w. At each tick it compares
// the facility load of the step that just ended with the budget and moves one level of a ladder:
//   level 1: hold deferrable requests and cap GPU power (--control-power-cap-w, or the cap that fits the
//            budget: (budget / PUE − host power − off replicas' power) / serving GPUs);
//   level 2: also cap the batch size (--control-batch-cap, or half the configured cap);
//   level 3: also switch replicas off, one per tick while over budget, never below --control-min-replicas
//            nor below what the arrival rate needs (--control-replica-qps).
// Over budget it climbs one level per tick; under budget × (1 − --control-budget-margin) it climbs down in the
// reverse order (replicas back first, then the batch cap, then the power cap and the held requests).
import * as mgAbi from "../microgrid/abi";
import { clusterHostW, facilityPue } from "../generated/microgrid-config";
import { lastOutput } from "../microgrid/microgrid";
import {
  batchSizeCap, controlBatchCap, controlBudgetMargin, controlMinReplicas, controlPowerCapW, powerBudgetW, replicaOffPowerW,
} from "../generated/config";
import { gpusPerReplica } from "../energy";
import { numReplicas } from "../state";
import { WHY_OVER_BUDGET, WHY_UNDER_BUDGET } from "./abi";
import { offReplicas, servingReplicas, setBatchCap, setActiveReplicas, steerReplicas, targetReplicas } from "./actuators";
import { isFirstTick, setCap, setDecision, setHoldWhy } from "./control";
import { loadFloor } from "./solar_follow";

let level: i32 = 0;

function budgetCapW(budget: f64): f64 {
  if (controlPowerCapW > 0) return controlPowerCapW;
  const serving = servingReplicas();
  const gpus = <f64>serving * gpusPerReplica();
  const w = (budget / facilityPue - clusterHostW - <f64>offReplicas() * replicaOffPowerW) / gpus;
  return w > 1 ? w : 1;
}

export function powerBudgetTick(t: f64, dt: f64): void {
  if (isFirstTick()) level = 0;
  const budget = powerBudgetW;
  const load = lastOutput(mgAbi.MO_LOAD_W);
  const over = load > budget;
  const under = load <= budget * (1.0 - controlBudgetMargin);
  const floor = loadFloor() > controlMinReplicas ? loadFloor() : controlMinReplicas;
  if (over) {
    if (level < 3) level++;
    else if (targetReplicas() > floor) steerReplicas(t, targetReplicas() - 1, WHY_OVER_BUDGET);
  } else if (under && level > 0) {
    if (level == 3 && targetReplicas() < numReplicas) setActiveReplicas(t, targetReplicas() + 1, WHY_UNDER_BUDGET);
    else level--;
  }
  const why = over || level > 0 ? WHY_OVER_BUDGET : WHY_UNDER_BUDGET;
  setDecision(load, over || !under ? budget : budget * (1.0 - controlBudgetMargin));
  setHoldWhy(t, level >= 1, load, budget, WHY_OVER_BUDGET, WHY_UNDER_BUDGET);
  setCap(t, level >= 1 ? budgetCapW(budget) : 0, why);
  setBatchCap(t, level >= 2 ? (controlBatchCap > 0 ? controlBatchCap : (batchSizeCap + 1) / 2) : 0, why);
  if (level == 3 && over && targetReplicas() == numReplicas && numReplicas > floor) steerReplicas(t, numReplicas - 1, why);
}
