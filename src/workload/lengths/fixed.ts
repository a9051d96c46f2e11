/**
 * `fixed` lengths (Vidur's FixedRequestLengthGenerator, the default): every request has `prefill_tokens`
 * and `decode_tokens`. Consumes no random numbers. Its `max_tokens` (default 4096) is *not* prefill+decode:
 * it is only what Vidur's memory planner reserves per request.
 *
 * @example
 * // defaults → every request (2048, 512)
 */
import { numberFlag } from "../config.js";
import type { LengthGeneratorModule } from "../generator-types.js";

export const fixedLengths: LengthGeneratorModule = {
  type: "fixed",
  doc: "the same prefill and decode length for every request",
  defaults: {
    fixed_request_length_generator_config_seed: 42,
    fixed_request_length_generator_config_max_tokens: 4096,
    fixed_request_length_generator_config_prefill_tokens: 2048,
    fixed_request_length_generator_config_decode_tokens: 512,
  },
  maxTokensFlag: "fixed_request_length_generator_config_max_tokens",
  create({ cfg }) {
    const rule = { integer: true, min: 1, max: 0x7fffffff };
    const pair = [
      numberFlag(cfg, "fixed_request_length_generator_config_prefill_tokens", rule),
      numberFlag(cfg, "fixed_request_length_generator_config_decode_tokens", rule),
    ] as const;
    return () => pair;
  },
};
