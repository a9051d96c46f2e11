/** Runs the microgrid model in WASM on given per-step inputs (no traces), for unit tests. */
import { instantiateEngine } from "../../src/engine/wasm.js";
import { resolveBattery } from "../../src/microgrid/battery.js";
import type { MicrogridSettings } from "../../src/microgrid/resolve.js";
import { microgridExports, runMicrogridSteps, writeMicrogridSettings, type MicrogridColumns } from "../../src/cosim/engine.js";
import { stepGrid } from "../../src/microgrid/traces.js";

const engine = microgridExports(instantiateEngine());

export function slotsFor(
  o: Record<string, unknown>,
  step: number,
  extra: { islanded?: boolean; chargePowerW?: number } = {},
): MicrogridSettings {
  return {
    battery: resolveBattery(o),
    mode: extra.islanded ? "islanded" : "grid-connected",
    chargePowerW: extra.chargePowerW ?? null,
    stepS: step,
    inLoop: null,
  };
}

/** Steps of `step` s with the given load and solar (W) and CI; the last step lasts lastStep s if given. */
export function run(
  slots: MicrogridSettings,
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
export function initialRange(slots: MicrogridSettings, dt: number): [number, number] {
  writeMicrogridSettings(engine, slots);
  engine.microgridPrepare(1, 1);
  return [engine.microgridRange(dt, 0), engine.microgridRange(dt, 1)];
}
