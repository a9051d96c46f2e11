// The microgrid's shared numbers: config slots, battery model codes, output columns. Valid TypeScript and
// AssemblyScript at once (like assembly/abi.ts), so the host (src/microgrid/) and the engine share one table.

/** Config slots (f64) of the microgrid's own config area (microgridConfigPtr()). */
export const MG_BATTERY = 0; // battery model code (BAT_* of assembly/generated/codes.ts)
export const MG_CAPACITY_WH = 1; // simple: capacity in Wh
export const MG_CELLS = 2; // clc: number of cells
export const MG_INITIAL_SOC = 3;
export const MG_MIN_SOC = 4;
export const MG_C_RATE = 5; // simple: max |P| = c_rate × capacity (W per Wh); 0 = unlimited
export const MG_MODE = 6; // MODE_*
export const MG_CHARGE_POWER = 7; // fixed battery setpoint in W (+ charge); NaN = none (Vessim's charge_power=None)
export const MG_STEP = 8; // grid step in seconds
export const MG_CLC_V = 9; // nominal cell voltage (V)
export const MG_CLC_U1 = 10; // Wh/A, lower-bound slope
export const MG_CLC_V1 = 11; // Wh, lower-bound intercept
export const MG_CLC_U2 = 12; // Wh/A, upper-bound slope
export const MG_CLC_V2 = 13; // Wh, cell capacity
export const MG_CLC_ALPHA_D = 14; // max discharge rate in C (negative)
export const MG_CLC_ALPHA_C = 15; // max charge rate in C
export const MG_CLC_ETA_D = 16; // discharge efficiency (>= 1: the cell gives η_d Wh per Wh delivered)
export const MG_CLC_ETA_C = 17; // charge efficiency (<= 1)
export const MG_CLC_CUTOFF_D = 18; // discharge cut-off current per cell (A, negative)
export const MG_CLC_CUTOFF_C = 19; // charge cut-off current per cell (A)
export const MG_PUE = 20; // in-loop: facility / IT power
export const MG_HOST_W = 21; // in-loop: host power of the whole cluster (W, before PUE)
export const MG_SOLAR_END = 22; // in-loop: where the solar table's data end (s)
export const MG_SLOTS = 23;

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
