/**
 * Per-class accounting (issue 12) for runs with request classes (`--deferrable-fraction`): summary.json's
 * `classes` object and `served_output_tokens`, and request_metrics' `class` and `deadline_s` columns. Nothing
 * is hidden: every request is `completed` or `dropped` (not completed when the run ended, e.g. at
 * --time_limit), and `missed_deadline` counts both the dropped ones and those completed later than
 * arrival + deadline. Latency percentiles use the same exact quantiles as the totals (src/tables/quantiles.ts),
 * over the class's completed requests.
 *
 * @example
 * const { classes, served_output_tokens } = classSummary(scenario.requests, result)!;
 * classes.deferrable.missed_deadline; // deferrable requests dropped or completed after their deadline
 */
import { REQUEST_CLASSES, type RequestStream } from "../core/types.js";
import type { RequestChunk } from "../engine/engine.js";
import type { EngineResult } from "../engine/result.js";
import { reuseArray } from "../tables/chunked.js";
import type { Summary } from "../tables/quantiles.js";
import { column, type Column } from "../tables/table.js";
import { DEFAULT_EXACT_QUANTILE_SAMPLES, LatencyAccumulator } from "./latency-accumulator.js";

export interface ClassReport {
  /** Requests of this class in the workload. */
  requests: number;
  completed: number;
  /** Not completed when the run ended (time limit). */
  dropped: number;
  /** Dropped, or completed more than `deadline_s` after arrival. */
  missed_deadline: number;
  /** The class's deadline after arrival; null = none (interactive). */
  deadline_s: number | null;
  /** Decode tokens of the class's completed requests. */
  served_output_tokens: number;
  ttft_s: Summary;
  e2e_latency_s: Summary;
  /** Deferrable only: first scheduling − arrival of completed requests (how long they were held back). */
  deferral_delay_s?: Summary;
}

/** The request columns a class summary reads (a RequestChunk, or whole columns with start 0). */
type ClassRows = Pick<
  RequestChunk,
  "start" | "rows" | "arrivedAt" | "scheduledAt" | "prefillCompletedAt" | "completedAt" | "completed" | "inputs"
>;

/** Counts and latencies of one class, gathered row by row. */
class OneClass {
  requests = 0;
  completed = 0;
  late = 0;
  tokens = 0;
  deadlineS: number | null = null;
  readonly ttft: LatencyAccumulator;
  readonly e2e: LatencyAccumulator;
  readonly deferral: LatencyAccumulator;
  constructor(exactLimit: number) {
    this.ttft = new LatencyAccumulator(exactLimit);
    this.e2e = new LatencyAccumulator(exactLimit);
    this.deferral = new LatencyAccumulator(exactLimit);
  }
}

/**
 * Per-class counts and latency distributions, accumulated chunk by chunk as request rows leave the engine
 * (like RequestStats), so a streamed run needs no whole request column for its `classes` object. Latencies are
 * exact up to `exactLimit` samples per class and metric (bit for bit the exact summary), sketched past it.
 *
 * @example
 * const cs = new ClassStats(scenario.requests);
 * for (const chunk of chunks) cs.add(chunk);
 * cs.summary()?.classes.deferrable.completed;
 */
export class ClassStats {
  private readonly perClass: OneClass[];

  /**
   * `stream`: the workload with its classes, indexed by request id (rows that carry their `inputs` are read
   * from those instead); `hasClasses`: whether the workload has classes at all.
   */
  constructor(
    private readonly stream: RequestStream,
    private readonly hasClasses = stream.requestClass !== undefined,
    exactLimit = DEFAULT_EXACT_QUANTILE_SAMPLES,
  ) {
    this.perClass = REQUEST_CLASSES.map(() => new OneClass(exactLimit));
  }

