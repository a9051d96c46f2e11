/**
 * Fits the roofline's fixed per-kernel cost (FixedCosts.kernel_launch_us) to measured inter-token latencies of
 * a real serving stack, and reports its leave-one-out error. The simulation that turns a candidate cost into a
 * median inter-token latency is passed in (`itlMs`), so this module stays below the simulator in the layering.
 *
 * @example
 * fitKernelLaunch((us, c) => simulatedItl(us, c), [{ concurrency: 8, itlMs: 7.32 }, { concurrency: 64, itlMs: 11.5 }]).kernel_launch_us
 */
export interface ItlTarget {
  concurrency: number;
  itlMs: number;
}

export interface KernelLaunchFit {
  kernel_launch_us: number;
  /** Mean |error| % of the fit on all targets (in-sample). */
  mape_pct: number;
  /** Per held-out concurrency: the fitted cost without it and the error % on it. */
  leave_one_out: Array<{ concurrency: number; kernel_launch_us: number; predicted_ms: number; measured_ms: number; error_pct: number }>;
}

const sig = (x: number): number => Number(x.toPrecision(4));

/** Golden-section search of the cost in [0, maxUs] minimising the mean |log(simulated / measured)|. */
function fitOn(itlMs: (us: number, concurrency: number) => number, targets: readonly ItlTarget[], maxUs: number): number {
  const loss = (us: number) => targets.reduce((l, t) => l + Math.abs(Math.log(itlMs(us, t.concurrency) / t.itlMs)), 0) / targets.length;
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = 0,
    b = maxUs;
  let c = b - phi * (b - a),
    d = a + phi * (b - a);
  let fc = loss(c),
    fd = loss(d);
  while (b - a > 0.05) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = loss(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = loss(d);
    }
  }
  const x = (a + b) / 2;
  return loss(0) <= loss(x) ? 0 : sig(x);
}

export function fitKernelLaunch(
  itlMs: (us: number, concurrency: number) => number,
  targets: readonly ItlTarget[],
  maxUs = 40,
): KernelLaunchFit {
  const us = fitOn(itlMs, targets, maxUs);
  const mape = targets.reduce((s, t) => s + Math.abs(itlMs(us, t.concurrency) / t.itlMs - 1), 0) / targets.length;
  const leave_one_out = targets.map((held) => {
    const u = fitOn(
      itlMs,
      targets.filter((t) => t !== held),
      maxUs,
    );
    const p = itlMs(u, held.concurrency);
    return {
      concurrency: held.concurrency,
      kernel_launch_us: u,
      predicted_ms: sig(p),
      measured_ms: held.itlMs,
      error_pct: sig(100 * (p / held.itlMs - 1)),
    };
  });
  return { kernel_launch_us: us, mape_pct: sig(100 * mape), leave_one_out };
}
