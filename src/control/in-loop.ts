/**
 * The grid controller inside `simulate`: enables it before run() (the engine's input ring then takes the
 * request classes and deadlines, which engineRun feeds with the other inputs), and afterwards turns the engine's action log into the `control` table
 * (t_s, action, value, reason: one row per action) and the summary's `control` object.
 *
 * @example
 * const ctl = inLoopControl(scenario, 60);
 * runEngine(scenario, engine, { beforeRun: (e) => { mg.beforeRun(e); ctl.beforeRun(e); } });
 * ctl.collect().summary.held_requests;
 */
import * as ca from "../../assembly/control/abi.js";
import type { EngineExports } from "../engine/wasm.js";
import { chunked, type ChunkedTable } from "../tables/chunked.js";
import { column } from "../tables/table.js";
import { controllerByName, CONTROLLERS } from "../plugins/controllers/index.js";
import type { Scenario } from "../scenario/types.js";

const ACTIONS: Record<number, string> = {
  [ca.ACT_HOLD]: "hold",
  [ca.ACT_RESUME]: "resume",
  [ca.ACT_RELEASE]: "release",
  [ca.ACT_FORCE_RELEASE]: "force_release",
  [ca.ACT_POWER_CAP]: "power_cap",
  [ca.ACT_BATCH_CAP]: "batch_cap",
  [ca.ACT_REPLICAS]: "replicas",
  [ca.ACT_REPLICA_DRAIN]: "replica_drain",
  [ca.ACT_REPLICA_OFF]: "replica_off",
  [ca.ACT_REPLICA_IDLE]: "replica_idle",
  [ca.ACT_REPLICA_WAKE]: "replica_wake",
  [ca.ACT_REPLICA_ON]: "replica_on",
};

export interface InLoopControl {
  beforeRun(engine: EngineExports): void;
  collect(): { table: ChunkedTable; summary: Record<string, unknown> };
}

const J_PER_KWH = 3.6e6;
const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : String(x));

/** The reason of a control-table row: its code, the measured value x and what x was compared with. */
function reasonText(code: number, x: number, limit: number, marginS: number): string {
  const ci = x;
  const threshold = limit;
  switch (code) {
    case ca.WHY_CI_ABOVE:
      return `ci ${fmt(ci)} > threshold ${fmt(threshold)} g/kWh`;
    case ca.WHY_CI_BELOW:
      return `ci ${fmt(ci)} <= threshold ${fmt(threshold)} g/kWh`;
    case ca.WHY_DEADLINE:
      return `deadline - ${marginS} s margin before the next step ends`;
    case ca.WHY_DRAINED:
      return "drained: no batch, queue or KV left";
    case ca.WHY_WOKEN:
      return "wake-up done";
    case ca.WHY_TARGET:
      return "follows the target replica count";
    case ca.WHY_SOLAR_SHORT:
      return `solar + battery ${fmt(x)} W < load ${fmt(limit)} W`;
    case ca.WHY_SOLAR_SURPLUS:
      return `solar + battery ${fmt(x)} W >= load ${fmt(limit)} W`;
    case ca.WHY_OVER_BUDGET:
      return `facility ${fmt(x)} W > budget ${fmt(limit)} W`;
    case ca.WHY_UNDER_BUDGET:
      return `facility ${fmt(x)} W <= ${fmt(limit)} W`;
    case ca.WHY_ARRIVALS:
      return `arrivals ${x.toFixed(3)} req/s at ${limit} req/s per replica`;
    default:
      return "";
  }
}

export function inLoopControl(s: Scenario, gridStepS: number): InLoopControl {
  const settings = s.control!;
  const name = CONTROLLERS.find((c) => c.code === settings.code)!.name;
  let engine: EngineExports | undefined;
  return {
    beforeRun(e) {
      engine = e;
      // the classes and deadlines are fed with the other request inputs (engineRun), in chunks
      e.controlPrepare(gridStepS);
    },
    collect() {
      const e = engine!;
      const rows = e.controlLogCount();
      const col = (f: number): Float64Array => new Float64Array(e.memory.buffer, e.controlLogPtr(f), rows).slice();
      const t = col(ca.CL_T);
      const action = col(ca.CL_ACTION);
      const why = col(ca.CL_REASON);
      const ci = col(ca.CL_CI);
      const thr = col(ca.CL_THRESHOLD);
      const actions = Array.from(action, (a) => ACTIONS[a] ?? String(a));
      const reasons = Array.from(why, (w, i) => reasonText(w, ci[i], thr[i], settings.safetyMarginS));
      const table = chunked({
        name: "control",
        columns: [
          column("t_s", "f64", t),
          column("action", "utf8", actions),
          column("value", "f64", col(ca.CL_VALUE)),
          column("reason", "utf8", reasons),
        ],
      });
      const counts: Record<string, number> = Object.fromEntries(Object.values(ACTIONS).map((a) => [a, 0]));
      for (const a of actions) counts[a] = (counts[a] ?? 0) + 1;
      const c = (i: number): number => e.controlCounter(i);
      const held = c(ca.CC_HELD);
      const summary = {
        controller: controllerByName(name).name,
        ticks: c(ca.CC_TICKS),
        actions: counts,
        held_requests: held,
        released_requests: c(ca.CC_RELEASED),
        force_released_requests: c(ca.CC_FORCED),
        max_held: c(ca.CC_MAX_HELD),
        mean_deferral_s: held > 0 ? c(ca.CC_DEFERRAL_SUM_S) / held : 0,
        replica_off_s: c(ca.CC_OFF_REPLICA_S),
        replica_wake_ups: c(ca.CC_WAKE_UPS),
        // GPU energy the actuators saved against the gap power / uncapped stages (first order, same batches)
        replicas_off_gpu_energy_kwh_saved: -(c(ca.CC_OFF_DELTA_J) + c(ca.CC_WAKE_DELTA_J)) / J_PER_KWH,
        power_cap_gpu_energy_kwh_saved: c(ca.CC_CAP_SAVED_J) / J_PER_KWH,
        forecast:
          settings.forecastError > 0
            ? `noisy: relative sigma ${settings.forecastError} one hour ahead, x sqrt(horizon / 1 h), seed ${settings.forecastSeed}`
            : "perfect: CI and solar read from the traces ahead of time",
      };
      return { table, summary };
    },
  };
}
