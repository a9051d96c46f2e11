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
import type { EngineResult } from "../engine/result.js";
import { summarizeInPlace, type Summary } from "../tables/quantiles.js";
import { column, type Column } from "../tables/table.js";

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

/** Counts of one class (own function: a hot loop, kept small for V8). */
function classCounts(stream: RequestStream, q: EngineResult["requests"], code: number) {
  const cls = stream.requestClass!;
  const deadline = stream.deadlineS!;
  let requests = 0,
    completed = 0,
    late = 0,
    tokens = 0;
  let deadlineS: number | null = null;
  for (let i = 0; i < cls.length; i++) {
    if (cls[i] !== code) continue;
    requests++;
    if (deadline[i] === deadline[i]) deadlineS = deadline[i];
    if (!q.completed[i]) continue;
    completed++;
    tokens += q.originalDecodeTokens[i];
    if (q.completedAt[i] - q.arrivedAt[i] > deadline[i]) late++;
  }
  return { requests, completed, dropped: requests - completed, late, tokens, deadlineS };
}

/** Summary of metric(i) over the completed requests of class `code`, on `scratch` (sorted in place). */
function classLatency(
  scratch: Float64Array,
  cls: Uint8Array,
  q: EngineResult["requests"],
  code: number,
  metric: (i: number) => number,
): Summary {
  for (let i = 0; i < scratch.length; i++) scratch[i] = cls[i] === code && q.completed[i] ? metric(i) : Number.NaN;
  return summarizeInPlace(scratch);
}

/**
 * summary.json's `classes` (keyed by class name) and `served_output_tokens` (decode tokens of all completed
 * requests), or undefined when the stream has no classes.
 */
export function classSummary(
  stream: RequestStream,
  r: EngineResult,
): { classes: Record<string, ClassReport>; served_output_tokens: number } | undefined {
  const cls = stream.requestClass;
  if (!cls) return undefined;
  const q = r.requests;
  const scratch = new Float64Array(cls.length);
  const classes: Record<string, ClassReport> = {};
  let served = 0;
  REQUEST_CLASSES.forEach((name, code) => {
    const c = classCounts(stream, q, code);
    served += c.tokens;
    const report: ClassReport = {
      requests: c.requests,
      completed: c.completed,
      dropped: c.dropped,
      missed_deadline: c.dropped + c.late,
      deadline_s: c.deadlineS,
      served_output_tokens: c.tokens,
      ttft_s: classLatency(scratch, cls, q, code, (i) => q.prefillCompletedAt[i] - q.arrivedAt[i]),
      e2e_latency_s: classLatency(scratch, cls, q, code, (i) => q.completedAt[i] - q.arrivedAt[i]),
    };
    if (name === "deferrable") report.deferral_delay_s = classLatency(scratch, cls, q, code, (i) => q.scheduledAt[i] - q.arrivedAt[i]);
    classes[name] = report;
  });
  return { classes, served_output_tokens: served };
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
