/**
 * The host side of assembly/microgrid/: writes the microgrid settings block and per-step inputs once, runs every
 * step in one WASM call, and returns the output columns (copied out of WASM memory).
 *
 * @example
 * const out = runMicrogridSteps(engine, plan.settings, { load, solar, ci }, stepGrid(300, 86_400));
 * out.gridImportW[0];
 */
import * as mg from "../../assembly/microgrid/abi.js";
import { MICROGRID_BLOCK, MICROGRID_CONFIG_SLOTS } from "../engine/settings/microgrid.js";
import { writeBlock } from "../engine/settings/types.js";
import type { EngineExports } from "../engine/wasm.js";
import type { MicrogridSettings } from "../microgrid/resolve.js";
import type { StepGrid } from "../microgrid/traces.js";

/** The engine's exports (typed from the build), of which the microgrid uses the `microgrid*` functions. */
export type MicrogridExports = EngineExports;

export interface MicrogridColumns {
  loadW: Float64Array;
  solarW: Float64Array;
  batteryW: Float64Array;
  soc: Float64Array;
  gridImportW: Float64Array;
  gridExportW: Float64Array;
  shortfallW: Float64Array;
  curtailedW: Float64Array;
  ci: Float64Array;
  emissionsG: Float64Array;
  storedWh: Float64Array;
  lossWh: Float64Array;
}

export function microgridExports(e: EngineExports): MicrogridExports {
  return e;
}

/** Writes the microgrid settings block (read by the engine when the microgrid is prepared). */
export function writeMicrogridSettings(x: MicrogridExports, settings: MicrogridSettings): void {
  writeBlock(MICROGRID_BLOCK, new Float64Array(x.memory.buffer, x.microgridConfigPtr(), MICROGRID_CONFIG_SLOTS), settings);
}

/** The output columns: copies, or (copy = false) views valid until the engine runs again. */
export function outputColumns(x: MicrogridExports, rows: number, copy = true): MicrogridColumns {
  const col = (f: number) => {
    const view = new Float64Array(x.memory.buffer, x.microgridOutputPtr(f), rows);
    return copy ? view.slice() : view;
  };
  return {
    loadW: col(mg.MO_LOAD_W),
    solarW: col(mg.MO_SOLAR_W),
    batteryW: col(mg.MO_BATTERY_W),
    soc: col(mg.MO_SOC),
    gridImportW: col(mg.MO_GRID_IMPORT_W),
    gridExportW: col(mg.MO_GRID_EXPORT_W),
    shortfallW: col(mg.MO_SHORTFALL_W),
    curtailedW: col(mg.MO_CURTAILED_W),
    ci: col(mg.MO_CI),
    emissionsG: col(mg.MO_EMISSIONS_G),
    storedWh: col(mg.MO_STORED_WH),
    lossWh: col(mg.MO_LOSS_WH),
  };
}

/** Standalone (`tokenwatt cosim`): the engine instance's heap is reset and used for the microgrid only. */
export function runMicrogridSteps(
  x: MicrogridExports,
  settings: MicrogridSettings,
  inputs: { load: Float64Array; solar: Float64Array; ci: Float64Array },
  grid: StepGrid,
  copy = true,
): MicrogridColumns {
  writeMicrogridSettings(x, settings);
  x.microgridPrepare(grid.steps, 1);
  const put = (f: number, a: Float64Array) => new Float64Array(x.memory.buffer, x.microgridInputPtr(f), grid.steps).set(a);
  put(mg.MI_LOAD_W, inputs.load);
  put(mg.MI_SOLAR_W, inputs.solar);
  put(mg.MI_CI, inputs.ci);
  const rows = x.runMicrogrid(grid.steps, grid.duration - (grid.steps - 1) * grid.step);
  return outputColumns(x, rows, copy);
}
