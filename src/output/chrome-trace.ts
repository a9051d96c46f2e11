/**
 * Chrome trace-event JSON (loads in ui.perfetto.dev and chrome://tracing): one complete ("X") event per
 * batch stage, with pid = replica and tid = pipeline stage, plus name/sort metadata so tracks read
 * "replica 0" / "stage 1". Times are written in microseconds rounded to the nanosecond.
 */
import { writeStreamAtomic } from "./atomic.js";

/** One batch executing on one pipeline stage of one replica. Times in seconds of simulated time. */
export interface StageRecord {
  replica: number;
  stage: number;
  batchId: number;
  start: number;
  end: number;
  /** Requests in the batch. */
  size: number;
  numTokens: number;
}

const FLUSH_CHARS = 1 << 20;

/** Seconds → µs with at most 3 decimals (ns), avoiding 1234.5000000001-style noise. */
function micros(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e3;
}

/**
 * Produces the trace JSON text in chunks of about 1M characters (single pass; works on any iterable).
 * Throws a RangeError for a record with non-finite times or end < start.
 *
 * @example
 * let text = "";
 * chromeTraceChunks([{ replica: 0, stage: 0, batchId: 0, start: 0, end: 0.01, size: 2, numTokens: 130 }], (s) => (text += s));
 * JSON.parse(text).traceEvents.length; // 5: one X event + 4 metadata events
 */
export function chromeTraceChunks(records: Iterable<StageRecord>, emit: (chunk: string) => void): void {
  const tracks = new Map<number, Set<number>>();
  let s = '{"displayTimeUnit":"ms","traceEvents":[';
  let first = true;
  const push = (event: string): void => {
    s += first ? `\n${event}` : `,\n${event}`;
    first = false;
    if (s.length > FLUSH_CHARS) {
      emit(s);
      s = "";
    }
  };
  for (const r of records) {
    if (!Number.isFinite(r.start) || !Number.isFinite(r.end) || r.end < r.start) {
      throw new RangeError(
        `stage record of batch ${r.batchId} (replica ${r.replica}, stage ${r.stage}) has start ${r.start}, end ${r.end}`,
      );
    }
    let stages = tracks.get(r.replica);
    if (stages === undefined) tracks.set(r.replica, (stages = new Set()));
    stages.add(r.stage);
    const ts = micros(r.start);
    const dur = Math.max(0, micros(r.end) - ts);
    push(
      `{"name":"batch ${r.batchId}","cat":"batch","ph":"X","pid":${r.replica},"tid":${r.stage},"ts":${ts},"dur":${Math.round(dur * 1e3) / 1e3},` +
        `"args":{"batch_id":${r.batchId},"size":${r.size},"num_tokens":${r.numTokens}}}`,
    );
  }
  // Metadata last: a streaming writer only knows the tracks at the end, and order does not matter.
  for (const replica of [...tracks.keys()].sort((a, b) => a - b)) {
    push(`{"name":"process_name","ph":"M","pid":${replica},"tid":0,"args":{"name":"replica ${replica}"}}`);
    push(`{"name":"process_sort_index","ph":"M","pid":${replica},"tid":0,"args":{"sort_index":${replica}}}`);
    for (const stage of [...tracks.get(replica)!].sort((a, b) => a - b)) {
      push(`{"name":"thread_name","ph":"M","pid":${replica},"tid":${stage},"args":{"name":"stage ${stage}"}}`);
      push(`{"name":"thread_sort_index","ph":"M","pid":${replica},"tid":${stage},"args":{"sort_index":${stage}}}`);
    }
  }
  emit(`${s}\n]}\n`);
}

/**
 * Writes the Chrome/Perfetto trace of `records` to `path` atomically.
 *
 * @example
 * await writeChromeTrace(stageRecords, "out/trace.json"); // open in https://ui.perfetto.dev
 */
export async function writeChromeTrace(records: Iterable<StageRecord>, path: string): Promise<void> {
  await writeStreamAtomic(path, (out) => chromeTraceChunks(records, (chunk) => out.write(chunk)));
}
