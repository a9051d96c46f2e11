// The microgrid's shared numbers: grid modes, input and output columns. Valid TypeScript and
// AssemblyScript at once (like assembly/abi.ts), so the host (src/microgrid/) and the engine share one table.

// The microgrid's settings (battery, mode, step, in-loop terms) are a generated block:
// src/engine/settings/microgrid.ts → assembly/generated/microgrid-config.ts.

/** Grid modes (the gridMode setting). */
export const MODE_GRID_CONNECTED = 0;
export const MODE_ISLANDED = 1;

/** Input columns (f64, one value per step), written by the host: mean over the step. */
export const MI_LOAD_W = 0;
export const MI_SOLAR_W = 1;
export const MI_CI = 2;
export const MI_FIELDS = 3;

/** Output columns (f64, one row per step). Powers are means over the step; SoC is at the step's end. */
export const MO_LOAD_W = 0;
export const MO_SOLAR_W = 1;
export const MO_BATTERY_W = 2; // + charging, − discharging (at the bus)
export const MO_SOC = 3;
export const MO_GRID_IMPORT_W = 4;
export const MO_GRID_EXPORT_W = 5;
export const MO_SHORTFALL_W = 6;
export const MO_CURTAILED_W = 7;
export const MO_CI = 8;
export const MO_EMISSIONS_G = 9;
export const MO_STORED_WH = 10; // battery energy content at the step's end (Wh)
export const MO_LOSS_WH = 11; // battery conversion losses in the step (Wh)
export const MO_FIELDS = 12;
