/**
 * Faults the matrix cannot stage in-process: a full disk (a 2 MB tmpfs), another user without write access,
 * a read-only checkout, SIGKILL in the middle of a write, two writers at once, an interrupted commit.
 * Each checks the one-line error (exit 2) and that nothing partial or mixed is left. Cases that need root
 * (mount) or a `nobody` user are skipped with a message where those are not available.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { openOutput, verifyOutputManifest } from "../../src/output/transaction.js";
import { REPO_ROOT } from "../helpers/shared.js";
import { runCli } from "../helpers/cli.js";
import { assertOneLineError } from "./helpers.js";

const MAIN = join(REPO_ROOT, "dist", "src", "cli", "main.js");
const box = mkdtempSync(join(tmpdir(), "tokenwatt-faults-"));
chmodSync(box, 0o755);
const at = (...p: string[]): string => join(box, ...p);
const N = "--synthetic_request_generator_config_num_requests";
const SPEC = at("spec.yaml");
writeFileSync(
  SPEC,
  `base:\n  ${N.slice(2)}: 40\n  length_generator_config_type: fixed\n  fixed_request_length_generator_config_prefill_tokens: 256\n  fixed_request_length_generator_config_decode_tokens: 16\ngrid:\n  seed: [1, 2, 3, 4, 5, 6]\n`,
);
chmodSync(SPEC, 0o644);

interface Proc {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { cwd?: string; user?: string } = {}): Proc {
  const cmd = opts.user ? "runuser" : process.execPath;
  const argv = opts.user ? ["-u", opts.user, "--", process.execPath, MAIN, ...args] : [MAIN, ...args];
  const r = spawnSync(cmd, argv, { cwd: opts.cwd ?? box, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Files and directories under `dir` other than `keep` (names), recursively, hidden ones included. */
