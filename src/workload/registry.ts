/**
 * The interval and length generators by their Vidur type names. Adding one = one file + one line here.
 *
 * @example
 * INTERVAL_GENERATORS.poisson.type; // "poisson"
 */
import type { IntervalGeneratorModule, LengthGeneratorModule } from "./generator-types.js";
import { diurnalIntervals } from "./intervals/diurnal.js";
import { gammaIntervals } from "./intervals/gamma.js";
import { poissonIntervals } from "./intervals/poisson.js";
import { rateTraceIntervals } from "./intervals/rate-trace.js";
import { staticIntervals } from "./intervals/static.js";
import { traceIntervals } from "./intervals/trace.js";
import { fixedLengths } from "./lengths/fixed.js";
import { traceLengths } from "./lengths/trace.js";
import { uniformLengths } from "./lengths/uniform.js";
import { zipfLengths } from "./lengths/zipf.js";

export const INTERVAL_GENERATORS: Readonly<Record<string, IntervalGeneratorModule>> = {
  poisson: poissonIntervals,
  gamma: gammaIntervals,
  static: staticIntervals,
  trace: traceIntervals,
  rate_trace: rateTraceIntervals,
  diurnal: diurnalIntervals,
};

export const LENGTH_GENERATORS: Readonly<Record<string, LengthGeneratorModule>> = {
  fixed: fixedLengths,
  uniform: uniformLengths,
  zipf: zipfLengths,
  trace: traceLengths,
};
