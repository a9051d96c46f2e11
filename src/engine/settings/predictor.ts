/** Engine settings of execution-time prediction: the op-table grid and Vidur's per-batch overhead terms. */
import type { Scenario } from "../../scenario/types.js";
import { group, setting } from "./types.js";

const P = "random_forrest_execution_time_predictor_config_";
const layersPerStage = (s: Scenario): number => Math.floor(s.model.num_layers / s.numPipelineStages);
const gqa = (s: Scenario): boolean => s.model.num_q_heads > s.model.num_kv_heads;

export const predictorSettings = group("predictor", (s: Scenario) => s, [
  setting("f64", "layersPerStage", "transformer layers of one pipeline stage", layersPerStage),
  setting("i32", "tensorParallel", "tensor-parallel GPUs per stage", (s) => s.tensorParallelSize, "replica_config_tensor_parallel_size"),
  setting(
    "f64",
    "ncclLaunchMs",
    "CPU launch overhead per all-reduce (ms)",
    (s) => s.predictor.ncclCpuLaunchOverheadMs,
    `${P}nccl_cpu_launch_overhead_ms`,
  ),
  setting(
    "f64",
    "ncclSkewMs",
    "skew overhead per all-reduce before the TP^1.25 factor (ms)",
    (s) => s.predictor.ncclCpuSkewOverheadPerDeviceMs,
    `${P}nccl_cpu_skew_overhead_per_device_ms`,
  ),
  setting(
    "f64",
    "decodeOverhead",
    "extra decode-attention time for batches > 1 (0 for non-GQA models)",
    (s) => (gqa(s) ? s.predictor.attentionDecodeBatchingOverheadFraction : 0),
    `${P}attention_decode_batching_overhead_fraction`,
  ),
  setting(
    "f64",
    "prefillOverhead",
    "extra prefill-attention time for several prefills (0 for non-GQA models)",
    (s) => (gqa(s) ? s.predictor.attentionPrefillBatchingOverheadFraction : 0),
    `${P}attention_prefill_batching_overhead_fraction`,
  ),
  setting("bool", "postAttnNorm", "the model has a post-attention layernorm", (s) => Boolean(s.model.post_attn_norm)),
  setting("i32", "opMaxTokens", "op tables: largest token count", (s) => s.opTables.maxTokens, `${P}prediction_max_tokens_per_request`),
  setting(
    "i32",
    "opKvGranularity",
    "op tables: KV context rounded up to a multiple of this",
    (s) => s.opTables.kvGranularity,
    `${P}kv_cache_prediction_granularity`,
  ),
  setting("i32", "opDecodeMaxBatch", "op tables: largest decode batch", (s) => s.opTables.decodeMaxBatch, `${P}prediction_max_batch_size`),
  setting("i32", "opDecodeKvSteps", "op tables: KV steps of attn_decode", (s) => s.opTables.decodeKvSteps),
  setting(
    "i32",
    "opPrefillMaxChunk",
    "op tables: largest prefill chunk",
    (s) => s.opTables.prefillMaxChunk,
    `${P}prediction_max_prefill_chunk_size`,
  ),
  setting("i32", "opPrefillKvSteps", "op tables: KV steps of attn_prefill", (s) => s.opTables.prefillKvSteps),
  setting("f64", "paramsPerDevice", "model parameters per GPU (MFU)", (s) => s.paramsPerDevice),
  // Vidur's MFU: 4 * layers/PP * (q_heads // TP) * (embedding // q_heads) per token pair; device peak * 2**40
  setting(
    "f64",
    "mfuAttnFactor",
    "Vidur's attention FLOPs per token pair of a stage",
    (s) =>
      4 *
      layersPerStage(s) *
      Math.floor(s.model.num_q_heads / s.tensorParallelSize) *
      Math.floor(s.model.embedding_dim / s.model.num_q_heads),
  ),
  setting("f64", "deviceFlops", "fp16 TFLOPS * 2^40 (Vidur's MFU convention)", (s) => s.device.fp16_tflops * 2 ** 40),
]);
