/**
 * Date-times with an explicit time zone: ISO 8601 with `Z` or `±HH:MM`, or a naive stamp plus a zone given
 * separately: `UTC`, `±HH:MM`, or an IANA name such as `Europe/Berlin` (daylight-saving aware, through the
 * runtime's time-zone database). Naive stamps are never guessed.
 *
 * @example
 * parseZoned("2023-06-08T00:00:00Z")                     // ms since epoch
 * parseZoned("2023-06-08 00:05:00", "UTC")                // same clock, UTC
 * parseZoned("2023-06-08 12:00:00", "Europe/Berlin")      // 10:00 UTC (summer time)
 */
const ZONED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

const HOUR_MS = 3_600_000;

/**
 * ms since epoch, or undefined if `s` is not a date-time; `zone` applies only to naive stamps. Throws on a bad
 * zone, and on a local time that a daylight-saving change skips. A local time that occurs twice (the hour
 * repeated when clocks go back) is its first occurrence, unless that is not after `after` (the previous
 * stamp of a series): then it is the second, so an hourly local-time trace reads as strictly increasing.
 */
export function parseZoned(s: string, zone?: string, after?: number): { ms: number; naive: boolean } | undefined {
  const m = ZONED.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, se ? +se : 0) + (frac ? Math.round(parseFloat(frac) * 1000) : 0);
  if (Number.isNaN(wall)) return undefined;
  if (tz !== undefined) return { ms: wall - offsetMinutes(tz) * 60_000, naive: false };
  if (zone === undefined) return { ms: wall, naive: true };
  const fixed = fixedOffsetMinutes(zone);
  if (fixed !== undefined) return { ms: wall - fixed * 60_000, naive: true };
  return { ms: localToUtc(wall, zone, s.trim(), after), naive: true };
}

/** Minutes east of UTC for "Z", "UTC", "+02:00", "-0530". */
export function offsetMinutes(z: string): number {
  const fixed = fixedOffsetMinutes(z);
  if (fixed === undefined) throw new Error(`bad time zone "${z}" (allowed: UTC, Z, ±HH:MM)`);
  return fixed;
}

/**
 * Minutes east of UTC of `zone` at the instant `utcMs`: a fixed offset, or an IANA zone's offset then.
 *
 * @example
 * zoneOffsetMinutes("Europe/Berlin", Date.UTC(2023, 0, 1)); // 60
 */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  return fixedOffsetMinutes(zone) ?? ianaOffsetMinutes(zone, utcMs);
}

/**
 * Throws unless `zone` is UTC, ±HH:MM or an IANA name the runtime knows (checked once, up front).
 *
 * @example
 * checkZone("America/Los_Angeles"); // ok
 */
export function checkZone(zone: string): void {
  if (fixedOffsetMinutes(zone) === undefined) formatter(zone);
}

function fixedOffsetMinutes(z: string): number | undefined {
  const u = z.trim().toUpperCase();
  if (u === "Z" || u === "UTC" || u === "GMT") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(u);
  if (!m) return undefined;
  return (m[1] === "-" ? -1 : 1) * (+m[2] * 60 + +m[3]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new Error(`bad time zone "${zone}" (allowed: UTC, ±HH:MM or an IANA name such as Europe/Berlin)`);
    }
    formatters.set(zone, f);
  }
  return f;
}

function ianaOffsetMinutes(zone: string, utcMs: number): number {
  const whole = Math.floor(utcMs / 1000) * 1000; // the formatter shows whole seconds
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(whole))) if (part.type !== "literal") p[part.type] = +part.value;
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - whole) / 60_000);
}

/** The instant(s) whose wall-clock time in `zone` is `wall`: offsets a day either side bracket any change. */
function localToUtc(wall: number, zone: string, text: string, after?: number): number {
  const candidates = [...new Set([ianaOffsetMinutes(zone, wall - 24 * HOUR_MS), ianaOffsetMinutes(zone, wall + 24 * HOUR_MS)])]
    .map((offset) => wall - offset * 60_000)
    .filter((utc) => utc + ianaOffsetMinutes(zone, utc) * 60_000 === wall)
    .sort((a, b) => a - b);
  if (candidates.length === 0) throw new Error(`"${text}" does not exist in ${zone} (clocks skip it when daylight saving time starts)`);
  if (after !== undefined) return candidates.find((utc) => utc > after) ?? candidates[candidates.length - 1];
  return candidates[0];
}
