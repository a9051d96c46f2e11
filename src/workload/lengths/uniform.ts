/**
 * `uniform` lengths (Vidur's UniformRequestLengthGenerator): `total = random.uniform(min, max)` on Python's
 * global `random` — the *same* stream as poisson intervals, so the draws interleave (interval, then
 * length, per request) — then `decode = ceil(total / (1 + ratio))`, `prefill = total - decode` (a float,
 * truncated by the synthetic generator's `int()`).
 *
 * @example
 * // total 2000.7, ratio 20 → decode ceil(95.27) = 96, prefill int(1904.7) = 1904
 */
import { InputError } from "../../core/errors.js";
import { numberFlag } from "../config.js";
import type { LengthGeneratorModule } from "../generator-types.js";

export const uniformLengths: LengthGeneratorModule = {
  type: "uniform",
  doc: "total length uniform in [min, max], split by the prefill-to-decode ratio",
  defaults: {
    uniform_request_length_generator_config_seed: 42,
    uniform_request_length_generator_config_max_tokens: 4096,
    uniform_request_length_generator_config_min_tokens: 1024,
    uniform_request_length_generator_config_prefill_to_decode_ratio: 20.0,
  },
  maxTokensFlag: "uniform_request_length_generator_config_max_tokens",
  create({ cfg, streams }) {
    const min = numberFlag(cfg, "uniform_request_length_generator_config_min_tokens", { min: 0 });
    const max = numberFlag(cfg, "uniform_request_length_generator_config_max_tokens", { min: 0 });
    const ratio = numberFlag(cfg, "uniform_request_length_generator_config_prefill_to_decode_ratio", { min: 0 });
    if (min > max) {
      throw new InputError(
        `--uniform_request_length_generator_config_min_tokens (${min}) must be <= --uniform_request_length_generator_config_max_tokens (${max})`,
      );
    }
    return () => {
      const total = streams.python.uniform(min, max);
      const decode = Math.ceil(total / (1 + ratio));
      return [total - decode, decode] as const;
    };
  },
};
