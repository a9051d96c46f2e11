/**
 * The formatter and linter (Biome, biome.json) hold for the whole tree: `npm run format` fixes what it can,
 * this test fails on anything left, with Biome's own report.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../helpers/shared.js";

test("biome check passes (format and lint)", () => {
  const biome = join(REPO_ROOT, "node_modules", ".bin", "biome");
  const r = spawnSync(biome, ["check", "--max-diagnostics=20", "--colors=off", "."], { cwd: REPO_ROOT, encoding: "utf8" });
  assert.is(r.status, 0, `biome check failed (run npm run format):\n${(r.stdout + r.stderr).slice(0, 6000)}`);
});

test.run();
