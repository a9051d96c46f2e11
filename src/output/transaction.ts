/**
 * One run = one transaction on its output directory. `openOutput(target)` takes the target's lock, removes
 * the leftovers of interrupted runs and returns a staging directory beside the target; the command writes
 * every file there; `commit()` fsyncs them, writes `manifest.json` (files, sizes, SHA-256, config hash,
 * tokenwatt version) and swaps the staging directory in with two renames, then removes the old directory.
 * Readers therefore see the previous run or the new one, never a mix, and files of an earlier run never
 * survive next to a new one. `abort()` (or a crash) leaves the target as it was.
 *
 * Layout beside `out/` (same file system, so renames are atomic):
 *   .out.tokenwatt-lock            the lock (src/output/lock.ts)
 *   .out.staging-<pid>-<rand>/     the run being written
 *   .out.old-<pid>-<rand>/         the previous run, between the two renames of a commit
 *
 * @example
 * const tx = await openOutput("out", { command: "simulate" });
 * try {
 *   await writeJson(summary, tx.file("summary.json"));
 *   await tx.commit({ configHash });
 * } catch (e) { await tx.abort(); throw e; }
 */
import { createHash } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { InputError } from "../core/errors.js";
import { TOKENWATT_VERSION } from "../core/version.js";
import { ensureDir } from "./atomic.js";
import { takeDigest } from "./digests.js";
import { outputFailure } from "./fs-errors.js";
import { acquireLock, onInterrupt, type OutputLock } from "./lock.js";

export const OUTPUT_MANIFEST = "manifest.json";
export const OUTPUT_MANIFEST_FORMAT = "tokenwatt-output/1";

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface OutputManifest {
  format: string;
  command: string;
  tokenwatt_version: string;
  /** SHA-256 of the resolved configuration (or null when the command has none). */
  config_hash: string | null;
  created_at: string;
  files: ManifestFile[];
}

export interface OutputTransaction {
  /** The directory the outputs will have when committed. */
  readonly target: string;
  /** Where to write now (a fresh, empty directory beside the target). */
  readonly dir: string;
  /** `join(dir, name)`. */
  file(name: string): string;
  /** Bytes in the staging directory so far (for the disk-full message). */
  stagedBytes(): number;
  /** fsync, manifest, swap in, remove the old run, release the lock. */
  commit(meta?: { configHash?: string | null }): Promise<OutputManifest>;
  /** Removes the staging directory and releases the lock; the target is untouched. Never throws. */
  abort(): Promise<void>;
}

export interface OpenOutputOptions {
  /** Command name for the manifest and lock ("simulate", "capacity", "sweep merge", …). */
  command: string;
  /**
   * File names (or patterns) a previous tokenwatt run of this command may have left in the target without a
   * manifest; a target holding anything else is refused instead of replaced (it may be the user's).
   */
  knownOutputs?: RegExp;
}

const lockName = (target: string): string => join(dirname(target), `.${basename(target)}.tokenwatt-lock`);
const leftoverPattern = (target: string): RegExp =>
  new RegExp(`^\\.${basename(target).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(staging|old)-\\d+-[a-z0-9]+$`);

/**
 * The lock and leftover handling shared by every writer of `target`: takes the lock, restores the previous
 * run when a commit was interrupted between its two renames, removes staging directories of dead runs.
 */
function lockAndRecover(target: string, command: string): OutputLock {
  const lock = acquireLock(lockName(target), target, `tokenwatt ${command}`);
  try {
    const parent = dirname(target);
    const leftovers = readdirSync(parent).filter((n) => leftoverPattern(target).test(n));
    let targetExists = true;
    try {
      statSync(target);
    } catch {
      targetExists = false;
    }
    for (const name of leftovers) {
      const path = join(parent, name);
      if (!targetExists && name.includes(".old-")) {
        renameSync(path, target); // killed between the two renames of a commit: the previous run comes back
        targetExists = true;
      } else {
        rmSync(path, { recursive: true, force: true });
      }
    }
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** Refuses a target that is a file, or a directory holding files no tokenwatt run wrote. */
function checkTarget(target: string, known: RegExp | undefined): void {
  let st: Stats;
  try {
    st = statSync(target);
  } catch {
    return; // does not exist yet
  }
  if (!st.isDirectory()) throw new InputError(`--output-dir ${target} is an existing file, not a directory; choose another path`);
  const names = readdirSync(target);
  if (names.length === 0 || names.includes(OUTPUT_MANIFEST)) return;
  const foreign = names.filter((n) => !(known?.test(n) ?? false));
  if (foreign.length > 0) {
    throw new InputError(
      `--output-dir ${target} holds files tokenwatt did not write (e.g. ${foreign[0]}); a run replaces its whole output directory, ` +
        `so choose a new or empty directory`,
    );
  }
}

/** SHA-256 of a file, read in 4 MiB pieces (outputs can be large). */
function hashFile(path: string): { bytes: number; sha256: string } {
  const h = createHash("sha256");
  const fd = openSync(path, "r");
  const buf = Buffer.allocUnsafe(1 << 22);
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      bytes += n;
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: h.digest("hex") };
}

/** Every regular file under `dir`, relative paths with "/" separators, sorted. */
function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue; // locks, temp files, staging directories: not outputs
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems refuse fsync on directories; the renames are still atomic
  }
}

