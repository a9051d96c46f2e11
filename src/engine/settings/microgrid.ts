/**
 * The microgrid's settings block (assembly/generated/microgrid-config.ts): battery model and parameters, grid
 * mode, step, and the in-loop facility terms. A block of its own, not groups of the main one, because
 * `tokenwatt cosim` runs the microgrid without a simulation (no Scenario); `simulate` writes it between
 * prepare() and run(). A battery model's parameters are one group selected by its name.
 *
 * @example
 * writeBlock(MICROGRID_BLOCK, new Float64Array(MICROGRID_CONFIG_SLOTS), plan.settings);
 */
import { MODE_GRID_CONNECTED, MODE_ISLANDED } from "../../../assembly/microgrid/abi.js";
import type { BatterySettings, ClcCell } from "../../microgrid/battery.js";
import type { MicrogridSettings } from "../../microgrid/resolve.js";
import { blockSettings, group, type SettingsBlock, setting } from "./types.js";

const gridSettings = group("microgrid", (m: MicrogridSettings) => m, [
  setting("i32", "batteryModel", "battery model code (src/plugins/battery-models/)", (m: MicrogridSettings) => m.battery.code, "battery"),
  setting(
    "i32",
    "gridMode",
    "MODE_GRID_CONNECTED or MODE_ISLANDED",
    (m) => (m.mode === "islanded" ? MODE_ISLANDED : MODE_GRID_CONNECTED),
    "grid_mode",
  ),
  setting(
    "f64",
    "chargePowerW",
    "fixed battery setpoint in W (+ charge); NaN = default dispatch",
    (m) => m.chargePowerW ?? Number.NaN,
    "charge_power_w",
  ),
  setting("f64", "gridStepS", "grid step in s", (m) => m.stepS, "grid_step"),
]);

const batterySettings = group("battery", (m: MicrogridSettings) => m.battery, [
  setting("f64", "batteryInitialSoc", "state of charge at t = 0", (b: BatterySettings) => b.startSoc, "battery_initial_soc"),
  setting("f64", "batteryMinSoc", "the battery never discharges below it", (b) => b.floorSoc, "battery_min_soc"),
]);

const simpleBattery = group("battery simple", (m: MicrogridSettings) => (m.battery.model === "simple" ? m.battery : undefined), [
  setting("f64", "simpleCapacityWh", "simple: capacity in Wh", (b: BatterySettings) => b.capacity_wh, "battery_capacity_wh"),
  setting("f64", "simpleCRate", "simple: max |P| = c_rate × capacity (W per Wh); 0 = unlimited", (b) => b.c_rate ?? 0, "battery_c_rate"),
]);

const clcBattery = group("battery clc", (m: MicrogridSettings) => (m.battery.model === "clc" ? m.battery : undefined), [
  setting("f64", "clcCells", "clc: number of cells", (b: BatterySettings) => b.cells ?? 0, "battery_cells"),
  ...(
    [
      ["clcNominalVoltage", "nominalVoltage", "nominal cell voltage (V)"],
      ["clcU1", "u1", "Wh/A, lower-bound slope"],
      ["clcV1", "v1", "Wh, lower-bound intercept"],
      ["clcU2", "u2", "Wh/A, upper-bound slope"],
      ["clcV2", "v2", "Wh, cell capacity"],
      ["clcAlphaD", "alphaD", "max discharge rate in C (negative)"],
      ["clcAlphaC", "alphaC", "max charge rate in C"],
      ["clcEtaD", "etaD", "discharge efficiency (>= 1: the cell gives η_d Wh per Wh delivered)"],
      ["clcEtaC", "etaC", "charge efficiency (<= 1)"],
      ["clcCutoffD", "cutoffD", "discharge cut-off current per cell (A, negative)"],
      ["clcCutoffC", "cutoffC", "charge cut-off current per cell (A)"],
    ] as const
  ).map(([name, key, doc]) =>
    setting("f64", name, `clc: ${doc} (Vessim's per-cell constant)`, (b: BatterySettings) => (b.clc as ClcCell)[key]),
  ),
]);

const inLoopSettings = group("in-loop", (m: MicrogridSettings) => m.inLoop ?? undefined, [
  setting("f64", "facilityPue", "in-loop: facility power / IT power", (l: NonNullable<MicrogridSettings["inLoop"]>) => l.pue, "pue"),
  setting("f64", "clusterHostW", "in-loop: host power of the whole cluster (W, before PUE)", (l) => l.hostW),
  setting("f64", "solarEndS", "in-loop: where the solar table's data end (s)", (l) => l.solarEndS),
]);

export const MICROGRID_BLOCK: SettingsBlock<MicrogridSettings> = {
  file: "microgrid-config.ts",
  segment: "microgridConfigBlock",
  slotCount: "MICROGRID_CONFIG_SLOTS",
  reader: "readMicrogridConfig",
  groups: [gridSettings, batterySettings, simpleBattery, clcBattery, inLoopSettings],
};

export const MICROGRID_CONFIG_SLOTS = blockSettings(MICROGRID_BLOCK).length;
