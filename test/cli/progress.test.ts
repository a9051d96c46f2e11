import { test } from "uvu";
import * as assert from "uvu/assert";
import { progressReporter } from "../../src/cli/progress.js";
import { progressBar } from "../../src/sweep/progress-bar.js";

/** A stream that claims to be a terminal of `columns` columns and records what is written. */
function fakeTerminal(columns: number): NodeJS.WriteStream & { text: string } {
  const s = { isTTY: true, columns, text: "", write: (chunk: string) => ((s.text += chunk), true) };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

test("progress on a terminal that reports 0 columns (script, docker -t) uses 80", () => {
  const term = fakeTerminal(0);
  const p = progressReporter("simulate", term);
  p.phase("simulating 100 requests");
  p.phase("writing");
  p.done();
  assert.match(term.text, /simulate: simulating 100 requests/);
  const bar = progressBar("sweep", 10, term);
  bar.update(10, 0);
  bar.done();
  assert.match(term.text, /10\/10 100%/);
});

test("progress lines are cut to the terminal's width", () => {
  const term = fakeTerminal(20);
  progressReporter("simulate", term).phase("a message far longer than twenty columns");
  const lines = term.text.split("\r").filter(Boolean);
  assert.ok(
    lines.every((l) => l.length <= 19),
    JSON.stringify(lines),
  );
});

test.run();
