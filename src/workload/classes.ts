/**
 * Request classes (issue 12): each request is `interactive` (served as soon as possible, no deadline) or
 * `deferrable` (may wait; must complete within `--deferrable-deadline-s` of its arrival). With
 * `--deferrable-fraction F` every request of the generated stream, in id order, is deferrable with
 * probability F, drawn from tokenwatt's own stream of the request generator's seed (`STREAM_TAG.requestClasses`),
 * so arrivals and lengths are exactly those of the same workload without classes. Without the flag the stream
 * carries no classes and every output is as before the feature.
 *
 * @example
 * const s = assignClasses(stream, { fraction: 0.3, deadlineS: 3600 }, 42);
 * s.requestClass;  // Uint8Array of 0 (interactive) / 1 (deferrable), about 30 % ones
 * s.deadlineS;     // NaN for interactive rows, 3600 for deferrable ones
 */
import { InputError } from "../core/errors.js";
import { float } from "../core/descriptor.js";
import type { RequestStream } from "../core/types.js";
import { ownStream, STREAM_TAG } from "./random/own-stream.js";
import { numberFlag, type ResolvedConfig } from "./config.js";

const group = "workload";

/** The class flags' descriptors (their defaults join WORKLOAD_DEFAULTS). */
export const REQUEST_CLASS_OPTIONS = {
  deferrable_fraction: float({
    default: null,
    min: 0,
    max: 1,
    group,
    help: "share of requests that are deferrable (0-1); enables request classes and the per-class summary",
  }),
  deferrable_deadline_s: float({
    default: 86400,
    min: 0,
    group,
    help: "deferrable requests must complete within this many seconds of arrival (> 0; default a day, like batch APIs)",
  }),
};

export interface ClassSettings {
  fraction: number;
  deadlineS: number;
}

/** The validated class flags, or null without `--deferrable-fraction` (no classes). */
export function classSettings(cfg: ResolvedConfig): ClassSettings | null {
  const deadlineS = numberFlag(cfg, "deferrable_deadline_s", { above: 0 });
  if (cfg.deferrable_fraction === null || cfg.deferrable_fraction === undefined) {
    if (deadlineS !== REQUEST_CLASS_OPTIONS.deferrable_deadline_s.default) {
      throw new InputError("--deferrable-deadline-s applies to deferrable requests: give --deferrable-fraction too");
    }
    return null;
  }
  return { fraction: numberFlag(cfg, "deferrable_fraction", { min: 0, max: 1 }), deadlineS };
}

/** The stream with `requestClass` and `deadlineS` drawn from stream `requestClasses` of `seed`. */
export function assignClasses(stream: RequestStream, settings: ClassSettings, seed: number): RequestStream {
  return classDrawer(settings, seed)(stream);
}

/**
 * `assignClasses` block by block: the returned function takes consecutive blocks of one stream and draws from
 * the same random stream across them, so the blocks get the classes the whole stream would.
 */
export function classDrawer(settings: ClassSettings, seed: number): (block: RequestStream) => RequestStream {
  const { fraction, deadlineS: deadline } = settings;
  const random = ownStream(seed, STREAM_TAG.requestClasses);
  return (stream) => {
    const n = stream.arrivedAt.length;
    const requestClass = new Uint8Array(n);
    const deadlineS = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const deferrable = random.random() < fraction;
      requestClass[i] = deferrable ? 1 : 0;
      deadlineS[i] = deferrable ? deadline : Number.NaN;
    }
    return { ...stream, requestClass, deadlineS };
  };
}
