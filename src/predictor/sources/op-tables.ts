/** Predictor source "op-tables": Vidur's precomputed prediction CSVs (--op-tables DIR), looked up as Vidur does. */
import { InputError } from "../../core/errors.js";
import type { OpTables } from "../../core/types.js";
import { makeRoofline } from "../roofline.js";
import { readVidurOpTables } from "../vidur-op-tables.js";
import type { PredictorOptions, PredictorSource } from "../source-types.js";

function dir(o: PredictorOptions): string {
  if (!o.opTablesDir) throw new InputError("predictor source op-tables needs --op-tables DIR (directory of <op>.csv prediction tables)");
  return o.opTablesDir;
}

function outside(what: string): never {
  throw new InputError(`op tables have no entry for ${what} (Vidur raises KeyError here; add the key or enlarge the tables' grid)`);
}

/** Allowed ratio between the tables' and the roofline's GEMM times (the roofline is within ~10 % on Vidur's data). */
const PLAUSIBLE_RATIO = 1.6;

/**
 * Op tables carry no model or TP, but their GEMM times imply them: a TP-2 table is half a TP-1 one, a 34B
 * model's four times a 7B's. Compares the median ratio of the three largest GEMMs against the roofline of the
 * scenario's model, device and TP at 1024-4096 tokens, and refuses tables made for something else.
 */
export function checkOpTablesFit(t: OpTables, o: PredictorOptions, where: string): void {
  const rf = makeRoofline(o.model, o.device, o.node, { tp: o.tp, pp: o.pp, precision: o.precision, profilesDir: o.profilesDir });
  const ratios: number[] = [];
  for (const op of ["mlp_up_proj", "mlp_down_proj", "attn_pre_proj"] as const) {
    const a = t.tokenOps[op];
    if (!a) continue;
    for (const T of [1024, 2048, 4096]) {
      if (T > t.maxTokens || !(a[T]! > 0)) continue;
      ratios.push(a[T]! / rf.tokenOp(op, T).ms);
    }
  }
  if (ratios.length === 0) return;
  ratios.sort((x, y) => x - y);
  const r = ratios[ratios.length >> 1]!;
  if (r <= PLAUSIBLE_RATIO && r >= 1 / PLAUSIBLE_RATIO) return;
  throw new InputError(
    `--op-tables ${where}: its GEMM times are ${r.toFixed(2)}x what ${o.model.name} at TP ${o.tp} on ${o.device.name} takes ` +
      `(allowed ${(1 / PLAUSIBLE_RATIO).toFixed(2)}-${PLAUSIBLE_RATIO}x), so they were made for another model, TP or device; ` +
      `pass the tables of this configuration, or drop --op-tables to use the roofline`,
  );
}

export const opTablesSource: PredictorSource = {
  name: "op-tables",
  doc: "Vidur's per-op prediction tables (<op>.csv or <op>_<hash>_predictions.csv), exact lookups",
  build: (o) => {
    const t = readVidurOpTables(dir(o), { tp: o.tp, pp: o.pp, maxTokens: o.maxTokens, g: o.g });
    checkOpTablesFit(t, o, dir(o));
    return t;
  },
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
