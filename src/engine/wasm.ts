/**
 * Loads the compiled engine (build/engine.wasm). The module is compiled once per process (or worker) and
 * instantiated once per Engine; an instance is reused across simulations (each run resets its heap).
 */
import { readBuildFile } from "../profiles/repo-root.js";

/** The engine's exports (see assembly/index.ts). Pointers are byte offsets into `memory`. */
export interface EngineExports {
  memory: WebAssembly.Memory;
  configPtr(): number;
  prepare(): number;
  inputPtr(column: number): number;
  opTablePtr(op: number, len: number): number;
  run(): number;
  errorArg(i: number): number;
  makespan(): number;
  counter(i: number): number;
  requestF64Ptr(field: number): number;
  requestI32Ptr(field: number): number;
  batchCount(): number;
  batchI32Ptr(field: number): number;
  batchF64Ptr(field: number): number;
  stageCount(): number;
  stageI32Ptr(field: number): number;
  stageF64Ptr(field: number): number;
  sortTbtRuns(): void;
  tbtRunCount(): number;
  tbtValuesPtr(): number;
  tbtCountsPtr(): number;
  metersPtr(): number;
  ciTablePtr(n: number, end: number): number;
  energyRequestPtr(): number;
  energyBatchPtr(field: number): number;
  energyBatchCount(): number;
  energyStagePtr(field: number): number;
  energyStageCount(): number;
  energyReplicaPtr(): number;
  timelineLength(r: number): number;
  timelinePtr(r: number, kind: number): number;
  energyPeakPower(): number;
  energyEnd(): number;
  cumCi(t: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled engine module (cached). */
export function engineModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readBuildFile("engine.wasm"));
  return compiled;
}

/** A fresh instance of the engine. */
export function instantiateEngine(): EngineExports {
  const instance = new WebAssembly.Instance(engineModule(), {
    env: {
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`tokenwatt engine aborted at assembly line ${line}:${column}`);
      },
      seed: () => 42,
    },
  });
  return withUnsignedPointers(instance.exports);
}

/**
 * WASM returns a `usize` pointer as an i32, which JS reads as negative once the engine's memory passes 2 GiB
 * (about 17M requests): every `…Ptr` export is wrapped to read its result as unsigned.
 */
export function withUnsignedPointers(exports: WebAssembly.Exports): EngineExports {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (typeof value === "function" && name.endsWith("Ptr")) {
      const f = value as (...args: number[]) => number;
      wrapped[name] = (...args: number[]) => f(...args) >>> 0;
    } else wrapped[name] = value;
  }
  return wrapped as unknown as EngineExports;
}
