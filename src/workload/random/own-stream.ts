/**
 * tokenwatt's own random streams (time-varying arrivals, request classes), kept apart from the global streams
 * Vidur seeds, so a feature that draws from them leaves every Vidur-exact draw — and so every existing
 * workload and the random global scheduler's route table — exactly as it was. Stream `tag` of `seed` is
 * Python's `random.Random(seed + (tag << 32))`, so its draws can be reproduced outside tokenwatt.
 *
 * @example
 * ownStream(42, STREAM_TAG.arrivalRate).random(); // = random.Random(42 + (1 << 32)).random() in Python
 */
import { PythonRandom } from "./python-random.js";

/** One tag per feature that draws random numbers of its own. */
export const STREAM_TAG = { arrivalRate: 1, requestClasses: 2, deferrableLengths: 3 } as const;

/** The stream `tag` of `seed` (an integer in 0..2**32-1). */
export function ownStream(seed: number, tag: number): PythonRandom {
  return new PythonRandom(seed + tag * 2 ** 32);
}
