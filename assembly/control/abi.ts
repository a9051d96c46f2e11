// The controller's shared numbers: action codes and reason codes of the control log (one row per action).
// Valid TypeScript and AssemblyScript at once (like assembly/abi.ts), so the host (src/control/) and the
// engine share one table.

/** Actions (control table `action`). */
export const ACT_HOLD = 1; // start holding deferrable requests (value: CI of the coming step, g/kWh)
export const ACT_RESUME = 2; // stop holding: held requests may be released (value: CI of the coming step)
export const ACT_RELEASE = 3; // held requests released this step, paced (value: how many)
export const ACT_FORCE_RELEASE = 4; // held requests released because their deadline is near (value: how many)
export const ACT_POWER_CAP = 5; // per-GPU power cap set (value: W, 0 = the configured cap / none)
export const ACT_BATCH_CAP = 6; // per-replica batch-size cap set (value: requests)
export const ACT_REPLICAS = 7; // target number of serving replicas (value: replicas)
export const ACT_REPLICA_DRAIN = 8; // replica stops being routed to, finishes its work (value: replica index)
export const ACT_REPLICA_OFF = 9; // replica switched off (value: replica index)
export const ACT_REPLICA_IDLE = 10; // drained replica left on, idle (value: replica index)
export const ACT_REPLICA_WAKE = 11; // off replica starts waking up (value: replica index)
export const ACT_REPLICA_ON = 12; // replica routed to again (value: replica index)

/** Reasons (control table `reason`; the host spells them out with the logged CI and threshold). */
export const WHY_CI_ABOVE = 1; // CI(now) > threshold
export const WHY_CI_BELOW = 2; // CI(now) <= threshold
export const WHY_DEADLINE = 3; // arrival + deadline - safety margin falls before the next step's end
export const WHY_IDLE = 4; // nothing else left to run: every held request is released
export const WHY_DRAINED = 5; // a draining replica finished its work
export const WHY_WOKEN = 6; // a replica's wake-up ended
export const WHY_TARGET = 7; // follows the target number of replicas
export const WHY_SOLAR_SHORT = 8; // forecast solar + battery (x) < the facility's load (limit), W
export const WHY_SOLAR_SURPLUS = 9; // forecast solar + battery (x) >= the facility's load (limit), W
export const WHY_OVER_BUDGET = 10; // facility power (x) > budget (limit), W
export const WHY_UNDER_BUDGET = 11; // facility power (x) <= budget × (1 − margin) (limit), W
export const WHY_ARRIVALS = 12; // replicas set by the arrival rate of the last step (x, req/s; limit: req/s per replica)

/** Log columns (f64 each). */
export const CL_T = 0;
export const CL_ACTION = 1;
export const CL_VALUE = 2;
export const CL_REASON = 3;
export const CL_CI = 4; // the decision's measured value (CI, W, req/s)
export const CL_THRESHOLD = 5; // what it was compared with
export const CL_FIELDS = 6;

/** Control counters (f64), read by the host after run(). */
export const CC_HELD = 0; // requests that went into the held queue
export const CC_RELEASED = 1; // released by the controller (paced)
export const CC_FORCED = 2; // released because of their deadline
export const CC_DEFERRAL_SUM_S = 3; // Σ (release time − arrival) over held requests
export const CC_MAX_HELD = 4; // largest held-queue length
export const CC_TICKS = 5; // control ticks (grid steps seen by the controller)
export const CC_OFF_DELTA_J = 6; // Σ (off power − gap power) × time over off replicas (J, < 0 saves)
export const CC_OFF_REPLICA_S = 7; // replica-seconds off
export const CC_WAKE_DELTA_J = 8; // Σ (wake-up power − gap power) × time over waking replicas (J)
export const CC_WAKE_UPS = 9; // replicas switched back on
export const CC_CAP_SAVED_J = 10; // GPU energy the controller's power caps saved (first order, J)
export const CC_FIELDS = 11;
