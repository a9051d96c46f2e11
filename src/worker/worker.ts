/**
 * The piscina worker for sweeps and capacity searches. Each worker thread instantiates the WASM engine once
 * and reuses it (and its op-table/workload cache) for every task it receives. Sweep results come back with
 * their metric values in a transferred ArrayBuffer.
 *
 * Start-up: the pool passes the parent's compiled engine module in `workerData.engineModule` (src/sweep/pool.ts),
 * and this module instantiates the engine as it loads — piscina loads it when the thread starts, while the
 * parent is still reading the spec — so the first task finds the engine ready.
 */
import { workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { executeCapacity, type CapacityOutcome, type CapacityTask } from "../capacity/execute.js";
import { adoptEngineModule } from "../engine/wasm.js";
import { executeRun, workerState, type RunOutcome, type RunTask } from "../sweep/execute.js";

export type WorkerTask = RunTask | CapacityTask;

const shared = (workerData as { engineModule?: unknown } | null)?.engineModule;
if (shared instanceof WebAssembly.Module) adoptEngineModule(shared);
try {
  workerState();
} catch {
  // e.g. the build is missing: the first task calls workerState() again and reports the error as its own
}

export default async function handle(task: WorkerTask): Promise<RunOutcome | CapacityOutcome | ReturnType<typeof move>> {
  workerState();
  if (task.kind === "capacity") return executeCapacity(task);
  const outcome = await executeRun(task);
  return move({ [transferableSymbol]: [outcome.values.buffer], [valueSymbol]: outcome } as never);
}
