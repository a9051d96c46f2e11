/**
 * The engine's configuration block: every setting group in slot order. Slot i holds ENGINE_SETTINGS[i]; the
 * engine's side is generated from this list (assembly/generated/config.ts, `npm run build:wasm`). A new
 * setting is one entry in a group; a new group is one file plus one line below; the microgrid's settings are a
 * second block (microgrid.ts) because `tokenwatt cosim` writes them without a Scenario.
 *
 * @example
 * writeSettings(new Float64Array(CONFIG_SLOTS), scenario); // slot i = ENGINE_SETTINGS[i].value(…)
 */
import type { Scenario } from "../../scenario/types.js";
import { controlSettings } from "./control.js";
import { energySettings } from "./energy.js";
import { predictorSettings } from "./predictor.js";
import { simulationSettings } from "./simulation.js";
import { MICROGRID_BLOCK } from "./microgrid.js";
import { blockSettings, type EngineSetting, type SettingGroup, type SettingsBlock, writeBlock } from "./types.js";

export const SETTING_GROUPS: readonly SettingGroup<Scenario, unknown>[] = [
  simulationSettings,
  predictorSettings,
  energySettings,
  controlSettings,
];

/** The engine's main block (assembly/generated/config.ts), written before prepare(). */
export const ENGINE_BLOCK: SettingsBlock<Scenario> = {
  file: "config.ts",
  segment: "configBlock",
  slotCount: "CONFIG_SLOTS",
  reader: "readConfig",
  groups: SETTING_GROUPS,
};

/** Every config area of the engine: the main block and the microgrid's (src/engine/settings/microgrid.ts). */
export const SETTINGS_BLOCKS: readonly SettingsBlock<never>[] = [ENGINE_BLOCK, MICROGRID_BLOCK] as readonly SettingsBlock<never>[];

/** Every setting of the main block in slot order. */
export const ENGINE_SETTINGS: readonly EngineSetting<unknown>[] = blockSettings(ENGINE_BLOCK);
export const CONFIG_SLOTS = ENGINE_SETTINGS.length;

/** Writes every slot of the config block for `scenario` (a group whose part is absent writes zeros). */
export function writeSettings(block: Float64Array, scenario: Scenario): void {
  writeBlock(ENGINE_BLOCK, block, scenario);
}

/** The setting in a slot (for the engine's ERR_BAD_CONFIG, which names the slot). */
export function settingAt(slot: number): EngineSetting<unknown> | undefined {
  return ENGINE_SETTINGS[slot];
}