function leftovers(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

/** Mounts a tmpfs of `size` at a new directory, or returns undefined (with the reason) where mounting is not permitted. */
function tmpfs(name: string, size: string, extra = ""): { dir: string; umount(): void } | string {
  const dir = at(name);
  mkdirSync(dir);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}${extra ? `,${extra}` : ""}`, "tmpfs", dir], { encoding: "utf8" });
  if (r.status !== 0) return `mount -t tmpfs not permitted here (${(r.stderr || r.error?.message || "").trim().split("\n")[0]})`;
  return { dir, umount: () => void spawnSync("umount", ["-l", dir]) };
}

const canRunAs = (user: string): boolean =>
  process.getuid?.() === 0 && spawnSync("runuser", ["-u", user, "--", process.execPath, "-e", "0"]).status === 0;

function skip(name: string, why: string): void {
  console.error(`skipped "${name}": ${why}`);
  test.skip(name, () => undefined);
}

// ---- disk full ----
const full = tmpfs("full", "2m");
if (typeof full === "string") {
  skip("disk full: simulate, sweep, capacity and merge give one line and leave nothing partial", full);
} else {
  test("disk full: simulate, sweep, capacity and merge give one line and leave nothing partial", () => {
    try {
      const out = join(full.dir, "run");
      const small = cli(["simulate", N, "20", "--output-dir", out]);
      assert.is(small.code, 0, small.stderr);
      const earlier = verifyOutputManifest(out);
      const big = cli(["simulate", N, "20000", "--output-dir", out]);
      assertOneLineError(
        { code: big.code ?? -1, stdout: big.stdout, stderr: big.stderr },
        /no space left on the device of .*run: the output needs more than .* \(.* free\); nothing was written/,
        "simulate",
      );
      assert.equal(verifyOutputManifest(out).files, earlier.files, "the earlier run is intact");
      assert.equal(
        leftovers(full.dir).filter((f) => f.startsWith(".")),
        [],
        "no staging directory or lock left",
      );
      rmSync(out, { recursive: true });

      // a sweep: records are whole files, so --resume on a disk with room continues exactly
      const sw = join(full.dir, "sweep");
      writeFileSync(join(full.dir, "filler"), Buffer.alloc(1_900_000));
      const s = cli(["sweep", "--spec", SPEC, "--output-dir", sw, "--workers", "1", "--keep-runs"]);
      assertOneLineError(
        { code: s.code ?? -1, stdout: s.stdout, stderr: s.stderr },
        /no space left .*finished runs are kept; --resume continues/,
        "sweep",
      );
      for (const f of existsSync(join(sw, "records")) ? readdirSync(join(sw, "records")) : [])
        JSON.parse(readFileSync(join(sw, "records", f), "utf8"));
      rmSync(join(full.dir, "filler"));
      const resumed = cli(["sweep", "--spec", SPEC, "--output-dir", sw, "--workers", "1", "--keep-runs", "--resume"]);
      assert.is(resumed.code, 0, resumed.stderr);
      verifyOutputManifest(sw);

      // merge into a full disk: no merged directory at all
      const fs = statfsSync(full.dir);
      writeFileSync(join(full.dir, "filler"), Buffer.alloc(Math.max(0, fs.bavail * fs.bsize - 16 * 1024)));
      const merged = join(full.dir, "merged");
      const m = cli(["sweep", "merge", sw, "--output-dir", merged]);
      assertOneLineError({ code: m.code ?? -1, stdout: m.stdout, stderr: m.stderr }, /no space left .*merged/, "merge");
      assert.not.ok(existsSync(merged));
      assert.equal(
        leftovers(full.dir).filter((f) => f.startsWith(".")),
        [],
      );

      // capacity on a disk with one page left: one line, no lock or staging left, finished searches kept
      rmSync(join(full.dir, "filler"));
      const fs2 = statfsSync(full.dir);
      writeFileSync(join(full.dir, "filler"), Buffer.alloc(Math.max(0, fs2.bavail * fs2.bsize - 4096)));
      const capSpec = at("cap-full.yaml");
      writeFileSync(capSpec, `base:\n  ${N.slice(2)}: 30\n  poisson_request_interval_generator_config_qps: 4\ngrid:\n  seed: [1, 2, 3]\n`);
      const c = cli(["capacity", "--spec", capSpec, "--output-dir", join(full.dir, "cap"), "--workers", "1", "--max-iterations", "3"]);
      assertOneLineError({ code: c.code ?? -1, stdout: c.stdout, stderr: c.stderr }, /no space left on the device of .*cap/, "capacity");
      assert.equal(
        leftovers(full.dir).filter((f) => f.startsWith(".")),
        [],
      );
    } finally {
      full.umount();
    }
  });
}

// ---- another user, a read-only checkout ----
if (!canRunAs("nobody")) {
  skip("an unwritable output directory (as user nobody) is one line for every command", "needs root and a 'nobody' user (runuser)");
} else {
  test("an unwritable output directory (as user nobody) is one line for every command", () => {
    mkdirSync(at("root-only"), { mode: 0o755 });
    const cases: [string, string[]][] = [
      ["simulate", ["simulate", N, "20", "--output-dir", at("root-only", "out")]],
      ["sweep", ["sweep", "--spec", SPEC, "--output-dir", at("root-only", "sw"), "--workers", "1"]],
      ["capacity", ["capacity", "--spec", SPEC, "--output-dir", at("root-only", "cap"), "--workers", "1"]],
    ];
    for (const [name, args] of cases) {
      const r = cli(args, { user: "nobody" });
      assertOneLineError({ code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr }, /root-only.*EACCES/, name);
    }
    assert.equal(readdirSync(at("root-only")), []);
  });
}

const ro = tmpfs("ro", "1m", "ro");
if (typeof ro === "string") {
  skip("default simulate in a read-only checkout is one line (EROFS)", ro);
} else {
  test("default simulate in a read-only checkout is one line (EROFS)", () => {
    try {
      const r = cli(["simulate", N, "20"], { cwd: ro.dir });
      assertOneLineError(
        { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr },
        /simulator_output: read-only file system \(EROFS\); choose another --output-dir/,
        "EROFS",
      );
    } finally {
      ro.umount();
    }
  });
}

// ---- SIGKILL in the middle of a write, then the next run ----
test("SIGKILL while writing over an earlier run leaves the earlier run whole; the next run cleans up", async () => {
  const out = at("killed");
  assert.is(cli(["simulate", N, "20", "--output-dir", out]).code, 0);
  const earlier = verifyOutputManifest(out);
  const child = spawn(process.execPath, [MAIN, "simulate", N, "300000", "--output-dir", out], { cwd: box, stdio: "ignore" });
  // kill once the staging directory holds a file (the write has begun)
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      const staging = readdirSync(box).find((n) => n.startsWith(".killed.staging-"));
      if (staging && readdirSync(at(staging)).length > 0) {
        clearInterval(t);
        child.kill("SIGKILL");
        resolve();
      }
    }, 2);
    child.on("exit", () => {
      clearInterval(t);
      reject(new Error("the run finished before it could be killed"));
    });
  });
  await new Promise((r) => child.once("exit", r));
  assert.equal(verifyOutputManifest(out).files, earlier.files, "earlier run intact");
  assert.ok(
    readdirSync(box).some((n) => n.startsWith(".killed.staging-")),
    "the killed run left its staging directory",
  );
  const next = cli(["simulate", N, "20", "--formats", "csv", "--output-dir", out]);
  assert.is(next.code, 0, next.stderr);
  assert.match(next.stderr, /taking over the stale lock on .*killed \(process \d+ is gone\)/);
  assert.equal(
    readdirSync(box).filter((n) => n.startsWith(".killed.")),
    [],
    "leftovers removed",
  );
  const files = readdirSync(out).sort();
  assert.equal(
    files,
    ["config.json", "manifest.json", "request_metrics.csv", "requests.csv", "summary.json", "timeline.csv"],
    "only this run's files",
  );
  verifyOutputManifest(out);
});

test("a re-run without batch metrics or with fewer formats leaves none of the earlier run's files", async () => {
  const out = at("rerun");
  assert.is(
    (await runCli("simulate", N, "20", "--output-dir", out, "--metrics_config_keep_individual_batch_metrics", "--chrome-trace")).code,
    0,
  );
  assert.ok(existsSync(join(out, "batch_metrics.parquet")) && existsSync(join(out, "chrome_trace.json")));
  assert.is((await runCli("simulate", N, "20", "--output-dir", out, "--formats", "arrow")).code, 0);
  assert.equal(readdirSync(out).sort(), [
    "config.json",
    "manifest.json",
    "request_metrics.arrow",
    "requests.arrow",
    "summary.json",
    "timeline.arrow",
  ]);
});

test("a commit interrupted between its two renames: the next open restores the previous run", async () => {
  const out = at("half-swapped");
  const old = at(".half-swapped.old-999999999-abc");
  mkdirSync(old);
  writeFileSync(join(old, "summary.json"), "{}\n");
  mkdirSync(at(".half-swapped.staging-999999999-def"));
  const tx = await openOutput(out, { command: "test" });
  await tx.abort();
  assert.equal(readdirSync(out), ["summary.json"]);
  assert.equal(
    readdirSync(box).filter((n) => n.startsWith(".half-swapped")),
    [],
  );
});

test("two sweeps into one directory: the second is refused, naming the first; the first finishes", async () => {
  const out = at("two");
  // long enough (40 runs) that the first is still running when the second starts
  const spec = at("two.yaml");
  writeFileSync(spec, `base:\n  ${N.slice(2)}: 200\ngrid:\n  seed: [${[...Array(40).keys()].join(", ")}]\n`);
  const first = spawn(process.execPath, [MAIN, "sweep", "--spec", spec, "--output-dir", out, "--workers", "1"], {
    cwd: box,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let firstOut = "";
  first.stdout.on("data", (d) => (firstOut += d));
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (existsSync(at(".two.tokenwatt-lock"))) {
        clearInterval(t);
        resolve();
      }
    }, 5);
  });
  const second = cli(["sweep", "--spec", spec, "--output-dir", out, "--workers", "1", "--resume"]);
  assertOneLineError(
    { code: second.code ?? -1, stdout: second.stdout, stderr: second.stderr },
    new RegExp(`is being written by process ${first.pid} .*tokenwatt sweep`),
    "second sweep",
  );
  const code = await new Promise((r) => first.once("exit", r));
  assert.is(code, 0);
  assert.match(firstOut, /40 ran, 0 failed/);
});

test("capacity --resume after SIGKILL searches only the configurations without a result, and matches a clean run", async () => {
  const spec = at("cap.yaml");
  writeFileSync(
    spec,
    `base:\n  ${N.slice(2)}: 60\n  length_generator_config_type: fixed\n  fixed_request_length_generator_config_prefill_tokens: 256\n  fixed_request_length_generator_config_decode_tokens: 16\n  poisson_request_interval_generator_config_qps: 4\ngrid:\n  seed: [1, 2, 3, 4]\n`,
  );
  const args = (out: string) => ["capacity", "--spec", spec, "--output-dir", out, "--workers", "1", "--max-iterations", "6"];
  const clean = cli(args(at("cap-clean")));
  assert.is(clean.code, 0, clean.stderr);
  const out = at("cap-killed");
  const child = spawn(process.execPath, [MAIN, ...args(out)], { cwd: box, stdio: "ignore" });
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      const rec = join(out, "records");
      if (existsSync(rec) && readdirSync(rec).filter((f) => f.endsWith(".json") && !f.startsWith(".")).length >= 1) {
        clearInterval(t);
        child.kill("SIGKILL");
        resolve();
      }
    }, 2);
    child.on("exit", () => {
      clearInterval(t);
      reject(new Error("capacity finished before it could be killed"));
    });
  });
  await new Promise((r) => child.once("exit", r));
  const again = cli(args(out));
  assertOneLineError(
    {
      code: again.code ?? -1,
      stdout: again.stdout,
      stderr: again.stderr
        .split("\n")
        .filter((l) => !/taking over/.test(l))
        .join("\n"),
    },
    /pass --resume/,
    "without --resume",
  );
  const resumed = cli([...args(out), "--resume"]);
  assert.is(resumed.code, 0, resumed.stderr);
  const rows = (dir: string) =>
    (
      JSON.parse(readFileSync(join(dir, "capacity.json"), "utf8")) as { configurations: { run_id: string; max_qps: number }[] }
    ).configurations.map((c) => [c.run_id, c.max_qps]);
  assert.equal(rows(out), rows(at("cap-clean")));
  verifyOutputManifest(out);
});

test.run();
