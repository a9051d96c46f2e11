/**
 * How a run kept to `--power-budget-w` (summary `power_budget`, in the controlled run and its baseline alike):
 * grid steps whose mean facility load exceeded the budget, the energy above it, and the largest step load.
 *
 * @example
 * budgetSummary(new Float64Array([900, 1200]), 60, 120, 1000); // { budget_w: 1000, steps_over_budget: 1, ... }
 */
export function budgetSummary(loadW: Float64Array, stepS: number, endS: number, budgetW: number): Record<string, number> {
  let over = 0;
  let overJ = 0;
  let max = 0;
  for (let i = 0; i < loadW.length; i++) {
    const len = Math.min(stepS, endS - i * stepS);
    if (loadW[i] > budgetW) {
      over++;
      overJ += (loadW[i] - budgetW) * len;
    }
    if (loadW[i] > max) max = loadW[i];
  }
  return {
    budget_w: budgetW,
    steps: loadW.length,
    steps_over_budget: over,
    energy_over_budget_kwh: overJ / 3.6e6,
    max_step_load_w: max,
  };
}
