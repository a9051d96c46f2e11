/**
 * Profile mode (`--profile-dir DIR`, Vidur's data/profiling layout): per-op models that interpolate the
 * measured medians relative to the roofline (ratio-interp.ts), evaluated on Vidur's grid. Ops or shapes with
 * no profile fall back to the roofline, reported once per op in `sources`.
 *
 * Outside the profiled range the default (`extrapolation: "clamp"`) does what Vidur's random forests do:
 * forests are piecewise constant, so a shape beyond the training data gets the prediction of the nearest
 * profiled edge. Token ops clamp the token count to the profiled range; attention clamps the chunk (prefill)
 * or batch (decode) to its profiled range and then kv to the range profiled at that chunk/batch (Vidur profiles
 * prefill only for kv + chunk ≤ max_model_len, and no chunk below 64). `extrapolation: "roofline"` instead
 * scales the roofline by the edge's measured/roofline ratio, which follows the physics (times keep growing
 * with kv and tokens) but departs from Vidur's tables.
 *
 * @example
 * const t = buildProfileOpTables("vidur/data/profiling", findModel("codellama-34b"), findDevice("a100"),
 *   findNode("a100_pairwise_nvlink"), { tp: 2, pp: 1, maxTokens: 4096, maxBatch: 128, maxChunk: 4096, g: 64 });
 * t.sources.attn_prefill // "profile:…/compute/a100/codellama/CodeLlama-34b-Instruct-hf/attention.csv"
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import type { ModelSpec, OpTables, TokenOp } from "../core/types.js";
import type { DeviceProfile, NodeProfile } from "../profiles/profile-types.js";
import { makeRoofline, tablesFrom, type GridOptions, type OpEstimate, type Roofline } from "./roofline.js";
import { logRatio1d, logRatio2d } from "./ratio-interp.js";
import { MLP_OPS, readAttentionProfile, readCollectiveProfile, readMlpProfile, type MlpOp } from "./profiling-data.js";

export type ProfileExtrapolation = "clamp" | "roofline";

export interface ProfilePredictor {
  est: Pick<Roofline, "tokenOp" | "decode" | "prefill" | "prefillMs">;
  /** Per op: "profile:FILE" or "roofline (no profile: why)". */
  sources: Record<string, string>;
}

