/**
 * `diurnal` intervals (tokenwatt): a non-homogeneous Poisson process whose rate follows a smooth 24-hour
 * profile, a raised cosine between `--diurnal-trough-qps` and `--diurnal-peak-qps` peaking at
 * `--diurnal-peak-hour` local time:
 *
 *   λ(t) = trough + (peak − trough) · (1 + cos(2π (h(t) − peak_hour) / 24)) / 2,   h(t) = local hour at t
 *
 * so the daily mean is (peak + trough) / 2 and the trough falls 12 hours from the peak. Local time is, first
 * found: `--diurnal-tz` (IANA name or ±HH:MM), the zone of `--location` (the microgrid's site), the offset written
 * in `--start`, UTC; with `--start`, daylight-saving changes move the peak with the local clock. Without `--start`,
 * t = 0 is local midnight.
 * Exact: Lewis–Shedler thinning at the peak rate on tokenwatt's own stream (`ownStream`), so the random
 * global scheduler's route table and Vidur's streams are unaffected.
 *
 * @example
 * // --interval_generator_config_type diurnal --diurnal-peak-qps 30 --diurnal-trough-qps 10 --duration 86400
 * // → about 1.73 M arrivals, the busiest hour around 14:00 UTC
 */
import { InputError } from "../../core/errors.js";
import { float, string } from "../../core/descriptor.js";
import { parseZoned } from "../../carbon/time.js";
import { findLocation } from "../../microgrid/locations.js";
import { numberFlag, seedFlag } from "../config.js";
import { thinnedArrivals } from "../arrival-rate.js";
import { ownStream, STREAM_TAG } from "../random/own-stream.js";
import type { IntervalGeneratorModule } from "../generator-types.js";
import { ZoneClock } from "../zone-clock.js";

const group = "workload";

/** The raised-cosine rate at local hour h. */
export function diurnalRate(h: number, peak: number, trough: number, peakHour: number): number {
  return trough + (peak - trough) * 0.5 * (1 + Math.cos((2 * Math.PI * (h - peakHour)) / 24));
}

/** The zone written at the end of an ISO date-time ("Z", "+02:00"), if any. */
function zoneOfStamp(stamp: string): string | undefined {
  return /(Z|[+-]\d{2}:?\d{2})$/i.exec(stamp.trim())?.[1];
}

/**
 * The clock of the profile: anchored at --start in the chosen zone (--diurnal-tz, else --location's zone, else
 * --start's own offset, else UTC), or local midnight at t = 0.
 */
export function diurnalClock(start: unknown, tz: unknown, location?: unknown): ZoneClock {
  if (start === null || start === undefined) {
    if (tz !== null && tz !== undefined) {
      throw new InputError(
        `--diurnal_tz ${tz} needs --start (the date and time of t = 0) to place the day; without --start, t = 0 is local midnight`,
      );
    }
    return new ZoneClock(0, "UTC");
  }
  const text = String(start);
  const p = parseZoned(text);
  if (!p) throw new InputError(`--start must be an ISO date-time like 2023-06-08T12:00:00Z, got "${text}"`);
  if (p.naive) throw new InputError(`--start "${text}" has no time zone: add Z or ±HH:MM (e.g. ${text}Z)`);
  const site = location === null || location === undefined ? undefined : findLocation(String(location)).zone;
  const zone = tz === null || tz === undefined ? (site ?? zoneOfStamp(text) ?? "UTC") : String(tz);
  try {
    return new ZoneClock(p.ms, zone);
  } catch (e) {
    throw new InputError(`--diurnal_tz: ${(e as Error).message}`);
  }
}

export const diurnalIntervals: IntervalGeneratorModule = {
  type: "diurnal",
  doc: "Poisson arrivals whose rate follows a 24-hour raised cosine between trough and peak qps",
  defaults: {},
  options: {
    diurnal_peak_qps: float({ default: null, min: 0, group, help: "diurnal: arrival rate at the daily peak (requests/s)" }),
    diurnal_trough_qps: float({
      default: null,
      min: 0,
      group,
      help: "diurnal: arrival rate at the daily trough, 12 h from the peak (requests/s)",
    }),
    diurnal_peak_hour: float({ default: 14, min: 0, max: 24, group, help: "diurnal: local hour of the peak (0-24, fractions allowed)" }),
    diurnal_tz: string({
      default: null,
      group,
      help: "diurnal: time zone of the peak hour, IANA name or +HH:MM (default: --location's zone, else --start's offset, else UTC)",
    }),
  },
  reads: ["start", "location"],
  create({ cfg }) {
    if (cfg.diurnal_peak_qps == null || cfg.diurnal_trough_qps == null) {
      throw new InputError("--interval_generator_config_type diurnal needs --diurnal-peak-qps and --diurnal-trough-qps");
    }
    const peak = numberFlag(cfg, "diurnal_peak_qps", { above: 0 });
    const trough = numberFlag(cfg, "diurnal_trough_qps", { min: 0, max: peak });
    const peakHour = numberFlag(cfg, "diurnal_peak_hour", { min: 0, max: 24 });
    const clock = diurnalClock(cfg.start, cfg.diurnal_tz, cfg.location);
    const seed = seedFlag(cfg, "synthetic_request_generator_config_seed");
    const rate = (t: number) => diurnalRate(clock.localHour(t), peak, trough, peakHour);
    const next = thinnedArrivals(rate, peak, ownStream(seed, STREAM_TAG.arrivalRate));
    let current = 0;
    return () => {
      const gap = next(current) - current;
      current += gap; // the same sum the synthetic generator forms, so both agree on "now"
      return gap;
    };
  },
};
