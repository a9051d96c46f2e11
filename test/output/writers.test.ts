import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../src/core/errors.js";
import { column } from "../../src/tables/table.js";
import { WRITERS, writerFor } from "../../src/output/writers.js";
import { leftoverTemps, tempDir } from "./helpers.js";

test("the registry offers csv, arrow, parquet and json with their extensions", () => {
  const ext = Object.fromEntries(Object.values(WRITERS).map((w) => [w.format, w.extension]));
  assert.equal(ext, { csv: ".csv", arrow: ".arrow", parquet: ".parquet", json: ".json" });
});

test("writerFor is case-insensitive and rejects unknown formats with an InputError", () => {
  assert.is(writerFor("CSV"), WRITERS.csv);
  assert.throws(
    () => writerFor("xlsx"),
    (e: unknown) => e instanceof InputError && /allowed: csv, arrow, parquet, json/.test(e.message),
  );
  assert.throws(
    () => writerFor("toString"),
    (e: unknown) => e instanceof InputError,
  );
});

test("every registered writer writes a file with its extension and no temp leftovers", async () => {
  const dir = tempDir();
  const table = {
    name: "t",
    columns: [column("Request Id", "i32", Int32Array.of(1, 2)), column("x", "f64", Float64Array.of(0.5, NaN), true)],
  };
  for (const w of Object.values(WRITERS)) {
    const path = join(dir, `t${w.extension}`);
    await w.write(table, path);
    assert.ok(existsSync(path), w.format);
  }
  assert.equal(leftoverTemps(dir), []);
});

test("writers refuse an invalid table before touching the disk", async () => {
  const dir = tempDir();
  const bad = { name: "bad", columns: [column("a", "f64", new Float64Array(2)), column("b", "f64", new Float64Array(1))] };
  for (const w of Object.values(WRITERS)) {
    try {
      await w.write(bad, join(dir, `bad${w.extension}`));
      assert.unreachable(w.format);
    } catch (e) {
      assert.instance(e, RangeError, w.format);
    }
  }
  assert.equal(leftoverTemps(dir), []);
});

test.run();
