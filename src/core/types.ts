/**
 * Shared data contracts between the layers: catalogue → scenario → engine → tables → writers.
 * Field names of the catalogue follow Vidur's config names where Vidur has one.
 */

/** A transformer model architecture (profiles/models/*.json). */
export interface ModelSpec {
  /** Vidur/HF name, e.g. "meta-llama/Llama-2-7b-hf". */
  name: string;
  aliases?: string[];
  num_layers: number;
  num_q_heads: number;
  num_kv_heads: number;
  embedding_dim: number;
  mlp_hidden_dim: number;
  max_position_embeddings: number;
  use_gated_mlp: boolean;
  use_bias: boolean;
  use_qkv_bias: boolean;
  activation: "silu" | "gelu";
  norm: "rms_norm" | "layer_norm";
  post_attn_norm: boolean;
  vocab_size: number;
  rope_theta?: number;
  partial_rotary_factor?: number;
  no_tensor_parallel?: boolean;
  /** Where the numbers come from (URL or paper). */
  source: string;
}

/** A GPU (profiles/devices/*.json). Issue-specific fields (power, bandwidth) are optional here. */
export interface DeviceSpec {
  /** Canonical name, e.g. "a100-80gb"; Vidur's short names ("a100") are aliases. */
  name: string;
  aliases?: string[];
  /** Peak dense FP16/BF16 TFLOP/s, as Vidur uses for MFU (a100: 312). */
  fp16_tflops: number;
  fp8_tflops?: number;
  total_memory_gb: number;
  memory_bandwidth_gbps?: number;
  tdp_w?: number;
  idle_w?: number;
  source: string;
  [extra: string]: unknown;
}

/** A node type: how devices are connected (profiles/nodes/*.json). */
export interface NodeSpec {
  /** e.g. "a100_pairwise_nvlink", "h100_dgx". */
  name: string;
  aliases?: string[];
  device: string;
  num_devices_per_node: number;
  source: string;
  [extra: string]: unknown;
}

/** Token-count-keyed operators, in Vidur's names. */
export const TOKEN_OPS = [
  "attn_pre_proj",
  "attn_post_proj",
  "attn_rope",
  "input_layernorm",
  "mlp_up_proj",
  "mlp_down_proj",
  "mlp_act",
  "post_attention_layernorm",
  "add",
  "all_reduce",
  "send_recv",
] as const;
export type TokenOp = (typeof TOKEN_OPS)[number];

/**
 * Per-operator execution times in milliseconds per layer per TP worker, as dense arrays: the predictor's
 * output and the engine's input. Every predictor source (Vidur op-table CSVs, Vidur profiling CSVs,
 * roofline) produces this.
 */
export interface OpTables {
  /** Token ops are defined for num_tokens 1..maxTokens (index 0 unused). */
  maxTokens: number;
  /** KV granularity g (Vidur's kv_cache_prediction_granularity, 64). */
  kvGranularity: number;
  /** index = num_tokens (looked up at ceil8(T)); all_reduce present iff TP>1, send_recv iff PP>1. */
  tokenOps: Partial<Record<TokenOp, Float64Array>>;
  /** index = T (exact, not rounded); length maxTokens+1. */
  attnKvCacheSave: Float64Array;
  /** attn_decode[(b-1) * decodeKvSteps + kv/g] for b in 1..decodeMaxBatch, kv in 0..(decodeKvSteps-1)*g. */
  attnDecode: Float64Array;
  decodeMaxBatch: number;
  decodeKvSteps: number;
  /** attn_prefill[(kv/g) * prefillMaxChunk + (c-1)] for kv in 0..(prefillKvSteps-1)*g, chunk c in 1..prefillMaxChunk. */
  attnPrefill: Float64Array;
  prefillMaxChunk: number;
  prefillKvSteps: number;
  /** Which source produced each op ("op-tables:DIR", "profile:FILE", "roofline"). */
  sources: Record<string, string>;
}

/** The request stream to simulate, sorted by arrival. Row i is request id i. */
export interface RequestStream {
  arrivedAt: Float64Array;
  numPrefillTokens: Int32Array;
  numDecodeTokens: Int32Array;
  /** Request classes (only with --deferrable-fraction): REQUEST_CLASS codes, 0 interactive, 1 deferrable. */
  requestClass?: Uint8Array;
  /** Deadline in seconds after arrival (NaN = none), present with `requestClass`. */
  deadlineS?: Float64Array;
}

/** The codes of `RequestStream.requestClass`, in code order (also the `class` column of request_metrics). */
export const REQUEST_CLASSES = ["interactive", "deferrable"] as const;
export type RequestClassName = (typeof REQUEST_CLASSES)[number];
