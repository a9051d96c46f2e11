/**
 * `rate_trace` intervals (tokenwatt): a non-homogeneous Poisson process whose rate comes from
 * `--arrival-rate-trace FILE`, a CSV with columns `time,qps` (others ignored):
 *  - `time` is either seconds since the simulation start (all rows numeric), or ISO date-times with a zone
 *    (`2024-06-01T00:00:00Z`, `…+02:00`), anchored like the carbon trace: t = 0 is `--start`, or the first
 *    stamp without `--start`;
 *  - `qps` (≥ 0) holds from its row's time until the next row's; the last row's holds for the median row
 *    spacing, which ends the trace (24 hourly rows cover 24 hours).
 * The trace must cover the run: its first time ≤ 0 and, with `--duration`, its end ≥ the duration; otherwise
 * an InputError names the file. Exact: each arrival inverts the integrated (piecewise-linear) rate, one draw
 * per arrival from tokenwatt's own stream (`ownStream`).
 *
 * @example
 * // rate.csv: time,qps / 0,5 / 3600,20 / 7200,5   (5 QPS, then 20, then 5 for an hour each)
 * // --interval_generator_config_type rate_trace --arrival-rate-trace rate.csv --duration 10800 → ≈ 108,000 requests
 */
import { InputError } from "../../core/errors.js";
import { path } from "../../core/descriptor.js";
import { parseZoned } from "../../carbon/time.js";
import { optionalNumberFlag, seedFlag, stringFlag } from "../config.js";
import { readCsv } from "../../core/csv.js";
import { stepRateArrivals } from "../arrival-rate.js";
import { ownStream, STREAM_TAG } from "../random/own-stream.js";
import type { IntervalGeneratorModule } from "../generator-types.js";

const FLAG = "--arrival-rate-trace";

export interface RateTrace {
  /** Step start times in simulated seconds (strictly increasing). */
  starts: Float64Array;
  /** Requests per second from starts[k] on. */
  rates: Float64Array;
  /** Simulated time at which the trace ends. */
  end: number;
}

/** Reads and anchors a rate trace (`startIso`: the `--start` value, if any). */
export function readRateTrace(file: string, startIso: string | null): RateTrace {
  const table = readCsv(
    file,
    [
      { name: "time", kind: "string" },
      { name: "qps", kind: "number", nonNegative: true },
    ],
    FLAG,
  );
  const n = table.rows;
  if (n < 2) {
    throw InputError.at(file, undefined, undefined, `${FLAG} needs two rows or more (time,qps): the last rate lasts one row spacing`);
  }
  const cells = table.strings.time;
  const starts = new Float64Array(n);
  const numeric = cells.every((c) => c.trim() !== "" && Number.isFinite(Number(c)));
  if (numeric) {
    for (let i = 0; i < n; i++) starts[i] = Number(cells[i]);
  } else {
    let origin: number | undefined;
    if (startIso !== null) {
      const p = parseZoned(startIso);
      if (!p || p.naive) throw new InputError(`--start must be an ISO date-time with a zone like 2023-06-08T12:00:00Z, got "${startIso}"`);
      origin = p.ms;
    }
    for (let i = 0; i < n; i++) {
      const p = parseZoned(cells[i]);
      const line = table.lines[i];
      if (!p) throw InputError.at(file, line, "time", `must be seconds or a date-time (YYYY-MM-DDTHH:MM[:SS]Z|±HH:MM), got "${cells[i]}"`);
      if (p.naive) throw InputError.at(file, line, "time", `"${cells[i]}" has no time zone: add Z or ±HH:MM (stamps are never guessed)`);
      origin ??= p.ms;
      starts[i] = (p.ms - origin) / 1000;
    }
  }
  for (let i = 1; i < n; i++) {
    if (!(starts[i] > starts[i - 1])) {
      const problem = `must increase (${cells[i]} after ${cells[i - 1]}): the trace must be sorted, without duplicates`;
      throw InputError.at(file, table.lines[i], "time", problem);
    }
  }
  if (starts[0] > 0) {
    const problem = `starts ${starts[0]} s after the simulation start (t = 0): the rate trace must cover the whole run`;
    throw InputError.at(file, table.lines[0], "time", problem);
  }
  const spacing = Float64Array.from({ length: n - 1 }, (_, i) => starts[i + 1] - starts[i]).sort();
  const end = starts[n - 1] + spacing[Math.floor((n - 1) / 2)];
  return { starts, rates: Float64Array.from(table.numbers.qps), end };
}

export const rateTraceIntervals: IntervalGeneratorModule = {
  type: "rate_trace",
  doc: "Poisson arrivals whose rate follows a time,qps CSV trace",
  defaults: {},
  options: {
    arrival_rate_trace: path({
      default: null,
      group: "workload",
      help: "rate_trace: CSV time,qps (seconds from the start, or date-times anchored by --start)",
    }),
  },
  reads: ["start"],
  create({ cfg, resolvePath }) {
    if (cfg.arrival_rate_trace == null) {
      throw new InputError("--interval_generator_config_type rate_trace needs --arrival-rate-trace FILE (CSV time,qps)");
    }
    const file = resolvePath(stringFlag(cfg, "arrival_rate_trace"));
    const trace = readRateTrace(file, (cfg.start as string | null | undefined) ?? null);
    const duration = optionalNumberFlag(cfg, "synthetic_request_generator_config_duration", { above: 0 });
    if (duration !== null && trace.end < duration) {
      throw new InputError(`${FLAG} ${file} covers the run until t = ${trace.end} s, shorter than --duration ${duration} s`);
    }
    const seed = seedFlag(cfg, "synthetic_request_generator_config_seed");
    const next = stepRateArrivals(trace.starts, trace.rates, trace.end, ownStream(seed, STREAM_TAG.arrivalRate));
    let current = 0;
    let count = 0;
    return () => {
      const t = next(current);
      if (t === Infinity && duration === null) {
        throw new InputError(
          `${FLAG} ${file} ends at t = ${trace.end} s after ${count} requests, before ` +
            `--synthetic_request_generator_config_num_requests is reached: pass --duration ${trace.end} or a longer trace`,
        );
      }
      count++;
      const gap = t - current;
      current += gap;
      return gap;
    };
  },
};
