/** Predictor source "roofline" (default): analytic times with fitted efficiencies. See ../roofline.ts. */
import { buildRooflineOpTables, makeRoofline } from "../roofline.js";
import type { PredictorSource } from "../source-types.js";

export const rooflineSource: PredictorSource = {
  name: "roofline",
  doc: "analytic roofline with efficiencies fitted to Vidur's profiles (any model/device in the catalogue)",
  build: (o) => buildRooflineOpTables(o.model, o.device, o.node, o),
  estimator(o) {
    const rf = makeRoofline(o.model, o.device, o.node, o);
    return {
      tokenOp: (op, T) => rf.tokenOp(op, T).ms,
      decode: (b, kv) => rf.decode(b, kv).ms,
      prefill: (kv, c) => rf.prefillMs(kv, c),
      sources: new Proxy({}, { get: () => "roofline" }) as Record<string, string>,
    };
  },
};
