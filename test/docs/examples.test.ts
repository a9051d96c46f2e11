/** examples/ holds what examples/generate.ts produces (regenerate with `node --import tsx examples/generate.ts`). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { carbonTraceCsv, exampleOpTables, opTableCsvs, traceCsv } from "../../examples/generate.js";
import { readVidurOpTables } from "../../src/predictor/vidur-op-tables.js";
import { REPO_ROOT } from "../helpers/shared.js";

const ex = (...p: string[]) => join(REPO_ROOT, "examples", ...p);

test("trace.csv and carbon-trace.csv are current", () => {
  assert.is(readFileSync(ex("trace.csv"), "utf8"), traceCsv());
  assert.is(readFileSync(ex("carbon-trace.csv"), "utf8"), carbonTraceCsv());
});

test("op-tables/ are the roofline's current tables, and read back to the same values", () => {
  const t = exampleOpTables();
  for (const [op, text] of Object.entries(opTableCsvs(t))) assert.is(readFileSync(ex("op-tables", `${op}.csv`), "utf8"), text, op);
  const back = readVidurOpTables(ex("op-tables"), { tp: 1, pp: 1 });
  assert.is(back.maxTokens, 512);
  assert.equal(Array.from(back.attnPrefill), Array.from(t.attnPrefill));
  assert.equal(Array.from(back.tokenOps.mlp_up_proj!), Array.from(t.tokenOps.mlp_up_proj!));
});

test.run();
