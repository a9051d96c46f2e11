/**
 * `mfu`: Vidur-Energy's curve, for comparison with published work, with MFU as a fraction (their units bug
 * fixed): P = P_idle + (P_max − P_idle) · min(1, (MFU / 0.45)^0.7). MFU is Vidur's own (its FLOP count over
 * the full stage time and the 2^40-scaled fp16 peak). Gaps between stages draw P_idle, as P(0) in their meters.
 * A100: 100 W at 0 %, 204.7 W at 10 %, 400 W at ≥ 45 %.
 */
import { deviceWatts, powerModel } from "./types.js";

export const MFU_KNEE = 0.45;
export const MFU_EXPONENT = 0.7;

export const mfuPowerModel = powerModel({
  name: "mfu",
  code: 2,
  doc: "Vidur-Energy's MFU curve (MFU as a fraction), for comparison with published work",
  engine: { file: "power/mfu", functions: { stagePower: "mfuStagePower" } },
  params(device, profile) {
    const own = profile.device?.mfu_w;
    const { tdp, idle } = deviceWatts(device);
    const w = own ?? { idle, max: tdp };
    return {
      gapW: w.idle,
      baseW: w.idle,
      maxW: w.max,
      params: [MFU_KNEE, MFU_EXPONENT, 0, 0, 0, 0],
      sources: [
        "curve: Vidur-Energy interpolate_power (TYPICAL_HIGH_MFU 0.45, exponent 0.7), energy-and-grid.md §1.2",
        own ? `${profile.file}: devices.${device.name}.mfu_w (${profile.device?.source})` : "idle/max: profiles/devices idle_w / tdp_w",
      ],
    };
  },
  power(p, load) {
    const u = load.vidurMfu;
    const f = u > 0 ? Math.min(1, Math.pow(u / p.params[0], p.params[1])) : 0;
    return p.baseW + (p.maxW - p.baseW) * f;
  },
});
