/**
 * The grid controllers (`--controller`). Adding one: an AssemblyScript file under assembly/control/ exporting
 * `tick(t, dt)`, a descriptor file here, and one line in this list; `npm run build:wasm` regenerates the
 * dispatch (assembly/generated/controllers.ts). Their flags: CONTROL_OPTION_TABLE (docs/control.md).
 *
 * @example
 * controllerByName("carbon-aware").code; // 1
 */
import { bool, choice, named } from "../../core/descriptor.js";
import { InputError } from "../../core/errors.js";
import { carbonAware } from "./carbon-aware.js";
import { COMMON_CONTROL_OPTIONS } from "./common.js";
import { none } from "./none.js";
import { powerBudget } from "./power-budget.js";
import { solarFollow } from "./solar-follow.js";

export const CONTROLLERS = [none, carbonAware, solarFollow, powerBudget] as const;

export type Controller = (typeof CONTROLLERS)[number];
export type ControllerName = Controller["name"];
export const CONTROLLER_NAMES = CONTROLLERS.map((c) => c.name) as unknown as readonly [ControllerName, ...ControllerName[]];

export function controllerByName(name: string): Controller {
  const c = CONTROLLERS.find((p) => p.name === name);
  if (!c) throw new InputError(`--controller must be one of ${CONTROLLER_NAMES.join(", ")}, got "${name}"`);
  return c;
}

/** Every controller flag: the choice, the shared options, then each controller's own. */
export const CONTROL_OPTION_TABLE = named({
  controller: choice(CONTROLLER_NAMES, {
    default: "none",
    group: "controller",
    help: `grid controller run at every grid step (needs microgrid flags): ${CONTROLLERS.map((c) => `${c.name}: ${c.doc}`).join("; ")}`,
  }),
  compare_baseline: bool({
    default: false,
    group: "controller",
    help: "also run the identical workload under --controller none; summary.json gets its keys under `baseline`",
  }),
  ...COMMON_CONTROL_OPTIONS,
  ...carbonAware.options,
  ...solarFollow.options,
  ...powerBudget.options,
});
