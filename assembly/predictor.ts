// Batch execution time from dense per-operator tables (ms per layer per TP worker), with Vidur's keying:
// ceil8 token counts, exact T for the KV-cache save, mean-then-round-up-to-g decode context, sqrt(sum c^2)
// prefill chunk over summed rounded-up contexts, the GQA batching overhead, two all-reduces per layer under
// TP and a send/recv on every stage but the last. The sums are evaluated in Vidur's order so results are
// bit-identical.
import * as abi from "./abi";
import { bMfuFlops, bPrefillTokens, batchReqs, batchToks, bTotalTokens } from "./batch";
import * as config from "./generated/config";
import { FLAG_PREFILL_COMPLETE, fail, numStages, reqFlags, reqMask, reqProcessed } from "./state";
import { allocF64, loadF64, loadI32, storeF64, storeI32 } from "./vec";
import { energyOn, energyWorkBegin, energyWorkEnd, requestFlops } from "./energy";

export const opTables: usize = memory.data(abi.NUM_OPS * 8); // pointer per op (0 = absent)
const opLengths: usize = memory.data(abi.NUM_OPS * 4);

let maxTokens: i32 = 0;
let g: i32 = 64;
let decodeMaxBatch: i32 = 0;
let decodeKvSteps: i32 = 0;
let prefillMaxChunk: i32 = 0;
let prefillKvSteps: i32 = 0;
let layersPerStage: f64 = 1;
let tp: i32 = 1;
let tpExtraMs: f64 = 0; // nccl launch overhead; skew term added separately to keep Vidur's order
let tpSkewMs: f64 = 0;
let decodeOverhead: f64 = 0;
let prefillOverhead: f64 = 0;
let postAttnNorm: bool = true;
let paramsPerDevice: f64 = 0;
let mfuAttnFactor: f64 = 0;
let deviceFlops: f64 = 1;

/** Allocates the table for `op` with `len` f64 entries; the host fills it. */
export function allocOpTable(op: i32, len: i32): usize {
  const p = allocF64(len);
  store<usize>(opTables + (<usize>op << alignof<usize>()), p);
  store<i32>(opLengths + (<usize>op << 2), len);
  return p;
}

export function resetOpTables(): void {
  memory.fill(opTables, 0, abi.NUM_OPS * 8);
  memory.fill(opLengths, 0, abi.NUM_OPS * 4);
}

@inline function table(op: i32): usize {
  return load<usize>(opTables + (<usize>op << alignof<usize>()));
}

export function loadPredictorConfig(): bool {
  maxTokens = config.opMaxTokens;
  g = config.opKvGranularity;
  decodeMaxBatch = config.opDecodeMaxBatch;
  decodeKvSteps = config.opDecodeKvSteps;
  prefillMaxChunk = config.opPrefillMaxChunk;
  prefillKvSteps = config.opPrefillKvSteps;
  layersPerStage = config.layersPerStage;
  tp = config.tensorParallel;
  tpExtraMs = config.ncclLaunchMs;
  tpSkewMs = config.ncclSkewMs * Math.pow(<f64>tp, 1.25);
  decodeOverhead = config.decodeOverhead;
  prefillOverhead = config.prefillOverhead;
  postAttnNorm = config.postAttnNorm;
  paramsPerDevice = config.paramsPerDevice;
  mfuAttnFactor = config.mfuAttnFactor;
  deviceFlops = config.deviceFlops;
  if (g < 1) { fail(abi.ERR_BAD_CONFIG, config.SLOT_OP_KV_GRANULARITY, 0, 0); return false; }
  for (let op = 0; op < abi.NUM_OPS; op++) {
    const needed = op == abi.OP_ALL_REDUCE ? tp > 1 : op == abi.OP_SEND_RECV ? numStages > 1 : true;
    if (needed && table(op) == 0) { fail(abi.ERR_OP_KEY, op, -1, -1); return false; }
  }
  return true;
}

