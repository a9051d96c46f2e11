/**
 * Output locks: one process writes an output location at a time. A lock is a small JSON file (pid, host,
 * command, start time) created with O_EXCL, so two processes can never both hold it. A lock whose process is
 * gone (same host, pid not alive) is stale and taken over with a notice; a lock from another host is stale
 * once its heartbeat (the file's mtime, refreshed every HEARTBEAT_MS by its holder) is older than
 * STALE_REMOTE_MS, so a requeued cluster task on another node can resume a shard.
 *
 * @example
 * const lock = acquireLock("out/.tokenwatt.lock", "out", "tokenwatt sweep");
 * try { ... } finally { lock.release(); }
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { InputError } from "../core/errors.js";

export interface OutputLock {
  readonly path: string;
  /** Removes the lock file (idempotent; never throws). */
  release(): void;
}

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  started: string;
}

const HEARTBEAT_MS = 30_000;
const STALE_REMOTE_MS = 5 * 60_000;

/** Locks held by this process: released on exit so a normal `process.exit` never leaves one behind. */
const held = new Set<string>();
let exitHook = false;
/** Clean-ups (staging directories) run on exit and on SIGINT / SIGTERM / SIGHUP, before the locks go. */
const cleanups = new Set<() => void>();

/** Registers `fn` to run if the process exits or is interrupted; returns its unregister function. */
export function onInterrupt(fn: () => void): () => void {
  cleanups.add(fn);
  installExitHook();
  return () => cleanups.delete(fn);
}

function runCleanups(): void {
  for (const fn of cleanups) {
    try {
      fn();
    } catch {
      // best effort while exiting; the next run removes what is left
    }
  }
  cleanups.clear();
  for (const p of held) rmSync(p, { force: true });
  held.clear();
}

function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.on("exit", runCleanups);
  // Ctrl-C or a scheduler's SIGTERM: leave no lock or staging directory, then die of the same signal
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
      runCleanups();
      process.kill(process.pid, sig);
    });
  }
}

/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path, "utf8")) as LockInfo;
    return typeof info.pid === "number" ? info : undefined;
  } catch {
    return undefined; // unreadable or half-written (its writer died between open and write): stale
  }
}

/** Why an existing lock is stale, or undefined when its holder may still be writing. */
function staleness(path: string, info: LockInfo | undefined): string | undefined {
  if (!info) return "an unreadable lock file";
  if (info.pid === process.pid && info.host === hostname() && !held.has(path)) return `a lock left by this process`;
  if (info.host === hostname()) return processAlive(info.pid) ? undefined : `process ${info.pid} is gone`;
  let age = 0;
  try {
    age = Date.now() - statSync(path).mtimeMs;
  } catch {
    return "a vanished lock";
  }
  return age > STALE_REMOTE_MS ? `no heartbeat from ${info.host} for ${Math.round(age / 1000)} s` : undefined;
}

/**
 * Takes the lock at `lockPath` for writing `what` (named in messages). Throws an InputError naming the
 * holder when another live process has it; takes a stale lock over, printing one notice line on stderr.
 */
export function acquireLock(lockPath: string, what: string, command: string): OutputLock {
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockPath, "wx", 0o644);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw e;
      const info = readLock(lockPath);
      const why = staleness(lockPath, info);
      if (!why) {
        throw new InputError(
          `${what} is being written by process ${info!.pid} on ${info!.host} (${info!.command}, since ${info!.started}); ` +
            `wait for it to finish or choose another directory (lock: ${lockPath})`,
        );
      }
      process.stderr.write(`tokenwatt: taking over the stale lock on ${what} (${why})\n`);
      rmSync(lockPath, { force: true });
      continue;
    }
    const info: LockInfo = { pid: process.pid, host: hostname(), command, started: new Date().toISOString() };
    try {
      writeSync(fd, `${JSON.stringify(info)}\n`);
    } catch (e) {
      closeSync(fd);
      rmSync(lockPath, { force: true }); // e.g. a full disk: leave no empty lock behind
      throw e;
    }
    closeSync(fd);
    held.add(lockPath);
    installExitHook();
    const beat = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(lockPath, now, now);
      } catch {
        // the directory went away; the writer will fail on its own
      }
    }, HEARTBEAT_MS);
    beat.unref();
    let released = false;
    return {
      path: lockPath,
      release() {
        if (released) return;
        released = true;
        clearInterval(beat);
        held.delete(lockPath);
        rmSync(lockPath, { force: true });
      },
    };
  }
  throw new InputError(`${what}: could not take the lock ${lockPath} (other processes keep replacing it)`);
}
