/**
 * Date-times with an explicit time zone: ISO 8601 with `Z` or `±HH:MM`, or a naive stamp plus a zone given
 * separately (`UTC` or `±HH:MM`). Naive stamps are never guessed.
 *
 * @example
 * parseZoned("2023-06-08T00:00:00Z")            // ms since epoch
 * parseZoned("2023-06-08 00:05:00", "UTC")       // same clock, UTC
 */
const ZONED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** ms since epoch, or undefined if `s` is not a date-time; `zone` applies only to naive stamps. Throws on a bad zone. */
export function parseZoned(s: string, zone?: string): { ms: number; naive: boolean } | undefined {
  const m = ZONED.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, se ? +se : 0) + (frac ? Math.round(parseFloat(frac) * 1000) : 0);
  if (Number.isNaN(utc)) return undefined;
  const z = tz ?? zone;
  if (z === undefined) return { ms: utc, naive: true };
  return { ms: utc - offsetMinutes(z) * 60_000, naive: tz === undefined };
}

/** Minutes east of UTC for "Z", "UTC", "+02:00", "-0530". */
export function offsetMinutes(z: string): number {
  const u = z.trim().toUpperCase();
  if (u === "Z" || u === "UTC" || u === "GMT") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(u);
  if (!m) throw new Error(`bad time zone "${z}" (allowed: UTC, Z, ±HH:MM)`);
  return (m[1] === "-" ? -1 : 1) * (+m[2] * 60 + +m[3]);
}