@inline function tokenOp(op: i32, key: i32): f64 {
  return loadF64(table(op), key);
}

/**
 * Per-layer block time in ms of the batch in `slot` (everything but the pipeline send/recv), or -1 after
 * recording an ERR_OP_KEY failure. The same pass over the batch also stores its prefill token count, Vidur's
 * MFU FLOPs (bPrefillTokens, bMfuFlops) and, with energy accounting, the stage's FLOPs and bytes.
 */
export function blockTimeMs(slot: i32): f64 {
  const T = loadI32(bTotalTokens, slot);
  const t8 = ((T + 7) >> 3) << 3;
  if (t8 > maxTokens || T < 1) { fail(abi.ERR_OP_KEY, abi.OP_ATTN_PRE_PROJ, t8, -1); return -1; }
  const reqs = batchReqs(slot);
  const toks = batchToks(slot);
  const n = reqs.size;
  // decode: batch size and mean context, prefill: summed rounded contexts and sqrt(sum c^2)
  let decodeCount = 0;
  let decodeCtx: i64 = 0;
  let prefillCount = 0;
  let prefillKv: i64 = 0;
  let prefillSq: i64 = 0;
  let prefillTokens = 0;
  let attnFlops: f64 = 0;
  const energy = energyOn;
  // energy: per-request FLOPs (stored for the stage's energy split), their sum and the summed context
  const workPerRequest: usize = energy ? energyWorkBegin(slot, n) : 0;
  let workFlops: f64 = 0;
  let workCtx: f64 = 0;
  // settings and request columns in locals: a pass over every request of every batch
  const attnFactor = mfuAttnFactor;
  const tokenFlops = config.workTokenFlops;
  const pairFlops = config.workPairFlops;
  const gran = g;
  const mask = reqMask;
  const processedCol = reqProcessed;
  const flagsCol = reqFlags;
  for (let i = 0; i < n; i++) {
    const s = reqs.at(i) & mask;
    const done = loadI32(processedCol, s);
    const tokens = toks.at(i);
    const c = <f64>tokens;
    attnFlops += attnFactor * c * (c + <f64>done);
    if (energy) {
      const fi = requestFlops(c, <f64>done, tokenFlops, pairFlops);
      storeF64(workPerRequest, i, fi);
      workFlops += fi;
      workCtx += <f64>done + c;
    }
    if ((loadI32(flagsCol, s) & FLAG_PREFILL_COMPLETE) != 0) {
      decodeCount++;
      decodeCtx += done;
    } else {
      prefillCount++;
      prefillTokens += tokens;
      prefillKv += <i64>(((done + gran - 1) / gran) * gran);
      prefillSq += <i64>tokens * <i64>tokens;
    }
  }
  storeI32(bPrefillTokens, slot, prefillTokens);
  if (energy) energyWorkEnd(slot, workFlops, workCtx);
  storeF64(bMfuFlops, slot, 2.0 * <f64>T * paramsPerDevice + attnFlops);
  let decodeMs: f64 = 0;
  if (decodeCount > 0) {
    const mean = <i32>(<f64>decodeCtx / <f64>decodeCount);
    const kvStep = (mean + g - 1) / g;
    if (decodeCount > decodeMaxBatch || kvStep >= decodeKvSteps) {
      fail(abi.ERR_OP_KEY, abi.OP_ATTN_DECODE, decodeCount, <f64>(kvStep * g));
      return -1;
    }
    decodeMs = loadF64(table(abi.OP_ATTN_DECODE), (decodeCount - 1) * decodeKvSteps + kvStep) *
      (1.0 + decodeOverhead * <f64>(decodeCount > 1 ? 1 : 0));
    if (isNaN(decodeMs)) { fail(abi.ERR_OP_KEY, abi.OP_ATTN_DECODE, decodeCount, <f64>(kvStep * g)); return -1; }
  }
  let prefillMs: f64 = 0;
  if (prefillCount > 0) {
    const chunk = <i32>Math.round(Math.sqrt(<f64>prefillSq));
    const kvStep = <i32>(prefillKv / <i64>g);
    if (chunk < 1 || chunk > prefillMaxChunk || kvStep >= prefillKvSteps) {
      fail(abi.ERR_OP_KEY, abi.OP_ATTN_PREFILL, <f64>prefillKv, <f64>chunk * <f64>chunk);
      return -1;
    }
    prefillMs = loadF64(table(abi.OP_ATTN_PREFILL), kvStep * prefillMaxChunk + (chunk - 1)) *
      (1.0 + prefillOverhead * <f64>(prefillCount > 1 ? 1 : 0));
    if (isNaN(prefillMs)) { fail(abi.ERR_OP_KEY, abi.OP_ATTN_PREFILL, <f64>prefillKv, <f64>chunk * <f64>chunk); return -1; }
  }
  const tpMs: f64 = tp > 1 ? tokenOp(abi.OP_ALL_REDUCE, t8) + tpExtraMs + tpSkewMs : 0;
  const attn = tokenOp(abi.OP_ATTN_PRE_PROJ, t8) + tokenOp(abi.OP_ATTN_POST_PROJ, t8) +
    tokenOp(abi.OP_ATTN_ROPE, t8) + tokenOp(abi.OP_ATTN_KV_CACHE_SAVE, T) + decodeMs + prefillMs + tpMs +
    tokenOp(abi.OP_INPUT_LAYERNORM, t8);
  const mlp = tokenOp(abi.OP_MLP_UP_PROJ, t8) + tokenOp(abi.OP_MLP_DOWN_PROJ, t8) + tokenOp(abi.OP_MLP_ACT, t8) +
    tpMs + (postAttnNorm ? tokenOp(abi.OP_POST_ATTENTION_LAYERNORM, t8) : 0);
  const block = attn + mlp + tokenOp(abi.OP_ADD, t8);
  // Sparse op tables (Vidur's prediction cache holds only the keys it looked up) leave NaN in the cells they
  // lack: one check on the sum, and only on failure a search for the op that is missing its key.
  if (isNaN(block)) { failMissingTokenOp(T, t8); return -1; }
  return block;
}

