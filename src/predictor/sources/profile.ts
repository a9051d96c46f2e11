/** Predictor source "profile": interpolated Vidur profiling CSVs (--profile-dir), roofline where missing. */
import { InputError } from "../../core/errors.js";
import { makeProfilePredictor } from "../vidur-profiles.js";
import { tablesFrom } from "../roofline.js";
import type { PredictorOptions, PredictorSource } from "../source-types.js";

function dir(o: PredictorOptions): string {
  if (!o.profileDir) throw new InputError("predictor source profile needs --profile-dir DIR (Vidur's data/profiling layout)");
  return o.profileDir;
}

export const profileSource: PredictorSource = {
  name: "profile",
  doc: "Vidur profiling CSVs (--profile-dir), interpolated relative to the roofline; roofline for missing ops",
  build(o) {
    const p = makeProfilePredictor(dir(o), o.model, o.device, o.node, { ...o, extrapolation: o.profileExtrapolation });
    // a profile directory that contributes nothing (another model, device or TP) is a mistake, not a fallback
    if (!Object.values(p.sources).some((s) => s.startsWith("profile:"))) {
      const why = p.sources.mlp_up_proj ?? Object.values(p.sources)[0] ?? "";
      throw new InputError(
        `--profile-dir ${dir(o)} has no profile for ${o.model.name} on ${o.device.name} at TP ${o.tp} ` +
          `(${why.replace(/^roofline \(no profile: /, "").replace(/\)$/, "")}); profile this configuration, or drop --profile-dir to use the roofline`,
      );
    }
    return tablesFrom(p.est, o, (op) => p.sources[op] ?? "roofline");
  },
  estimator(o) {
    const p = makeProfilePredictor(dir(o), o.model, o.device, o.node, { ...o, extrapolation: o.profileExtrapolation });
    return {
      tokenOp: (op, T) => p.est.tokenOp(op, T).ms,
      decode: (b, kv) => p.est.decode(b, kv).ms,
      prefill: (kv, c) => p.est.prefillMs(kv, c),
      sources: p.sources,
    };
  },
};
