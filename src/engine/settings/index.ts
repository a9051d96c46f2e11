/**
 * The engine's configuration block: every setting group in slot order. Slot i holds ENGINE_SETTINGS[i]; the
 * engine's side is generated from this list (assembly/generated/config.ts, `npm run build:wasm`). A new
 * setting is one entry in a group; a new group (e.g. the microgrid's) is one file plus one line below.
 *
 * @example
 * writeSettings(new Float64Array(CONFIG_SLOTS), scenario); // slot i = ENGINE_SETTINGS[i].value(…)
 */
import type { Scenario } from "../../scenario/types.js";
import { controlSettings } from "./control.js";
import { energySettings } from "./energy.js";
import { predictorSettings } from "./predictor.js";
import { simulationSettings } from "./simulation.js";
import type { EngineSetting, SettingGroup } from "./types.js";

export const SETTING_GROUPS: readonly SettingGroup<Scenario, unknown>[] = [
  simulationSettings,
  predictorSettings,
  energySettings,
  controlSettings,
];

/** Every setting in slot order. */
export const ENGINE_SETTINGS: readonly EngineSetting<unknown>[] = SETTING_GROUPS.flatMap((g) => g.settings);
export const CONFIG_SLOTS = ENGINE_SETTINGS.length;

/** Writes every slot of the config block for `scenario` (a group whose part is absent writes zeros). */
export function writeSettings(block: Float64Array, scenario: Scenario): void {
  let slot = 0;
  for (const g of SETTING_GROUPS) {
    const part = g.select(scenario);
    for (const s of g.settings) {
      const v = part === undefined ? 0 : s.value(part);
      block[slot++] = typeof v === "boolean" ? (v ? 1 : 0) : v;
    }
  }
}

/** The setting in a slot (for the engine's ERR_BAD_CONFIG, which names the slot). */
export function settingAt(slot: number): EngineSetting<unknown> | undefined {
  return ENGINE_SETTINGS[slot];
}
