/**
 * `phase`: Splitwise's constant per-phase power per GPU (idle between stages, prefill, decode); a mixed batch
 * draws the token-weighted mix P = s·P_prefill + (1 − s)·P_decode, s = prefill tokens / all tokens. Devices
 * without published constants use the family's fractions of TDP and their own idle (profiles/power).
 */
import { deviceWatts, powerModel } from "./types.js";

export const phasePowerModel = powerModel({
  name: "phase",
  code: 1,
  doc: "Splitwise's constant prefill / decode power, token-weighted for mixed batches",
  engine: { file: "power/phase", functions: { stagePower: "phaseStagePower" } },
  params(device, profile) {
    const own = profile.device?.phase_w;
    const { tdp, idle } = deviceWatts(device);
    const w = own ?? {
      idle,
      prefill: tdp * profile.phase.prefill_fraction_of_tdp,
      decode: tdp * profile.phase.decode_fraction_of_tdp,
    };
    return {
      gapW: w.idle,
      baseW: w.idle,
      maxW: w.prefill,
      params: [w.prefill, w.decode, 0, 0, 0, 0],
      sources: [
        own
          ? `${profile.file}: devices.${device.name}.phase_w (${profile.device?.source})`
          : `${profile.file}: phase fractions of TDP (${profile.phase.source}); idle from profiles/devices`,
      ],
    };
  },
  power(p, load) {
    return load.prefillShare * p.params[0] + (1 - load.prefillShare) * p.params[1];
  },
});
