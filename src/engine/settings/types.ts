/**
 * One descriptor per engine setting: a value in the f64 config block that the WASM engine reads at the start of
 * a run. From the table (index.ts) come both sides of the seam: the host writes slot i from `value(scenario)`,
 * and `npm run build:wasm` generates assembly/generated/config.ts with one typed global per setting and the
 * function that reads them all (src/engine/settings/generate.ts). No slot number is written by hand.
 *
 * @example
 * const s = setting("i32", "numReplicas", "number of replicas", (sc: Scenario) => sc.numReplicas, "cluster_config_num_replicas");
 */
export type SettingType = "i32" | "f64" | "bool";

export interface EngineSetting<S> {
  /** The AssemblyScript global's name (camelCase) in assembly/generated/config.ts. */
  name: string;
  type: SettingType;
  /** One line: what the engine does with it (becomes the global's doc comment). */
  doc: string;
  /** The value for a resolved input; booleans become 1 / 0. */
  value: (input: S) => number | boolean;
  /** The option that sets it, for messages about a bad value. */
  option?: string;
}

/** Settings that read one part of the scenario; when `select` gives undefined every slot of the group is 0. */
export interface SettingGroup<Root, S = Root> {
  name: string;
  select: (root: Root) => S | undefined;
  settings: readonly EngineSetting<S>[];
}

export function setting<S>(
  type: SettingType,
  name: string,
  doc: string,
  value: (input: S) => number | boolean,
  option?: string,
): EngineSetting<S> {
  return option === undefined ? { name, type, doc, value } : { name, type, doc, value, option };
}

/** A group over a part of the root input (type-checked once, stored untyped in the table). */
export function group<Root, S>(
  name: string,
  select: (root: Root) => S | undefined,
  settings: readonly EngineSetting<S>[],
): SettingGroup<Root, unknown> {
  return { name, select, settings } as unknown as SettingGroup<Root, unknown>;
}

/**
 * One f64 config area of the engine and the groups written into it, in slot order. The engine's main block
 * (root: the Scenario) and the microgrid's (root: the resolved microgrid settings, which `tokenwatt cosim`
 * writes without a simulation) are two blocks; each becomes one generated AssemblyScript file.
 */
export interface SettingsBlock<Root> {
  /** Generated file under assembly/generated/. */
  file: string;
  /** The static segment's name, the slot-count constant's name and the reader function's name in that file. */
  segment: string;
  slotCount: string;
  reader: string;
  groups: readonly SettingGroup<Root, unknown>[];
}

/** Every setting of a block, in slot order. */
export function blockSettings<Root>(b: SettingsBlock<Root>): readonly EngineSetting<unknown>[] {
  return b.groups.flatMap((g) => g.settings);
}

/** Writes every slot of `block` for `root` (a group whose part is absent writes zeros). */
export function writeBlock<Root>(b: SettingsBlock<Root>, block: Float64Array, root: Root): void {
  let slot = 0;
  for (const g of b.groups) {
    const part = g.select(root);
    for (const s of g.settings) {
      const v = part === undefined ? 0 : s.value(part);
      block[slot++] = typeof v === "boolean" ? (v ? 1 : 0) : v;
    }
  }
}
