/**
 * Where a controller's savings come from, against its --compare-baseline run. Emissions are grid import × the
 * import-weighted mean CI (E = I · c̄), so the difference splits exactly into
 *   energy:  (I − I₀) · c̄₀   less (or more) energy imported: power caps, batching, battery use
 *   timing:  I · (c̄ − c̄₀)    the same import moved to greener or dirtier steps: time shifting
 * plus the GPU and facility energy differences and the deferral figures of the `control` object. The energy
 * part is split further by the actuators' own GPU-energy savings (the `control` object's
 * replicas_off_gpu_energy_kwh_saved and power_cap_gpu_energy_kwh_saved), each × PUE × c̄₀ — first order: as if
 * every saved facility kWh had been imported at the baseline's mean CI — and the rest (batching, battery, solar).
 *
 * @example
 * vsBaseline(summary, summary.baseline).emissions_import_g_saved; // > 0 when the controller saved CO2
 */
type Summary = Record<string, unknown>;

const num = (o: unknown, ...path: string[]): number => {
  let x: unknown = o;
  for (const k of path) x = (x as Record<string, unknown> | undefined)?.[k];
  return typeof x === "number" ? x : Number.NaN;
};

export function vsBaseline(run: Summary, baseline: Summary): Record<string, number> {
  const e1 = num(run, "microgrid", "emissions_import_g");
  const e0 = num(baseline, "microgrid", "emissions_import_g");
  const i1 = num(run, "microgrid", "grid_import_kwh");
  const i0 = num(baseline, "microgrid", "grid_import_kwh");
  const c1 = i1 > 0 ? e1 / i1 : 0;
  const c0 = i0 > 0 ? e0 / i0 : 0;
  const pue = num(run, "energy", "pue");
  const k = (Number.isFinite(pue) ? pue : 1) * c0;
  const control = (run.control ?? {}) as Record<string, unknown>;
  const offKwh = num(control, "replicas_off_gpu_energy_kwh_saved");
  const capKwh = num(control, "power_cap_gpu_energy_kwh_saved");
  const byOff = Number.isFinite(offKwh) ? offKwh * k : 0;
  const byCap = Number.isFinite(capKwh) ? capKwh * k : 0;
  return {
    emissions_import_g_saved: e0 - e1,
    emissions_import_saved_fraction: e0 > 0 ? (e0 - e1) / e0 : 0,
    saved_by_less_import_g: (i0 - i1) * c0,
    saved_by_timing_g: i1 * (c0 - c1),
    saved_by_replicas_off_g: byOff,
    saved_by_power_cap_g: byCap,
    saved_by_other_g: (i0 - i1) * c0 - byOff - byCap,
    grid_import_kwh_saved: i0 - i1,
    import_mean_ci_g_per_kwh: c1,
    baseline_import_mean_ci_g_per_kwh: c0,
    gpu_energy_kwh_saved: num(baseline, "energy", "gpu_energy_kwh") - num(run, "energy", "gpu_energy_kwh"),
    served_output_tokens_difference: num(run, "served_output_tokens") - num(baseline, "served_output_tokens"),
  };
}