function failMissingTokenOp(T: i32, t8: i32): void {
  for (let op = 0; op < abi.NUM_OPS; op++) {
    if (op == abi.OP_ATTN_DECODE || op == abi.OP_ATTN_PREFILL || op == abi.OP_SEND_RECV || table(op) == 0) continue;
    if (op == abi.OP_ALL_REDUCE && tp <= 1) continue;
    if (op == abi.OP_POST_ATTENTION_LAYERNORM && !postAttnNorm) continue;
    const key = op == abi.OP_ATTN_KV_CACHE_SAVE ? T : t8;
    if (isNaN(tokenOp(op, key))) { fail(abi.ERR_OP_KEY, op, key, -1); return; }
  }
  fail(abi.ERR_OP_KEY, abi.OP_ATTN_PRE_PROJ, t8, -1);
}

/** Stage time in seconds from the block time (Vidur's model_time; CPU overheads are not modelled). */
export function stageTimeS(slot: i32, blockMs: f64, stage: i32): f64 {
  let pp: f64 = 0;
  if (stage < numStages - 1) {
    const t8 = ((loadI32(bTotalTokens, slot) + 7) >> 3) << 3;
    pp = tokenOp(abi.OP_SEND_RECV, t8);
    if (isNaN(pp)) { fail(abi.ERR_OP_KEY, abi.OP_SEND_RECV, t8, -1); return -1; }
  }
  return (blockMs * layersPerStage + pp) * 1e-3;
}

@inline export function mfuPercent(flops: f64, execS: f64): f64 {
  return (flops / execS) * 100.0 / deviceFlops;
}
