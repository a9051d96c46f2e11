/**
 * requestBlocks: a synthetic workload block by block is the stream generateRequests gives whole (arrivals,
 * lengths, classes, deadlines, deferrable lengths), with its count, last arrival and last deadline; workloads
 * that cannot be taken in blocks say so.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RequestStream } from "../../src/core/types.js";
import { generateRequests, KEPT_WORKLOAD_ROWS, REQUEST_BLOCK_ROWS, requestBlocks, type WorkloadConfig } from "../../src/workload/index.js";

function joined(blocks: Iterable<RequestStream>): Record<string, number[]> {
  const out: Record<string, number[]> = { arrivedAt: [], numPrefillTokens: [], numDecodeTokens: [], requestClass: [], deadlineS: [] };
  for (const b of blocks) for (const [k, v] of Object.entries(b)) out[k].push(...Array.from(v as ArrayLike<number>));
  return out;
}

function sameAsWhole(cfg: WorkloadConfig): void {
  const whole = generateRequests(cfg);
  const blocks = requestBlocks(cfg)!;
  assert.ok(blocks, "takes blocks");
  const n = whole.arrivedAt.length;
  assert.is(blocks.count, n);
  assert.is(blocks.lastArrival, whole.arrivedAt[n - 1]);
  const sizes = [...blocks.blocks()].map((b) => b.arrivedAt.length);
  assert.ok(sizes.slice(0, -1).every((s) => s === REQUEST_BLOCK_ROWS) && sizes.at(-1)! <= REQUEST_BLOCK_ROWS, `${sizes}`);
  const a = joined(blocks.blocks());
  const b = joined([whole]);
  for (const k of Object.keys(a)) assert.equal(a[k], b[k], k); // twice: every pass regenerates the same rows
  assert.equal(joined(blocks.blocks()).arrivedAt, b.arrivedAt);
}

test("poisson + zipf, a count that is not a whole number of blocks", () => {
  sameAsWhole({
    length_generator_config_type: "zipf",
    poisson_request_interval_generator_config_qps: 20,
    synthetic_request_generator_config_num_requests: 3 * REQUEST_BLOCK_ROWS + 123,
  });
});

test("a short workload keeps its checking pass's blocks; a longer one is regenerated on every pass, row for row", () => {
  const cfg = (n: number): WorkloadConfig => ({
    length_generator_config_type: "zipf",
    synthetic_request_generator_config_num_requests: n,
  });
  const short = requestBlocks(cfg(KEPT_WORKLOAD_ROWS))!;
  assert.is(short.blocks().next().value, short.blocks().next().value, "the same block object: kept");
  const long = requestBlocks(cfg(KEPT_WORKLOAD_ROWS + 1))!;
  const first = long.blocks().next().value!;
  assert.is.not(first, long.blocks().next().value, "a new block object: regenerated");
  const whole = generateRequests(cfg(KEPT_WORKLOAD_ROWS + 1));
  assert.is(long.count, KEPT_WORKLOAD_ROWS + 1);
  let at = 0;
  for (const b of long.blocks()) {
    for (let i = 0; i < b.arrivedAt.length; i++, at++) {
      if (b.arrivedAt[i] !== whole.arrivedAt[at] || b.numDecodeTokens[i] !== whole.numDecodeTokens[at]) assert.unreachable(`row ${at}`);
    }
  }
  assert.is(at, whole.arrivedAt.length);
  assert.equal(Array.from(first.numPrefillTokens), Array.from(whole.numPrefillTokens.subarray(0, REQUEST_BLOCK_ROWS)));
});

test("diurnal arrivals cut at --duration, with request classes and deferrable lengths of their own", () => {
  const cfg: WorkloadConfig = {
    interval_generator_config_type: "diurnal",
    diurnal_peak_qps: 3,
    diurnal_trough_qps: 1,
    synthetic_request_generator_config_duration: 40_000,
    synthetic_request_generator_config_num_requests: null,
    deferrable_fraction: 0.3,
    deferrable_deadline_s: 3600,
    deferrable_length_generator_config_type: "fixed",
    deferrable_fixed_request_length_generator_config_prefill_tokens: 6000,
    deferrable_fixed_request_length_generator_config_decode_tokens: 900,
    deferrable_fixed_request_length_generator_config_max_tokens: 8192,
  };
  sameAsWhole(cfg);
  const whole = generateRequests(cfg);
  let end = 0;
  whole.arrivedAt.forEach((a, i) => (end = Math.max(end, Number.isFinite(whole.deadlineS![i]) ? a + whole.deadlineS![i] : a)));
  assert.is(requestBlocks(cfg)!.lastDeadline, end);
});

test("a count of exactly two blocks", () => {
  sameAsWhole({ synthetic_request_generator_config_num_requests: 2 * REQUEST_BLOCK_ROWS });
});

test("trace replay is not taken in blocks; bad flags fail as in generateRequests", () => {
  assert.is(
    requestBlocks({ request_generator_config_type: "trace_replay", trace_request_generator_config_trace_file: "x.csv" }),
    undefined,
  );
  assert.throws(() => requestBlocks({ length_generator_config_type: "nope" }), /length_generator_config_type/);
});

test.run();
