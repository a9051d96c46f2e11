/**
 * Option descriptors → commander flags, for every command that takes simulation options (simulate, cosim, …).
 * Each option is shown once under its group; the spelling with '-' and '_' swapped is accepted too (hidden),
 * and booleans get `--no-…`. `givenOptions` collects what was typed on the command line, by canonical name.
 *
 * @example
 * addOptionFlags(cmd, OPTIONS, OPTION_ALIASES);
 * cmd.action((flags, command) => resolveOptions(givenOptions(command, flags)));
 */
import { Option, type Command } from "commander";
import type { OptionDef } from "../core/descriptor.js";

function metavar(type: string): string {
  return type === "int" ? "<int>" : type === "float" ? "<number>" : type === "path" ? "<path>" : "<value>";
}

const swapped = (flag: string): string => (flag.includes("_") ? flag.replace(/_/g, "-") : flag.replace(/-/g, "_"));

function flagOptions(def: OptionDef, flag: string, description: string, group: string, hidden: boolean): Option[] {
  const out =
    def.type === "bool"
      ? [new Option(`--${flag}`, description), new Option(`--no-${flag}`, `turn off --${flag}`)]
      : [new Option(`--${flag} ${metavar(def.type)}`, description)];
  for (const o of out) {
    o.helpGroup(group);
    if (hidden) o.hideHelp();
  }
  return out;
}

/** Registers `defs` (and `aliases`: spelling → canonical name) on `cmd`. */
export function addOptionFlags(cmd: Command, defs: readonly OptionDef[], aliases: Readonly<Record<string, string>> = {}): void {
  const taken = new Set<string>();
  const add = (def: OptionDef, flag: string, description: string, group: string, hidden: boolean): void => {
    if (taken.has(flag)) return;
    taken.add(flag);
    for (const o of flagOptions(def, flag, description, group, hidden)) cmd.addOption(o);
  };
  for (const def of defs) {
    const dflt = def.default === null ? "" : ` (default: ${def.default})`;
    const choices = def.choices ? ` [${def.choices.join("|")}]` : "";
    add(def, def.name, `${def.help}${choices}${dflt}`, `${def.group}:`, false);
  }
  const byName = new Map(defs.map((d) => [d.name, d]));
  for (const [alias, target] of Object.entries(aliases)) {
    const def = byName.get(target);
    if (def) add(def, alias, `same as --${target}`, "tokenwatt shortcuts:", !alias.includes("-"));
  }
  for (const def of defs) add(def, swapped(def.name), `same as --${def.name}`, `${def.group}:`, true);
  for (const [alias, target] of Object.entries(aliases)) {
    const def = byName.get(target);
    if (def) add(def, swapped(alias), `same as --${target}`, "tokenwatt shortcuts:", true);
  }
}

/**
 * The options typed on the command line (not defaults), keyed by the spelling used; `resolveOptions` maps
 * spellings to canonical names and checks each value.
 */
export function givenOptions(
  command: Command,
  flags: Record<string, unknown>,
  skip: readonly string[] = ["config"],
): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const opt of command.options) {
    const key = opt.attributeName();
    if (skip.includes(key)) continue;
    const value = flags[key];
    if (value === undefined || command.getOptionValueSource(key) !== "cli") continue;
    given[opt.long!.replace(/^--(no-)?/, "")] = value;
  }
  return given;
}