export function makeProfilePredictor(
  profileDir: string,
  model: ModelSpec,
  device: DeviceProfile,
  node: NodeProfile,
  o: GridOptions & { extrapolation?: ProfileExtrapolation },
): ProfilePredictor {
  const clamp = (o.extrapolation ?? "clamp") === "clamp";
  if (!existsSync(profileDir) || !statSync(profileDir).isDirectory()) {
    throw InputError.at(
      profileDir,
      undefined,
      undefined,
      "is not a directory (expected Vidur's data/profiling layout: compute/<device>/<org>/<model>/mlp.csv, network/<node>/…)",
    );
  }
  if (readdirSync(profileDir).length === 0) {
    throw InputError.at(
      profileDir,
      undefined,
      undefined,
      "is empty (--profile-dir expects Vidur's data/profiling layout: compute/<device>/<org>/<model>/mlp.csv, network/<node>/…)",
    );
  }
  // Kernel-timed profiles exclude launch gaps: interpolate relative to the bare kernel roofline (as before).
  const rf = makeRoofline(model, device, node, {
    tp: o.tp,
    pp: o.pp,
    precision: o.precision,
    profilesDir: o.profilesDir,
    fixedCosts: false,
  });
  const sources: Record<string, string> = {};
  const tokenRatio = new Map<string, (T: number) => number>();
  /** Per token op: the profiled [min, max] token count (clamp mode). */
  const tokenRange = new Map<string, [number, number]>();
  const setTokenOp = (op: string, T: number[], r: number[]) => {
    tokenRatio.set(op, logRatio1d(T, r));
    tokenRange.set(op, [Math.min(...T), Math.max(...T)]);
  };

  const devDir = [device.name, ...(device.aliases ?? [])].map((n) => join(profileDir, "compute", n)).find((p) => existsSync(p));
  const modelDir = devDir ? join(devDir, model.name) : undefined;
  const why = devDir ? `no ${model.name} under ${devDir}` : `no compute/${device.name} (or an alias) in ${profileDir}`;

  // Token ops from mlp.csv, rows of this model's shape and TP.
  const mlpFile = modelDir && join(modelDir, "mlp.csv");
  if (mlpFile && existsSync(mlpFile)) {
    const p = readMlpProfile(mlpFile);
    const rows: number[] = [];
    for (let i = 0; i < p.rows; i++) {
      if (
        p.tp[i] === o.tp &&
        p.nHead[i] === model.num_q_heads &&
        p.nKvHead[i] === model.num_kv_heads &&
        p.nEmbd[i] === model.embedding_dim &&
        p.nExpanded[i] === model.mlp_hidden_dim &&
        p.gated[i] === model.use_gated_mlp
      )
        rows.push(i);
    }
    for (const op of MLP_OPS) {
      const use = rows.filter((i) => p.ops[op][i]! > 0);
      if (use.length === 0) {
        sources[op] = `roofline (no profile: ${mlpFile} has no ${op} rows for TP ${o.tp} and this model's shape)`;
        continue;
      }
      const T = use.map((i) => p.numTokens[i]!);
      setTokenOp(
        op,
        T,
        use.map((i, k) => Math.log(p.ops[op][i]! / rf.tokenOp(op as MlpOp, T[k]!).ms)),
      );
      sources[op] = `profile:${mlpFile}`;
    }
  }

  // Attention from attention.csv, rows of this model's heads, TP and block size 16.
  const kvNodes = Array.from({ length: Math.floor((o.maxKv ?? o.maxTokens) / o.g) + 1 }, (_, s) => s * o.g);
  let decodeRatio: ((ai: number, b: number) => number) | undefined;
  let prefillRatio: ((ai: number, c: number) => number) | undefined;
  let decodeDomain: KvDomain | undefined;
  let prefillDomain: KvDomain | undefined;
  const attnFile = modelDir && join(modelDir, "attention.csv");
  if (attnFile && existsSync(attnFile)) {
    const a = readAttentionProfile(attnFile);
    const ok = (i: number) =>
      a.tp[i] === o.tp &&
      a.nQHead[i] === model.num_q_heads &&
      a.nKvHead[i] === model.num_kv_heads &&
      a.nEmbd[i] === model.embedding_dim &&
      a.blockSize[i] === 16;
    const pre = { kv: [] as number[], c: [] as number[], r: [] as number[] };
    const dec = { kv: [] as number[], b: [] as number[], r: [] as number[] };
    const save = { T: [] as number[], r: [] as number[] };
    for (let i = 0; i < a.rows; i++) {
      if (!ok(i)) continue;
      const kv = a.kv[i]!;
      const c = a.chunk[i]!;
      const b = a.batchSize[i]!;
      if (c > 0 && a.prefill[i]! > 0) {
        pre.kv.push(kv), pre.c.push(c), pre.r.push(Math.log(a.prefill[i]! / rf.prefill(kv, c).ms));
      } else if (c === 0 && a.decode[i]! > 0) {
        dec.kv.push(kv), dec.b.push(b), dec.r.push(Math.log(a.decode[i]! / rf.decode(b, kv).ms));
      }
      if (a.kvSave[i]! > 0) {
        const T = Math.max(c, b);
        save.T.push(T), save.r.push(Math.log(a.kvSave[i]! / rf.tokenOp("attn_kv_cache_save", T).ms));
      }
    }
    if (pre.r.length) {
      prefillRatio = logRatio2d(pre.kv, pre.c, pre.r, kvNodes, o.maxChunk);
      // Vidur's feature is chunk², so "nearest profiled chunk" is nearest in chunk².
      if (clamp) prefillDomain = kvDomain(pre.c, pre.kv, o.maxChunk, (c) => c * c);
      sources.attn_prefill = `profile:${attnFile}`;
    } else sources.attn_prefill = `roofline (no profile: ${attnFile} has no prefill rows for TP ${o.tp})`;
    if (dec.r.length) {
      decodeRatio = logRatio2d(dec.kv, dec.b, dec.r, kvNodes, o.maxBatch);
      if (clamp) decodeDomain = kvDomain(dec.b, dec.kv, o.maxBatch, (b) => b);
      sources.attn_decode = `profile:${attnFile}`;
    } else sources.attn_decode = `roofline (no profile: ${attnFile} has no decode rows for TP ${o.tp})`;
    if (save.r.length) {
      setTokenOp("attn_kv_cache_save", save.T, save.r);
      sources.attn_kv_cache_save = `profile:${attnFile}`;
    } else sources.attn_kv_cache_save = `roofline (no profile: ${attnFile} has no attn_kv_cache_save column)`;
  }

  // Collectives from network/<node>/, filtered as Vidur does (spec §6.4).
  const netDir = join(profileDir, "network", node.name);
  const collective = (op: "all_reduce" | "send_recv", keep: (dpn: number, workers: number) => boolean) => {
    const file = join(netDir, `${op}.csv`);
    if (!existsSync(file)) return void (sources[op] = `roofline (no profile: ${file} not found)`);
    const c = readCollectiveProfile(file, op);
    const T: number[] = [];
    const r: number[] = [];
    for (let i = 0; i < c.rows; i++) {
      if (!keep(c.devicesPerNode[i]!, c.numWorkers[i]!) || !(c.median[i]! > 0)) continue;
      const t = c.sizeBytes[i]! / model.embedding_dim / 2;
      if (t < 1) continue;
      T.push(t), r.push(Math.log(c.median[i]! / rf.tokenOp(op, t).ms));
    }
    if (!T.length) return void (sources[op] = `roofline (no profile: ${file} has no rows for this TP/placement)`);
    setTokenOp(op, T, r);
    sources[op] = `profile:${file}`;
  };
  if (o.tp > 1) collective("all_reduce", (dpn, w) => w === o.tp && dpn === o.tp);
  if (o.pp > 1) {
    const multiNode = o.tp * o.pp > node.num_devices_per_node;
    collective("send_recv", (dpn) => dpn === (multiNode ? 1 : 2));
  }

  for (const op of [...MLP_OPS, "attn_kv_cache_save", "attn_prefill", "attn_decode"]) sources[op] ??= `roofline (no profile: ${why})`;

  const kvIndex = (kv: number) => Math.min(kvNodes.length - 1, Math.max(0, Math.round(kv / o.g)));
  const scale = (e: OpEstimate, lr: number): OpEstimate => ({ ...e, ms: e.ms * Math.exp(lr) });
  const prefillMs = (kv: number, c: number): number => {
    if (!prefillRatio) return rf.prefillMs(kv, c);
    if (prefillDomain) {
      const c0 = c;
      c = prefillDomain.x(c0);
      kv = prefillDomain.kv(c0, kv);
    }
    return rf.prefillMs(kv, c) * Math.exp(prefillRatio(kvIndex(kv), c));
  };
  return {
    sources,
    est: {
      tokenOp(op: TokenOp | "attn_kv_cache_save", T: number) {
        const f = tokenRatio.get(op);
        if (!f) return rf.tokenOp(op, T);
        const range = clamp ? tokenRange.get(op) : undefined;
        const Tq = range ? Math.min(range[1], Math.max(range[0], T)) : T;
        const e = scale(rf.tokenOp(op, Tq), f(Tq));
        // The time is the edge's; FLOPs and bytes stay those of the real shape.
        return Tq === T ? e : { ...rf.tokenOp(op, T), ms: e.ms };
      },
      decode(b: number, kv: number) {
        if (!decodeRatio) return rf.decode(b, kv);
        const bq = decodeDomain ? decodeDomain.x(b) : b;
        const kq = decodeDomain ? decodeDomain.kv(b, kv) : kv;
        const ms = rf.decode(bq, kq).ms * Math.exp(decodeRatio(kvIndex(kq), bq));
        return { ...rf.decode(b, kv), ms };
      },
      prefill(kv: number, c: number) {
        return { ...rf.prefill(kv, c), ms: prefillMs(kv, c) };
      },
      prefillMs,
    },
  };
}

