/** Runs the microgrid model in WASM on given per-step inputs (no traces), for unit tests. */
import { instantiateEngine } from "../../src/engine/wasm.js";
import * as mg from "../../assembly/microgrid/abi.js";
import { batterySlots } from "../../src/microgrid/battery.js";
import { microgridExports, runMicrogridSteps, writeSlots, type MicrogridColumns } from "../../src/cosim/engine.js";
import { stepGrid } from "../../src/microgrid/traces.js";

const engine = microgridExports(instantiateEngine());

export function slotsFor(
  o: Record<string, unknown>,
  step: number,
  extra: { islanded?: boolean; chargePowerW?: number } = {},
): Float64Array {
  const slots = new Float64Array(mg.MG_SLOTS);
  batterySlots(o, slots);
  slots[mg.MG_STEP] = step;
  slots[mg.MG_MODE] = extra.islanded ? mg.MODE_ISLANDED : mg.MODE_GRID_CONNECTED;
  slots[mg.MG_CHARGE_POWER] = extra.chargePowerW ?? Number.NaN;
  return slots;
}

/** Steps of `step` s with the given load and solar (W) and CI; the last step lasts lastStep s if given. */
export function run(
  slots: Float64Array,
  step: number,
  load: number[],
  solar: number[],
  ci?: number[],
  duration?: number,
): MicrogridColumns {
  const grid = stepGrid(step, duration ?? step * load.length);
  return runMicrogridSteps(
    engine,
    slots,
    { load: Float64Array.from(load), solar: Float64Array.from(solar), ci: Float64Array.from(ci ?? load.map(() => 0)) },
    grid,
  );
}

/** The battery's feasible range (W) at its initial state for a step of dt s: [lo, hi]. */
export function initialRange(slots: Float64Array, dt: number): [number, number] {
  writeSlots(engine, slots);
  engine.microgridPrepare(1, 1);
  return [engine.microgridRange(dt, 0), engine.microgridRange(dt, 1)];
}
