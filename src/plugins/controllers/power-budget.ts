/**
 * `power-budget` (code 3): keeps the facility's power under --power-budget-w: over budget it climbs a ladder one
 * level per grid step (hold deferrable requests and cap GPU power, then cap the batch size, then switch
 * replicas off one by one), and climbs down in reverse order under budget × (1 − margin).
 */
import { float } from "../../core/descriptor.js";
import { controllerPlugin } from "./common.js";

const group = "controller: power-budget";

export const powerBudget = controllerPlugin({
  name: "power-budget",
  code: 3,
  doc: "keep facility power under --power-budget-w: power cap, then batch cap, then replicas off",
  options: {
    power_budget_w: float({
      default: 0,
      min: 0,
      group,
      help: "facility power budget (W, after PUE, the microgrid's load); required by --controller power-budget",
    }),
    control_budget_margin: float({
      default: 0.1,
      min: 0,
      max: 0.9,
      group,
      help: "power-budget steps back once the load is below budget × (1 − this)",
    }),
  },
  engine: { file: "control/power_budget", functions: { tick: "powerBudgetTick" } },
});