  /** Rows [c.start, c.start + c.rows), index j of each column = request c.start + j. */
  add(c: ClassRows): void {
    const inputs = c.inputs ?? this.stream;
    const base = c.inputs ? 0 : c.start;
    const cls = inputs.requestClass;
    const deadline = inputs.deadlineS;
    const decode0 = inputs.numDecodeTokens;
    if (!cls || !deadline) return;
    for (let j = 0; j < c.rows; j++) {
      const i = base + j;
      const k = this.perClass[cls[i]];
      if (k === undefined) continue;
      k.requests++;
      if (deadline[i] === deadline[i]) k.deadlineS = deadline[i];
      if (!c.completed[j]) continue;
      k.completed++;
      k.tokens += decode0[i];
      const a = c.arrivedAt[j];
      if (c.completedAt[j] - a > deadline[i]) k.late++;
      k.ttft.add(c.prefillCompletedAt[j] - a);
      k.e2e.add(c.completedAt[j] - a);
      k.deferral.add(c.scheduledAt[j] - a);
    }
  }

  /**
   * summary.json's `classes` (keyed by class name) and `served_output_tokens` (decode tokens of all completed
   * requests), or undefined when the stream has no classes.
   */
  summary(): { classes: Record<string, ClassReport>; served_output_tokens: number } | undefined {
    if (!this.hasClasses) return undefined;
    const classes: Record<string, ClassReport> = {};
    let served = 0;
    REQUEST_CLASSES.forEach((name, code) => {
      const c = this.perClass[code];
      served += c.tokens;
      const report: ClassReport = {
        requests: c.requests,
        completed: c.completed,
        dropped: c.requests - c.completed,
        missed_deadline: c.requests - c.completed + c.late,
        deadline_s: c.deadlineS,
        served_output_tokens: c.tokens,
        ttft_s: c.ttft.summary(),
        e2e_latency_s: c.e2e.summary(),
      };
      if (name === "deferrable") report.deferral_delay_s = c.deferral.summary();
      classes[name] = report;
    });
    return { classes, served_output_tokens: served };
  }
}

/**
 * summary.json's `classes` and `served_output_tokens` from a result's whole request columns, or undefined
 * when the stream has no classes.
 */
export function classSummary(
  stream: RequestStream,
  r: EngineResult,
  exactLimit = DEFAULT_EXACT_QUANTILE_SAMPLES,
): { classes: Record<string, ClassReport>; served_output_tokens: number } | undefined {
  if (!stream.requestClass) return undefined;
  const q = r.requests;
  const stats = new ClassStats({ ...stream, numDecodeTokens: q.originalDecodeTokens }, true, exactLimit);
  stats.add({ ...q, start: 0, rows: q.arrivedAt.length });
  return stats.summary();
}

/**
 * request_metrics' `class` and `deadline_s` columns for rows [start, end) (see classColumns), on the memory of
 * `reuse` (the same two columns of an earlier chunk) when given: what a streamed chunk appends.
 */
export function classColumnRows(stream: RequestStream, start: number, end: number, reuse?: Column[]): Column[] {
  const cls = stream.requestClass;
  const deadline = stream.deadlineS;
  if (!cls || !deadline) return [];
  const out = reuseArray(Int32Array, end - start, reuse?.[0]?.data);
  for (let i = start; i < end; i++) out[i - start] = cls[i];
  const d = reuseArray(Float64Array, end - start, reuse?.[1]?.data);
  d.set(deadline.subarray(start, end));
  return [column("class", "i32", out), column("deadline_s", "f64", d, true)];
}

/**
 * request_metrics' extra columns for runs with classes: `class` (0 interactive, 1 deferrable: an integer so the
 * table stays numeric and fast to write) and `deadline_s` (seconds after arrival; null for no deadline).
 * None without classes, so such runs write exactly the columns they always did.
 */
export function classColumns(stream: RequestStream): Column[] {
  if (!stream.requestClass || !stream.deadlineS) return [];
  return [column("class", "i32", Int32Array.from(stream.requestClass)), column("deadline_s", "f64", stream.deadlineS, true)];
}
