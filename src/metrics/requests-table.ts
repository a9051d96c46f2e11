/**
 * requests: the stream actually simulated, in Vidur's trace-replay layout (replayable with trace_replay).
 * `arrivedAt`: the arrivals, when the result's request columns were streamed (open loop: the scenario's).
 */
import type { RequestStream } from "../core/types.js";
import type { EngineResult } from "../engine/result.js";
import { reuseArray, type ChunkedTable } from "../tables/chunked.js";
import type { RequestBlocks } from "../workload/index.js";
import { column, type ResultTable } from "../tables/table.js";

export function requestsTable(r: EngineResult, arrivedAt: Float64Array = r.requests.arrivedAt): ResultTable {
  return {
    name: "requests",
    columns: [
      column("arrived_at", "f64", arrivedAt),
      column("num_prefill_tokens", "i32", r.requests.originalPrefillTokens),
      column("num_decode_tokens", "i32", r.requests.originalDecodeTokens),
    ],
  };
}

/**
 * requests of a workload taken in blocks (Scenario.requestBlocks): rows regenerated from the seeded streams
 * chunk by chunk as they are written, so the table never exists whole. Chunks are read in order (a chunk
 * before the last one read starts a new pass).
 */
export function requestsTableFromBlocks(blocks: RequestBlocks): ChunkedTable {
  let source: Iterator<RequestStream> | undefined;
  let block: RequestStream | undefined;
  let blockStart = 0;
  let position = 0;
  return {
    name: "requests",
    numRows: blocks.count,
    chunk(start, end, reuse) {
      if (!source || start < position) {
        source = blocks.blocks();
        block = undefined;
        blockStart = 0;
      }
      const m = end - start;
      const arrived = reuseArray(Float64Array, m, reuse?.columns[0]?.data);
      const prefill = reuseArray(Int32Array, m, reuse?.columns[1]?.data);
      const decode = reuseArray(Int32Array, m, reuse?.columns[2]?.data);
      for (let at = start; at < end; ) {
        while (!block || at >= blockStart + block.arrivedAt.length) {
          if (block) blockStart += block.arrivedAt.length;
          const next = source.next();
          if (next.done) throw new Error(`requests: the workload ended before row ${at}`);
          block = next.value;
        }
        const from = at - blockStart;
        const to = Math.min(end, blockStart + block.arrivedAt.length) - blockStart;
        arrived.set(block.arrivedAt.subarray(from, to), at - start);
        prefill.set(block.numPrefillTokens.subarray(from, to), at - start);
        decode.set(block.numDecodeTokens.subarray(from, to), at - start);
        at = blockStart + to;
      }
      position = end;
      return {
        name: "requests",
        columns: [
          column("arrived_at", "f64", arrived),
          column("num_prefill_tokens", "i32", prefill),
          column("num_decode_tokens", "i32", decode),
        ],
      };
    },
  };
}
