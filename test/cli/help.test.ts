import { test } from "uvu";
import * as assert from "uvu/assert";
import { OPTIONS } from "../../src/config/options.js";
import { runCli } from "../helpers/cli.js";

test("simulate --help explains every option, each flag on its own line with its description below", async () => {
  const r = await runCli("simulate", "--help");
  assert.is(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  for (const def of OPTIONS) {
    const at = lines.findIndex((l) => l.startsWith(`  --${def.name}`));
    assert.ok(at >= 0, `--${def.name} missing from --help`);
    assert.match(lines[at + 1], /^ {6}\S/, `--${def.name}: description not on the next line`);
    assert.ok(r.stdout.includes(def.help.split(" ").slice(0, 3).join(" ")), `--${def.name}: help text missing`);
  }
});

test.run();
