/** Predictor source "op-tables": Vidur's precomputed prediction CSVs (--op-tables DIR), looked up as Vidur does. */
import { InputError } from "../../core/errors.js";
import { readVidurOpTables } from "../vidur-op-tables.js";
import type { PredictorOptions, PredictorSource } from "../source-types.js";

function dir(o: PredictorOptions): string {
  if (!o.opTablesDir) throw new InputError("predictor source op-tables needs --op-tables DIR (directory of <op>.csv prediction tables)");
  return o.opTablesDir;
}

function outside(what: string): never {
  throw new InputError(`op tables have no entry for ${what} (Vidur raises KeyError here; add the key or enlarge the tables' grid)`);
}

export const opTablesSource: PredictorSource = {
  name: "op-tables",
  doc: "Vidur's per-op prediction tables (<op>.csv or <op>_<hash>_predictions.csv), exact lookups",
  build: (o) => readVidurOpTables(dir(o), { tp: o.tp, pp: o.pp, maxTokens: o.maxTokens, g: o.g }),
  estimator(o) {
    const t = readVidurOpTables(dir(o), { tp: o.tp, pp: o.pp, maxTokens: o.maxTokens, g: o.g });
    return {
      tokenOp(op, T) {
        const a = op === "attn_kv_cache_save" ? t.attnKvCacheSave : t.tokenOps[op];
        if (!a || T < 1 || T > t.maxTokens || Number.isNaN(a[T]!)) outside(`${op} at ${T} tokens`);
        return a[T]!;
      },
      decode(b, kv) {
        const s = kv / t.kvGranularity;
        const inGrid = b >= 1 && b <= t.decodeMaxBatch && s < t.decodeKvSteps && Number.isInteger(s);
        const v = inGrid ? t.attnDecode[(b - 1) * t.decodeKvSteps + s]! : NaN;
        if (Number.isNaN(v)) outside(`attn_decode batch ${b}, kv ${kv}`);
        return v;
      },
      prefill(kv, c) {
        const s = kv / t.kvGranularity;
        const inGrid = c >= 1 && c <= t.prefillMaxChunk && s < t.prefillKvSteps && Number.isInteger(s);
        const v = inGrid ? t.attnPrefill[s * t.prefillMaxChunk + c - 1]! : NaN;
        if (Number.isNaN(v)) outside(`attn_prefill kv ${kv}, chunk ${c}`);
        return v;
      },
      sources: t.sources,
    };
  },
};
