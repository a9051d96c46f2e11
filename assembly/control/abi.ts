// The controller's shared numbers: action codes and reason codes of the control log (one row per action).
// Valid TypeScript and AssemblyScript at once (like assembly/abi.ts), so the host (src/control/) and the
// engine share one table.

/** Actions (control table `action`). */
export const ACT_HOLD = 1; // start holding deferrable requests (value: CI of the coming step, g/kWh)
export const ACT_RESUME = 2; // stop holding: held requests may be released (value: CI of the coming step)
export const ACT_RELEASE = 3; // held requests released this step, paced (value: how many)
export const ACT_FORCE_RELEASE = 4; // held requests released because their deadline is near (value: how many)
export const ACT_POWER_CAP = 5; // per-GPU power cap set (value: W, 0 = the configured cap / none)

/** Reasons (control table `reason`; the host spells them out with the logged CI and threshold). */
export const WHY_CI_ABOVE = 1; // CI(now) > threshold
export const WHY_CI_BELOW = 2; // CI(now) <= threshold
export const WHY_DEADLINE = 3; // arrival + deadline - safety margin falls before the next step's end
export const WHY_IDLE = 4; // nothing else left to run: every held request is released

/** Log columns (f64 each). */
export const CL_T = 0;
export const CL_ACTION = 1;
export const CL_VALUE = 2;
export const CL_REASON = 3;
export const CL_CI = 4;
export const CL_THRESHOLD = 5;
export const CL_FIELDS = 6;

/** Control counters (f64), read by the host after run(). */
export const CC_HELD = 0; // requests that went into the held queue
export const CC_RELEASED = 1; // released by the controller (paced)
export const CC_FORCED = 2; // released because of their deadline
export const CC_DEFERRAL_SUM_S = 3; // Σ (release time − arrival) over held requests
export const CC_MAX_HELD = 4; // largest held-queue length
export const CC_TICKS = 5; // control ticks (grid steps seen by the controller)
export const CC_FIELDS = 6;