/** Bytes of the regular files under `dir` (0 when it is gone). */
function bytesUnder(dir: string): number {
  let n = 0;
  try {
    for (const f of listFiles(dir)) n += statSync(join(dir, f)).size;
  } catch {
    // staging removed meanwhile
  }
  return n;
}

/**
 * Writes the manifest of the files in `dir` (every file except the manifest itself) and returns it.
 * Also fsyncs each file, so a manifest on disk always describes durable files.
 */
export function writeOutputManifest(dir: string, command: string, configHash: string | null): OutputManifest {
  const files = listFiles(dir)
    .filter((f) => f !== OUTPUT_MANIFEST && !/(^|\/)\.[^/]*\.tmp-/.test(f))
    .map((path) => {
      const full = join(dir, path);
      // written by an atomic writer (already fsynced and hashed as written): no second read
      const known = takeDigest(full);
      return { path, ...(known && known.bytes === statSync(full).size ? known : hashFile(full)) };
    });
  const manifest: OutputManifest = {
    format: OUTPUT_MANIFEST_FORMAT,
    command,
    tokenwatt_version: TOKENWATT_VERSION,
    config_hash: configHash,
    created_at: new Date().toISOString(),
    files,
  };
  const tmp = join(dir, `.${OUTPUT_MANIFEST}.tmp-${process.pid}`);
  const fd = openSync(tmp, "w", 0o644);
  try {
    const text = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    let off = 0;
    while (off < text.length) off += writeSync(fd, text, off, text.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, OUTPUT_MANIFEST));
  fsyncDir(dir);
  return manifest;
}

/** Reads and checks `dir/manifest.json`: every listed file present with its size and hash. */
export function verifyOutputManifest(dir: string): OutputManifest {
  const path = join(dir, OUTPUT_MANIFEST);
  const m = JSON.parse(readFileSync(path, "utf8")) as OutputManifest;
  for (const f of m.files) {
    const got = hashFile(join(dir, f.path));
    if (got.bytes !== f.bytes || got.sha256 !== f.sha256) throw new Error(`${join(dir, f.path)} does not match ${path}`);
  }
  return m;
}

/**
 * Opens a transaction on `targetDir`: checks the location (one-line InputErrors for a file in the way, an
 * unwritable or read-only parent), takes the lock, cleans up after interrupted runs, creates the staging
 * directory. Call before the expensive work, so a bad location fails at once.
 */
export async function openOutput(targetDir: string, opts: OpenOutputOptions): Promise<OutputTransaction> {
  const target = resolve(targetDir);
  const parent = dirname(target);
  let lock: OutputLock | undefined;
  let staging = "";
  // parents this call creates are removed again when the run fails, so a failed run changes nothing
  let createdParents: string[] = [];
  const removeCreatedParents = (): void => {
    for (const d of [...createdParents].reverse()) {
      try {
        rmdirSync(d);
      } catch {
        break; // not empty (someone else wrote there) or already gone
      }
    }
  };
  try {
    createdParents = await ensureDir(parent);
  } catch (e) {
    removeCreatedParents();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOSPC" || code === "EDQUOT") throw outputFailure(e, target);
    if (!code) throw e;
    throw new InputError(
      `cannot create the output directory ${target}: ${code} (${(e as Error).message.split("\n")[0].replace(/^E[A-Z]+: /, "")}); choose another --output-dir`,
    );
  }
  try {
    checkTarget(target, opts.knownOutputs);
    lock = lockAndRecover(target, opts.command);
    staging = join(parent, `.${basename(target)}.staging-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    await ensureDir(staging);
  } catch (e) {
    lock?.release();
    if (staging) rmSync(staging, { recursive: true, force: true });
    removeCreatedParents();
    throw outputFailure(e, target);
  }
  let finished = false;
  // interrupted (Ctrl-C, SIGTERM): the staging directory goes with the lock; the target stays as it was
  const forget = onInterrupt(() => rmSync(staging, { recursive: true, force: true }));
  const tx: OutputTransaction = {
    target,
    dir: staging,
    file: (name) => join(staging, name),
    stagedBytes: () => bytesUnder(staging),
    async commit(meta = {}) {
      if (finished) throw new Error(`output transaction on ${target} already finished`);
      let manifest: OutputManifest;
      try {
        manifest = writeOutputManifest(staging, opts.command, meta.configHash ?? null);
        const old = join(parent, `.${basename(target)}.old-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
        let hadOld = true;
        try {
          renameSync(target, old);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
          hadOld = false;
        }
        renameSync(staging, target);
        fsyncDir(parent);
        if (hadOld) rmSync(old, { recursive: true, force: true });
      } catch (e) {
        const written = bytesUnder(staging);
        await tx.abort();
        throw outputFailure(e, target, { writtenBytes: written });
      }
      finished = true;
      forget();
      lock!.release();
      return manifest;
    },
    async abort() {
      if (finished) return;
      finished = true;
      forget();
      try {
        rmSync(staging, { recursive: true, force: true });
      } catch {
        // best effort: the next run removes it
      }
      lock!.release();
      removeCreatedParents();
    },
  };
  return tx;
}

