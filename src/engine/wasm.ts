/**
 * Loads the compiled engine (build/engine.wasm). The module is compiled once per process (or worker) and
 * instantiated once per Engine; an instance is reused across simulations (each run resets its heap).
 */
import { readBuildFile } from "../core/repo-root.js";

/**
 * The engine's exports (assembly/index.ts), typed from the build: asc writes build/engine.d.ts (`bindings: raw`
 * in asconfig.json), so a changed export signature fails the type check instead of drifting from a hand-kept
 * mirror. Pointers are byte offsets into `memory`, read as unsigned (withUnsignedPointers).
 */
export type EngineExports = Awaited<ReturnType<typeof import("../../build/engine.js").instantiate>>;

let compiled: WebAssembly.Module | undefined;

/** The compiled engine module (cached). */
export function engineModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readBuildFile("engine.wasm"));
  return compiled;
}

/**
 * Adopts a module compiled elsewhere: a pool's workers receive the parent's (a WebAssembly.Module crosses
 * threads without recompiling, and V8 shares its optimised code between them), so no thread compiles its own.
 */
export function adoptEngineModule(module: WebAssembly.Module): void {
  compiled = module;
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
