import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureDir, tempPathFor, writeFileAtomic, writeStreamAtomic } from "../../src/output/atomic.js";
import { leftoverTemps, tempDir } from "./helpers.js";

test("writeFileAtomic writes the data and leaves no temp file", async () => {
  const dir = tempDir();
  await writeFileAtomic(join(dir, "a.txt"), "hello");
  assert.is(readFileSync(join(dir, "a.txt"), "utf8"), "hello");
  assert.equal(readdirSync(dir), ["a.txt"]);
});

test("an existing file is replaced whole, not overwritten in place", async () => {
  const dir = tempDir();
  const path = join(dir, "a.txt");
  writeFileSync(path, "x".repeat(10_000));
  await writeFileAtomic(path, Uint8Array.of(65, 66));
  assert.is(readFileSync(path, "utf8"), "AB");
  assert.is(statSync(path).size, 2);
});

test("a throwing producer removes the temp file and keeps the old file", async () => {
  const dir = tempDir();
  const path = join(dir, "a.csv");
  writeFileSync(path, "old");
  let sawTemp = false;
  try {
    await writeStreamAtomic(path, (out) => {
      out.write("new partial data");
      sawTemp = leftoverTemps(dir).length === 1;
      throw new Error("boom");
    });
    assert.unreachable("should throw");
  } catch (e) {
    assert.is((e as Error).message, "boom");
  }
  assert.ok(sawTemp, "data went to a temp file while writing");
  assert.equal(leftoverTemps(dir), []);
  assert.is(readFileSync(path, "utf8"), "old");
});

test("a failed write of a new file leaves nothing behind", async () => {
  const dir = tempDir();
  await writeStreamAtomic(join(dir, "b.csv"), async () => {
    throw new Error("late");
  }).catch(() => undefined);
  assert.equal(readdirSync(dir), []);
});

test("streamed chunks arrive in order and bytesWritten counts UTF-8 bytes", async () => {
  const dir = tempDir();
  let count = 0;
  await writeStreamAtomic(join(dir, "s.txt"), (out) => {
    out.write("é,");
    out.write(Uint8Array.of(49, 10));
    count = out.bytesWritten;
  });
  assert.is(readFileSync(join(dir, "s.txt"), "utf8"), "é,1\n");
  assert.is(count, 5);
});

test("missing parent directories are created; ensureDir is idempotent", async () => {
  const dir = tempDir();
  const path = join(dir, "x", "y", "z.json");
  await writeFileAtomic(path, "{}");
  assert.ok(existsSync(path));
  await ensureDir(join(dir, "x", "y"));
  assert.ok(existsSync(path));
});

test("the temp path is a hidden sibling that names the target", () => {
  const p = tempPathFor("/out/run/a.csv");
  assert.match(p, /^\/out\/run\/\.a\.csv\.tmp-\d+-[a-z0-9]+$/);
  assert.is.not(p, tempPathFor("/out/run/a.csv"));
});

test.run();