/**
 * Runs `write(tx)` in a transaction on `targetDir` and commits it; on any failure the staging directory is
 * removed, the target is left as it was, and file-system problems become one-line InputErrors.
 *
 * @example
 * await writeOutputTransaction("out", { command: "report" }, async (tx) => writeJson(r, tx.file("r.json")));
 */
export async function writeOutputTransaction(
  targetDir: string,
  opts: OpenOutputOptions & { configHash?: string | null },
  write: (tx: OutputTransaction) => Promise<void>,
): Promise<OutputManifest> {
  const tx = await openOutput(targetDir, opts);
  return finishOutput(tx, write, opts.configHash ?? null);
}

/** `write(tx)` then commit, or abort with the disk-full / location error mapped. */
export async function finishOutput(
  tx: OutputTransaction,
  write: (tx: OutputTransaction) => Promise<void>,
  configHash: string | null,
): Promise<OutputManifest> {
  try {
    await write(tx);
  } catch (e) {
    const written = tx.stagedBytes();
    await tx.abort();
    throw outputFailure(e, tx.target, { writtenBytes: written });
  }
  return tx.commit({ configHash });
}

/** Paths of a manifest's files, relative to the target (for messages and reports). */
export function manifestPaths(m: OutputManifest, target: string): string[] {
  return [...m.files.map((f) => join(target, f.path)), join(target, OUTPUT_MANIFEST)].map((p) => relative(process.cwd(), p) || p);
}

/** An output directory written incrementally (sweep, capacity): locked, but its files persist one by one. */
export interface IncrementalOutput {
  readonly dir: string;
  /** Whether this call created the directory (a run that fails before writing anything removes it again). */
  readonly created: boolean;
  /** Releases the lock; with `failedEmpty`, removes the directory when this call created it. Never throws. */
  release(failedEmpty?: boolean): void;
}

const TEMP_FILE = /^\..*\.tmp-\d+-[a-z0-9]+$|^\.manifest\.json\.tmp-\d+$/;

/** Removes temp files of interrupted atomic writes in `dir` and its direct subdirectories (lock held). */
function removeStaleTempFiles(dir: string, depth = 1): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && TEMP_FILE.test(e.name)) rmSync(join(dir, e.name), { force: true });
    else if (e.isDirectory() && depth > 0 && !e.name.startsWith(".")) removeStaleTempFiles(join(dir, e.name), depth - 1);
  }
}

/**
 * Locks `targetDir` for a command that persists results one file at a time so it can resume (sweep,
 * capacity): checks the location, takes the lock (refusing a live writer, taking over a dead one's), creates
 * the directory and removes temp files interrupted writes left behind.
 */
export async function openIncrementalOutput(targetDir: string, command: string): Promise<IncrementalOutput> {
  const target = resolve(targetDir);
  let created: string[] = [];
  let lock: OutputLock | undefined;
  try {
    created = await ensureDir(dirname(target));
    checkTarget(target, /./);
    lock = lockAndRecover(target, command);
    created.push(...(await ensureDir(target)));
    removeStaleTempFiles(target);
  } catch (e) {
    lock?.release();
    for (const d of created.reverse()) rmSync(d, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code && code !== "ENOSPC" && code !== "EDQUOT" && !isInputErrorLike(e)) {
      throw new InputError(
        `cannot create the output directory ${target}: ${code} (${(e as Error).message.split("\n")[0].replace(/^E[A-Z]+: /, "")}); choose another --output-dir`,
      );
    }
    throw outputFailure(e, target);
  }
  let released = false;
  return {
    dir: target,
    created: created.length > 0,
    release(failedEmpty = false) {
      if (released) return;
      released = true;
      lock!.release();
      if (failedEmpty) for (const d of created.reverse()) rmSync(d, { recursive: true, force: true });
    },
  };
}

const isInputErrorLike = (e: unknown): boolean => e instanceof InputError;
