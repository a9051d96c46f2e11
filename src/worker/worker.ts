/**
 * The piscina worker for sweeps and capacity searches. Each worker thread compiles the WASM engine once,
 * instantiates it once and reuses it (and its op-table/workload cache) for every task it receives. Sweep
 * results come back with their metric values in a transferred ArrayBuffer.
 */
import { move, transferableSymbol, valueSymbol } from "piscina";
import { executeCapacity, type CapacityOutcome, type CapacityTask } from "../capacity/execute.js";
import { executeRun, workerState, type RunOutcome, type RunTask } from "../sweep/execute.js";

export type WorkerTask = RunTask | CapacityTask;

export default async function handle(task: WorkerTask): Promise<RunOutcome | CapacityOutcome | ReturnType<typeof move>> {
  workerState();
  if (task.kind === "capacity") return executeCapacity(task);
  const outcome = await executeRun(task);
  return move({ [transferableSymbol]: [outcome.values.buffer], [valueSymbol]: outcome } as never);
}
