// What a controller knows of the future: the mean carbon intensity and solar power over a window ahead, read
// from the traces (a perfect forecast) or, with --forecast-error e > 0, with a seeded multiplicative error:
//   forecast = truth × max(0, 1 + σ(h)·z),   σ(h) = e · sqrt(h / 3600 s),   z ~ N(0, 1)
// where h is how far the window's end lies ahead of the tick that asks (so the error grows with the horizon,
// like a random walk: e is the relative error one hour ahead). z is a pure function of (--forecast-seed, the
// quantity, the tick time, the window's offset): every tick issues a fresh forecast, and the same seed gives
// the same forecasts in any process or sweep worker.
import { cumCi } from "../energy";
import { forecastError, forecastSeed } from "../generated/config";
import { solarPrimitive } from "../microgrid/series";

export const KIND_CI: u64 = 1;
export const KIND_SOLAR: u64 = 2;

@inline function mix(x: u64): u64 {
  // splitmix64's finaliser
  let z = x + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

@inline function unit(x: u64): f64 {
  return (<f64>(x >> 11) + 0.5) * (1.0 / 9007199254740992.0); // (0, 1)
}

/** A standard normal draw keyed by (seed, kind, tick time, window offset) (Box-Muller). */
function normal(kind: u64, now: f64, offset: f64): f64 {
  const k = mix(mix(mix(<u64>forecastSeed ^ (kind << 56)) ^ reinterpret<u64>(now)) ^ reinterpret<u64>(offset));
  const u1 = unit(k);
  const u2 = unit(mix(k));
  return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
}

/** The multiplicative error of a forecast made at `now` of the window [a, b). */
export function forecastFactor(kind: u64, now: f64, a: f64, b: f64): f64 {
  if (forecastError <= 0) return 1;
  const h = b - now > 0 ? b - now : 0;
  const f = 1.0 + forecastError * Math.sqrt(h / 3600.0) * normal(kind, now, a - now);
  return f > 0 ? f : 0;
}

/** Mean carbon intensity over [a, b) (g/kWh; `len` its length as the caller computes it) as forecast at `now`. */
export function forecastCi(now: f64, a: f64, b: f64, len: f64 = b - a): f64 {
  const truth = (cumCi(b) - cumCi(a)) / len;
  return forecastError > 0 ? truth * forecastFactor(KIND_CI, now, a, b) : truth;
}

/** Mean solar power over [a, b) (W) as forecast at `now`. */
export function forecastSolar(now: f64, a: f64, b: f64): f64 {
  const truth = (solarPrimitive(b) - solarPrimitive(a)) / (b - a);
  return forecastError > 0 ? truth * forecastFactor(KIND_SOLAR, now, a, b) : truth;
}
