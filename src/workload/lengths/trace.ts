/**
 * `trace` lengths (Vidur's TraceRequestLengthGenerator): a CSV with `num_prefill_tokens,num_decode_tokens`
 * (other columns ignored). Per row: × scale factors, `astype(int)` (truncation); if P + D > max_tokens the
 * excess d is removed proportionally (`ceil(d·P/total)` from P, `ceil(d·D/total)` from D); both clipped to
 * ≥ 1. The rows are then shuffled like pandas `df.sample(frac=1, random_state=seed)` — that is NumPy
 * `RandomState(seed).permutation(n)` — and consumed in that order; the generator is exhausted after n rows.
 *
 * @example
 * // P 5000, D 200, max 4096: d 1104 → P −= ceil(1104·5000/5200) = 1062, D −= ceil(1104·200/5200) = 43
 */
import { InputError } from "../../core/errors.js";
import { numberFlag, seedFlag, stringFlag } from "../config.js";
import { readCsv } from "../../core/csv.js";
import type { LengthGeneratorModule } from "../generator-types.js";
import { NumpyRandomState } from "../random/numpy-random-state.js";

export const traceLengths: LengthGeneratorModule = {
  type: "trace",
  doc: "prefill and decode lengths replayed from a trace CSV, scaled and clipped",
  defaults: {
    trace_request_length_generator_config_seed: 42,
    trace_request_length_generator_config_max_tokens: 4096,
    trace_request_length_generator_config_trace_file: "data/processed_traces/sharegpt_8k_filtered_stats_llama2_tokenizer.csv",
    trace_request_length_generator_config_prefill_scale_factor: 1,
    trace_request_length_generator_config_decode_scale_factor: 1,
  },
  maxTokensFlag: "trace_request_length_generator_config_max_tokens",
  create({ cfg, resolvePath }) {
    const maxKey = "trace_request_length_generator_config_max_tokens";
    const maxTokens = numberFlag(cfg, maxKey, { integer: true, min: 1 });
    const ps = numberFlag(cfg, "trace_request_length_generator_config_prefill_scale_factor", { min: 0 });
    const ds = numberFlag(cfg, "trace_request_length_generator_config_decode_scale_factor", { min: 0 });
    const seed = seedFlag(cfg, "trace_request_length_generator_config_seed");
    const file = resolvePath(stringFlag(cfg, "trace_request_length_generator_config_trace_file"));
    const t = readCsv(
      file,
      [
        { name: "num_prefill_tokens", kind: "number", nonNegative: true },
        { name: "num_decode_tokens", kind: "number", nonNegative: true },
      ],
      "--trace_request_length_generator_config_trace_file",
    );
    const n = t.rows;
    const prefill = new Float64Array(n);
    const decode = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let p = Math.trunc(t.numbers.num_prefill_tokens[i] * ps);
      let d = Math.trunc(t.numbers.num_decode_tokens[i] * ds);
      const total = p + d;
      const diff = Math.max(total - maxTokens, 0);
      if (diff > 0) {
        // pandas: diff * (P / total), ceil, astype(int) — same float operations here.
        const dp = Math.ceil(diff * (p / total));
        const dd = Math.ceil(diff * (d / total));
        p -= dp;
        d -= dd;
      }
      p = Math.max(p, 1);
      d = Math.max(d, 1);
      if (p + d > maxTokens) {
        throw InputError.at(
          file,
          t.lines[i],
          undefined,
          `after trimming to --${maxKey} ${maxTokens} and clipping to >= 1 token, prefill ${p} + decode ${d} still exceeds ${maxTokens} (Vidur fails its assertion here)`,
        );
      }
      if (p > 0x7fffffff || d > 0x7fffffff) {
        throw InputError.at(file, t.lines[i], undefined, `token counts after scaling exceed 2147483647`);
      }
      prefill[i] = p;
      decode[i] = d;
    }
    const order = new NumpyRandomState(seed).permutation(n);
    let next = 0;
    return () => {
      if (next >= n) return undefined;
      const row = order[next++];
      return [prefill[row], decode[row]] as const;
    };
  },
};
