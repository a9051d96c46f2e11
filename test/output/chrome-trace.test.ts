import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromeTraceChunks, writeChromeTrace, type StageRecord } from "../../src/output/chrome-trace.js";
import { leftoverTemps, tempDir } from "./helpers.js";

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  args: Record<string, unknown>;
}

const records: StageRecord[] = [
  { replica: 0, stage: 0, batchId: 0, start: 0, end: 0.0125, size: 2, numTokens: 130 },
  { replica: 0, stage: 1, batchId: 0, start: 0.0125, end: 0.025, size: 2, numTokens: 130 },
  { replica: 1, stage: 0, batchId: 7, start: 1.1, end: 1.1000005, size: 1, numTokens: 1 },
];

async function trace(recs: Iterable<StageRecord>): Promise<{ traceEvents: TraceEvent[]; displayTimeUnit: string }> {
  const dir = tempDir();
  const path = join(dir, "trace.json");
  await writeChromeTrace(recs, path);
  assert.equal(leftoverTemps(dir), []);
  return JSON.parse(readFileSync(path, "utf8"));
}

test("one X event per batch stage with pid = replica, tid = stage, µs times", async () => {
  const xs = (await trace(records)).traceEvents.filter((e) => e.ph === "X");
  assert.is(xs.length, 3);
  assert.equal(xs[1], {
    name: "batch 0",
    cat: "batch",
    ph: "X",
    pid: 0,
    tid: 1,
    ts: 12500,
    dur: 12500,
    args: { batch_id: 0, size: 2, num_tokens: 130 },
  });
  assert.is(xs[2].ts, 1100000);
  assert.is(xs[2].dur, 0.5);
});

test("process and thread names label every replica and stage", async () => {
  const meta = (await trace(records)).traceEvents.filter((e) => e.ph === "M");
  const names = meta.filter((e) => e.name === "process_name").map((e) => [e.pid, e.args.name]);
  assert.equal(names, [
    [0, "replica 0"],
    [1, "replica 1"],
  ]);
  const threads = meta.filter((e) => e.name === "thread_name").map((e) => [e.pid, e.tid, e.args.name]);
  assert.equal(threads, [
    [0, 0, "stage 0"],
    [0, 1, "stage 1"],
    [1, 0, "stage 0"],
  ]);
});

test("an empty record stream is still a valid trace", async () => {
  const t = await trace([]);
  assert.equal(t.traceEvents, []);
  assert.is(t.displayTimeUnit, "ms");
});

test("large traces are emitted in several chunks that form valid JSON", () => {
  function* many(): Generator<StageRecord> {
    for (let i = 0; i < 20_000; i++)
      yield { replica: i % 4, stage: 0, batchId: i, start: i * 0.01, end: i * 0.01 + 0.005, size: 8, numTokens: 8 };
  }
  const chunks: string[] = [];
  chromeTraceChunks(many(), (c) => chunks.push(c));
  assert.ok(chunks.length > 1);
  assert.is(JSON.parse(chunks.join("")).traceEvents.length, 20_000 + 4 * 4);
});

test("a record ending before it starts is rejected and no file is left", async () => {
  const dir = tempDir();
  const bad = [{ replica: 0, stage: 0, batchId: 3, start: 2, end: 1, size: 1, numTokens: 1 }];
  try {
    await writeChromeTrace(bad, join(dir, "t.json"));
    assert.unreachable("should throw");
  } catch (e) {
    assert.instance(e, RangeError);
    assert.match(String(e), /batch 3/);
  }
  assert.equal(leftoverTemps(dir), []);
});

test.run();