/** Clamps a 2-D attention shape (x = chunk or batch, kv) into the profiled domain. */
interface KvDomain {
  /** x clamped to the profiled [min, max]. */
  x(x: number): number;
  /** kv clamped to the range profiled at the profiled x nearest to x (in Vidur's feature space). */
  kv(x: number, kv: number): number;
}

/**
 * The profiled domain of a 2-D attention op, tabulated for integer x in 1..xMax (beyond: xMax's entry).
 * `feature` is the forest's feature for x (chunk² for prefill, batch for decode): x between two profiled
 * values takes the kv range of the nearer one in that feature, as a forest split at the midpoint would.
 */
export function kvDomain(xs: readonly number[], kvs: readonly number[], xMax: number, feature: (x: number) => number): KvDomain {
  const range = new Map<number, [number, number]>();
  xs.forEach((x, i) => {
    const r = range.get(x);
    const kv = kvs[i]!;
    if (!r) range.set(x, [kv, kv]);
    else (r[0] = Math.min(r[0], kv)), (r[1] = Math.max(r[1], kv));
  });
  const px = [...range.keys()].sort((a, b) => a - b);
  const lo = new Float64Array(xMax + 1);
  const hi = new Float64Array(xMax + 1);
  let j = 0;
  for (let x = 1; x <= xMax; x++) {
    while (j + 1 < px.length && px[j + 1]! <= x) j++;
    // px[j] <= x < px[j+1] (or x outside the profiled range): pick the nearer in feature space.
    let n = px[j]!;
    if (x < px[0]!) n = px[0]!;
    else if (j + 1 < px.length && feature(px[j + 1]!) - feature(x) < feature(x) - feature(px[j]!)) n = px[j + 1]!;
    const r = range.get(n)!;
    lo[x] = r[0];
    hi[x] = r[1];
  }
  const xLo = px[0]!;
  const xHi = px[px.length - 1]!;
  return {
    x: (x) => (x < xLo ? xLo : Math.min(x, xHi)),
    kv: (x, kv) => {
      const i = x > xMax ? xMax : x < 1 ? 1 : Math.round(x);
      return kv < lo[i]! ? lo[i]! : Math.min(kv, hi[i]!);
    },
  };
}

export function buildProfileOpTables(
  profileDir: string,
  model: ModelSpec,
  device: DeviceProfile,
  node: NodeProfile,
  o: GridOptions & { extrapolation?: ProfileExtrapolation },
): OpTables {
  const p = makeProfilePredictor(profileDir, model, device, node, o);
  return tablesFrom(p.est, o, (op) => p.sources[op] ?? "roofline");
}
