/**
 * `trace_replay` requests (Vidur's TraceReplayRequestGenerator): a CSV `arrived_at,num_prefill_tokens,
 * num_decode_tokens` (Vidur's `data/processed_traces/splitwise_*.csv`). Per row: tokens × scale factors,
 * `astype(int)` (truncation), clipped to ≥ 1; if P + D > max_tokens the whole excess is removed from the
 * prefill only; `arrived_at × time_scale_factor`. No randomness, no shuffling.
 *
 * Deviations: a row whose decode alone leaves no prefill within max_tokens is rejected with its line (Vidur
 * would produce a non-positive prefill); rows out of arrival order are stably sorted with a warning
 * (Vidur numbers requests in file order; simulated times are the same, only ids follow arrival order).
 *
 * @example
 * // splitwise_conv.csv with defaults → 19,366 requests, first (0, 374, 44)
 */
import { InputError } from "../../core/errors.js";
import type { RequestStream } from "../../core/types.js";
import { numberFlag, stringFlag } from "../config.js";
import type { RequestGeneratorModule } from "../generator-types.js";
import { readRequestsTable, unsortedMessage } from "../requests-csv.js";
import { firstUnsortedRow, sortByArrival } from "../stream.js";

const MAX_KEY = "trace_request_generator_config_max_tokens";

export const traceReplayRequests: RequestGeneratorModule = {
  type: "trace_replay",
  doc: "requests replayed from a trace CSV (arrived_at, num_prefill_tokens, num_decode_tokens)",
  seedFlag: "trace_request_generator_config_seed",
  defaults: {
    trace_request_generator_config_seed: 42,
    trace_request_generator_config_trace_file: "data/processed_traces/splitwise_conv.csv",
    trace_request_generator_config_prefill_scale_factor: 1.0,
    trace_request_generator_config_decode_scale_factor: 1.0,
    trace_request_generator_config_time_scale_factor: 1.0,
    trace_request_generator_config_max_tokens: 4096,
  },

  maxTokens(cfg) {
    return numberFlag(cfg, MAX_KEY, { integer: true, min: 1 });
  },

  generate(cfg, { resolvePath, warn }): RequestStream {
    const maxTokens = numberFlag(cfg, MAX_KEY, { integer: true, min: 2 });
    const ps = numberFlag(cfg, "trace_request_generator_config_prefill_scale_factor", { min: 0 });
    const ds = numberFlag(cfg, "trace_request_generator_config_decode_scale_factor", { min: 0 });
    const ts = numberFlag(cfg, "trace_request_generator_config_time_scale_factor", { min: 0 });
    const file = resolvePath(stringFlag(cfg, "trace_request_generator_config_trace_file"));
    const t = readRequestsTable(file, "--trace_request_generator_config_trace_file");
    const n = t.rows;
    const stream: RequestStream = {
      arrivedAt: new Float64Array(n),
      numPrefillTokens: new Int32Array(n),
      numDecodeTokens: new Int32Array(n),
    };
    const { arrived_at: a, num_prefill_tokens: pIn, num_decode_tokens: dIn } = t.numbers;
    for (let i = 0; i < n; i++) {
      const p = Math.max(Math.trunc(pIn[i] * ps), 1);
      const d = Math.max(Math.trunc(dIn[i] * ds), 1);
      const prefill = p - Math.max(p + d - maxTokens, 0);
      if (prefill < 1) {
        throw InputError.at(
          file,
          t.lines[i],
          "num_decode_tokens",
          `(${d} after scaling) leaves no prefill token within --${MAX_KEY} ${maxTokens}`,
        );
      }
      if (d > 0x7fffffff) throw InputError.at(file, t.lines[i], "num_decode_tokens", `(${d} after scaling) exceeds 2147483647`);
      stream.arrivedAt[i] = a[i] * ts;
      stream.numPrefillTokens[i] = prefill;
      stream.numDecodeTokens[i] = d;
    }
    const bad = firstUnsortedRow(stream.arrivedAt);
    if (bad < 0) return stream;
    warn(unsortedMessage(file, t.lines[bad]));
    return sortByArrival(stream).stream;
  },
};
