import { test } from "uvu";
import * as assert from "uvu/assert";
import * as abi from "../../assembly/abi.js";
import { InputError } from "../../src/core/errors.js";
import {
  checkEngineCapacity,
  checkInputReservation,
  maxEngineRequests,
  trapsAsCapacityErrors,
  WASM32_MAX_BYTES,
} from "../../src/scenario/engine-limits.js";
import { withUnsignedPointers } from "../../src/engine/wasm.js";
import { runCli } from "../helpers/cli.js";

test("the request limit follows the per-request state and leaves room for the rest", () => {
  // per request simulated the engine keeps only its inputs; in-flight state lives in a recycled ring
  assert.is(abi.REQUEST_STATE_BYTES, 16);
  assert.is(maxEngineRequests(true), Math.floor((WASM32_MAX_BYTES * 0.9) / 16));
  assert.ok(maxEngineRequests(false) >= maxEngineRequests(true));
  assert.not.throws(() => checkEngineCapacity(maxEngineRequests(true), true, "x"));
  assert.throws(
    () => checkEngineCapacity(maxEngineRequests(true) + 1, true, "x"),
    (e: Error) => e instanceof InputError,
  );
});

test("a request count beyond the engine's memory is refused before the workload is generated", async () => {
  const t0 = performance.now();
  const r = await runCli(
    "simulate",
    "--synthetic_request_generator_config_num_requests",
    "300000000",
    "--output-dir",
    "/nonexistent/never-created",
  );
  assert.is(r.code, 2);
  assert.is(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /300000000 requests exceed what one run can simulate \(241591910 with energy accounting/);
  // 300M requests would take minutes to generate: the check comes first (generous bound, not a speed test)
  assert.ok(performance.now() - t0 < 10_000);
});

test("a trap near the 4 GiB limit becomes an input error; elsewhere it stays a bug", () => {
  const trap = () => {
    throw new WebAssembly.RuntimeError("unreachable");
  };
  assert.throws(
    () => trapsAsCapacityErrors(() => 3.9 * 2 ** 30, 30_000_000, trap),
    (e: Error) => e instanceof InputError && /grown to 3\.9 GiB/.test(e.message),
  );
  assert.throws(
    () => trapsAsCapacityErrors(() => 200 * 2 ** 20, 1000, trap),
    (e: Error) => e instanceof WebAssembly.RuntimeError,
  );
  assert.is(
    trapsAsCapacityErrors(
      () => 0,
      1,
      () => 7,
    ),
    7,
  );
});

test("an input ring that cannot be reserved is refused with the numbers before the engine allocates it", () => {
  checkInputReservation(maxEngineRequests(false), abi.REQUEST_STATE_BYTES, 0);
  const bytes = abi.REQUEST_STATE_BYTES + 4; // random global scheduler
  const err = (() => {
    try {
      checkInputReservation(maxEngineRequests(false), bytes, 64 << 20);
    } catch (e) {
      return e as Error;
    }
  })();
  assert.ok(err instanceof InputError, "refused");
  assert.match(err.message, `${maxEngineRequests(false)} requests do not fit the engine's memory: their inputs take 20 bytes each`);
  assert.match(err.message, /split the workload/);
  assert.not.match(err.message, /\n/);
});

test("pointers past 2 GiB read as unsigned; other exports are untouched", () => {
  const e = withUnsignedPointers({ inputPtr: () => -8, run: () => -1, memory: "m" } as unknown as WebAssembly.Exports) as unknown as Record<
    string,
    unknown
  >;
  assert.is((e.inputPtr as () => number)(), 2 ** 32 - 8);
  assert.is((e.run as () => number)(), -1);
  assert.is(e.memory, "m");
});

test.run();
