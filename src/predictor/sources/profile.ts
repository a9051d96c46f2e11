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
