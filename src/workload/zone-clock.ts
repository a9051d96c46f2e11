/**
 * Local wall-clock hour of simulated times: t seconds after an anchor instant, in a time zone (UTC, ±HH:MM or
 * an IANA name, daylight-saving aware through src/carbon/time.ts). Asking the runtime's zone database costs
 * microseconds, so the UTC offset is looked up once per simulated day and, on the rare day it changes, the
 * change is located to the second by bisection; each later query is a comparison or two.
 *
 * @example
 * const clock = new ZoneClock(Date.parse("2024-03-30T00:00:00Z"), "Europe/Berlin");
 * clock.localHour(0);            // 1 (00:00 UTC = 01:00 CET)
 * clock.localHour(86400 + 7200); // 4 (Sunday 02:00 UTC = 04:00 CEST: clocks went forward at 01:00 UTC)
 */
import { checkZone, zoneOffsetMinutes } from "../carbon/time.js";

const DAY_S = 86_400;

export class ZoneClock {
  /** Offset (seconds east of UTC) from `changeAt[i]` (simulated s) on; `changeAt[0]` = -Infinity. */
  private readonly changeAt: number[] = [-Infinity];
  private readonly offsetS: number[];
  /** Simulated time up to which offsets are known. */
  private knownUntil = 0;
  private last = 0;
  private readonly anchorDayS: number;

  /** `anchorMs`: the UTC instant (ms since epoch) of simulated t = 0. Throws on an unknown zone. */
  constructor(
    private readonly anchorMs: number,
    private readonly zone: string,
  ) {
    checkZone(zone);
    this.anchorDayS = (((anchorMs % 86_400_000) + 86_400_000) % 86_400_000) / 1000;
    this.offsetS = [this.offsetAt(0)];
  }

  private offsetAt(t: number): number {
    return zoneOffsetMinutes(this.zone, this.anchorMs + t * 1000) * 60;
  }

  /** Extends the known offsets by whole days until they cover t. */
  private extend(t: number): void {
    while (this.knownUntil <= t) {
      const from = this.knownUntil;
      const to = from + DAY_S;
      const before = this.offsetS[this.offsetS.length - 1];
      const after = this.offsetAt(to);
      if (after !== before) {
        // the change lies in (from, to]: bisect to the whole second
        let lo = from;
        let hi = to;
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.offsetAt(mid) === before) lo = mid;
          else hi = mid;
        }
        this.changeAt.push(hi);
        this.offsetS.push(after);
      }
      this.knownUntil = to;
    }
  }

  /** Seconds east of UTC at simulated time t (≥ 0); fastest for non-decreasing t. */
  offsetSeconds(t: number): number {
    if (t >= this.knownUntil) this.extend(t);
    let i = this.last;
    while (i + 1 < this.changeAt.length && this.changeAt[i + 1] <= t) i++;
    while (this.changeAt[i] > t) i--;
    this.last = i;
    return this.offsetS[i];
  }

  /** The local wall-clock hour in [0, 24) at simulated time t (fractional: 13.5 = 13:30). */
  localHour(t: number): number {
    // the anchor's second of the UTC day, so the sum stays small and keeps sub-microsecond precision
    const s = (this.anchorDayS + t + this.offsetSeconds(t)) % DAY_S;
    return (s < 0 ? s + DAY_S : s) / 3600;
  }
}
