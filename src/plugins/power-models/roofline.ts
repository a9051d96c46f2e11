/**
 * `roofline` (default): power from the stage's compute and memory-bandwidth utilisations,
 *   P = P_idle_active + (P_max − P_idle_active) · g(u_c, u_m),
 *   g = min(1, a_m·u_m^e_m + a_c·u_c^e_c + a_x·(u_m·u_c)^e_x),   utilisations clamped to [0, 1],
 * with P_idle_active = bare idle + CUDA-context overhead, P_max = TDP, and the curve per device family in
 * profiles/power/<family>.json (calibrated on ML.ENERGY Llama-3.1-8B/H100 and Splitwise, see docs/energy.md).
 * Memory-bound decode thus draws a large share of TDP even at MFU ≈ 0, unlike the MFU-only curve.
 */
import { deviceWatts, powerModel } from "./types.js";

export const rooflinePowerModel = powerModel({
  name: "roofline",
  code: 0,
  doc: "roofline: power from the stage's compute and memory utilisation (default; calibrated per device family)",
  engine: { file: "power/roofline", functions: { stagePower: "rooflineStagePower" } },
  params(device, profile) {
    const { tdp, idle } = deviceWatts(device);
    const g = profile.g;
    return {
      gapW: idle + profile.contextW,
      baseW: idle + profile.contextW,
      maxW: tdp,
      params: [g.mem_weight, g.mem_exponent, g.compute_weight, g.compute_exponent, g.cross_weight, g.cross_exponent],
      sources: [
        `idle ${idle} W and TDP ${tdp} W: profiles/devices (${device.name})`,
        `CUDA-context overhead ${profile.contextW} W and g curve: ${profile.file}: ${profile.gSource}`,
      ],
    };
  },
  power(p, load) {
    const [A, B, C, D, E, F] = p.params;
    const m = Math.min(1, Math.max(0, load.memoryUtil));
    const c = Math.min(1, Math.max(0, load.computeUtil));
    let g = A * Math.pow(m, B) + C * Math.pow(c, D);
    if (E !== 0) g += E * Math.pow(m * c, F);
    return p.baseW + (p.maxW - p.baseW) * Math.min(1, g);
  },
});
