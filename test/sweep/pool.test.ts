// The sweep pool's workers start whatever flags the user gave node: flags Node refuses in a worker's execArgv
// (V8 options, process-wide ones) are named by Node's error and left out, with their values.
import { Worker } from "node:worker_threads";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { refusedWorkerFlags, withoutFlags } from "../../src/sweep/pool.js";

test("Node's refusal names the flags a worker may not take", () => {
  let error: unknown;
  try {
    new Worker("0", { eval: true, execArgv: ["--max-old-space-size=2048", "--enable-source-maps", "--stack-size=2000"] });
  } catch (e) {
    error = e;
  }
  assert.equal(refusedWorkerFlags(error), ["--max-old-space-size=2048", "--stack-size=2000"]);
  assert.is(refusedWorkerFlags(new Error("something else")), undefined);
  assert.is(refusedWorkerFlags(undefined), undefined);
});

test("refused flags are removed with their values; every other flag stays in order", () => {
  const argv = ["--max-old-space-size=4096", "--import", "./x.mjs", "--title", "tw", "--enable-source-maps", "--no-warnings"];
  assert.equal(withoutFlags(argv, ["--max-old-space-size=4096", "--title"]), [
    "--import",
    "./x.mjs",
    "--enable-source-maps",
    "--no-warnings",
  ]);
  assert.equal(withoutFlags(argv, []), argv);
});

test.run();
