/**
 * `zipf` lengths (Vidur's ZipfRequestLengthGenerator): total = `ZipfGenerator(min, max, theta, scramble,
 * seed).next()` on its own NumPy RandomState(seed) (independent of the interval stream), then
 * `decode = total / (1 + ratio)` and `prefill = total − decode` as floats, both truncated by `int()` —
 * so for ratio 20, decode = floor(total/21) and prefill + decode can be one below total.
 *
 * @example
 * // total 1330, ratio 20 → decode int(63.33) = 63, prefill int(1266.67) = 1266
 */
import { InputError } from "../../core/errors.js";
import { booleanFlag, numberFlag, seedFlag } from "../config.js";
import type { LengthGeneratorModule } from "../generator-types.js";
import { ZipfGenerator } from "../random/zipf-generator.js";

export const zipfLengths: LengthGeneratorModule = {
  type: "zipf",
  doc: "total length Zipf-distributed in [min, max], split by the prefill-to-decode ratio",
  defaults: {
    zipf_request_length_generator_config_seed: 42,
    zipf_request_length_generator_config_max_tokens: 4096,
    zipf_request_length_generator_config_theta: 0.6,
    zipf_request_length_generator_config_scramble: false,
    zipf_request_length_generator_config_min_tokens: 1024,
    zipf_request_length_generator_config_prefill_to_decode_ratio: 20.0,
    zipf_request_length_generator_config_scramble_hash_seed: 0,
  },
  maxTokensFlag: "zipf_request_length_generator_config_max_tokens",
  create({ cfg }) {
    const tokens = { integer: true, min: 1, max: 0x7ffffffe };
    const min = numberFlag(cfg, "zipf_request_length_generator_config_min_tokens", tokens);
    const max = numberFlag(cfg, "zipf_request_length_generator_config_max_tokens", tokens);
    if (min > max) {
      throw new InputError(
        `--zipf_request_length_generator_config_min_tokens (${min}) must be <= --zipf_request_length_generator_config_max_tokens (${max})`,
      );
    }
    // YCSB's formulas need 0 <= theta < 1 (alpha = 1/(1-theta)).
    const theta = numberFlag(cfg, "zipf_request_length_generator_config_theta", { min: 0 });
    if (theta >= 1) throw new InputError(`--zipf_request_length_generator_config_theta must be < 1, got ${theta}`);
    const ratio = numberFlag(cfg, "zipf_request_length_generator_config_prefill_to_decode_ratio", { min: 0 });
    const gen = new ZipfGenerator(
      min,
      max,
      theta,
      booleanFlag(cfg, "zipf_request_length_generator_config_scramble"),
      seedFlag(cfg, "zipf_request_length_generator_config_seed"),
      numberFlag(cfg, "zipf_request_length_generator_config_scramble_hash_seed", { integer: true, min: 0, max: 4294967295 }),
    );
    return () => {
      const total = gen.next();
      const decode = total / (1 + ratio);
      return [total - decode, decode] as const;
    };
  },
};
