/**
 * File-system failures while writing outputs, as one-line InputErrors: an unwritable, read-only or full
 * location is the user's to fix (another --output-dir, free space), not a bug, so it never shows a stack.
 *
 * @example
 * try { await write(); } catch (e) { throw outputFailure(e, "out/", { writtenBytes: 1e6 }); }
 */
import { statfsSync } from "node:fs";
import { dirname } from "node:path";
import { InputError, isInputError } from "../core/errors.js";

/** errno codes that describe the output location rather than a bug. */
const LOCATION_CODES: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a path component is a file, not a directory",
  EISDIR: "is a directory",
  EEXIST: "already exists",
  ENAMETOOLONG: "name too long",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
};

/** `1.5 MB`, `320 kB`, `12 B`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return "?";
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/** Free bytes for an unprivileged writer on the file system holding `path` (NaN when unknown). */
export function freeBytes(path: string): number {
  for (let p = path; ; p = dirname(p)) {
    try {
      const s = statfsSync(p);
      return s.bavail * s.bsize;
    } catch {
      if (dirname(p) === p) return Number.NaN;
    }
  }
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string") return code;
  // errors re-thrown from writer threads keep the code only in the message ("ENOSPC: no space left …")
  const m = /\b(E[A-Z]{3,12})\b/.exec(err instanceof Error ? err.message : String(err));
  return m ? m[1] : undefined;
}

/**
 * The InputError for a failed output write, or `err` itself when it is not about the location (a bug).
 * `writtenBytes` (bytes the run had written when the disk filled) makes the disk-full message say how much
 * more space the run needs at least.
 */
export function outputFailure(
  err: unknown,
  where: string,
  info: { writtenBytes?: number; neededBytes?: number; state?: string } = {},
): unknown {
  if (isInputError(err)) return err;
  const code = errnoCode(err);
  if (code === "ENOSPC" || code === "EDQUOT") {
    const free = freeBytes(where);
    const needed =
      info.neededBytes !== undefined
        ? `needs ${formatBytes(info.neededBytes)}`
        : `needs more than the ${formatBytes(info.writtenBytes ?? 0)} it had written when the device filled up`;
    return new InputError(
      `no space left on the device of ${where}: the output ${needed} (${formatBytes(free)} free); ` +
        `${info.state ?? "nothing was written"}; free some space or choose another --output-dir`,
    );
  }
  if (code && LOCATION_CODES[code]) {
    return new InputError(`cannot write ${where}: ${LOCATION_CODES[code]} (${code}); choose another --output-dir`);
  }
  return err;
}
