/**
 * Crash-safe file output: everything is written to a temporary file in the target's directory, fsynced and
 * then renamed over the target, so readers (and a crashed run) only ever see the old file or the whole new one.
 */
import { closeSync, fsync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { createHash } from "node:crypto";
import { recordDigest } from "./digests.js";

/** Sink handed to `writeStreamAtomic`'s producer. Each `write` is one synchronous fs call: batch your chunks. */
export interface AtomicSink {
  write(chunk: Uint8Array | string): void;
  /** Bytes written so far. */
  readonly bytesWritten: number;
}

/**
 * `mkdir -p`; returns the directories it created, outermost first.
 *
 * @example
 * await ensureDir("out/run-1/plots");
 */
export async function ensureDir(dir: string): Promise<string[]> {
  // Not mkdir(dir, { recursive: true }): on Node 20 that never returns for some unwritable parents (for
  // example under /proc). Creating one level at a time fails fast with the real error instead.
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    try {
      if ((await stat(at)).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${at}'`), { code: "ENOTDIR", path: at });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    missing.push(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const created: string[] = [];
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
      created.push(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err; // created meanwhile: fine
    }
  }
  return created;
}

/** Temp name in the same directory (same filesystem, so rename is atomic); hidden and unique per process+call. */
export function tempPathFor(path: string): string {
  const rand = Math.random().toString(36).slice(2, 10);
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${rand}`);
}

/** A temp file that becomes `path` on commit() (fsync + rename) or disappears on abort(). */
export interface AtomicFile extends AtomicSink {
  readonly path: string;
  /** fsync (on libuv's thread pool, so the calling thread keeps working), close, rename. */
  commit(): Promise<void>;
  /** Removes the temp file; never throws (safe to call while already failing or after commit). */
  abort(): void;
}

/**
 * Opens `path` for an atomic write: bytes go to a hidden temp file next to it until commit(). For producers
 * that write over time (streamed tables); `writeStreamAtomic` wraps the common one-callback case.
 *
 * @example
 * const f = await openAtomic("out/a.csv");
 * try { f.write("x\n"); await f.commit(); } catch (e) { f.abort(); throw e; }
 */
export async function openAtomic(path: string): Promise<AtomicFile> {
  await ensureDir(dirname(path));
  const tmp = tempPathFor(path);
  let fd: number | undefined = openSync(tmp, "wx", 0o644);
  let bytes = 0;
  let done = false;
  // hashed as written, so the run's manifest need not read the file back (digests.ts)
  const hash = createHash("sha256");
  // abort() may run while commit() awaits its fsync (a sibling sink failed): commit then closes and removes
  let committing = false;
  let aborted = false;
  return {
    path,
    write(chunk) {
      if (fd === undefined) throw new Error(`write to ${path} after it was closed`);
      const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      hash.update(buf);
      bytes += writeAll(fd, buf);
    },
    get bytesWritten() {
      return bytes;
    },
    async commit() {
      if (fd === undefined) throw new Error(`${path} was already closed`);
      const f = fd;
      committing = true;
      try {
        await new Promise<void>((res, rej) => fsync(f, (err) => (err ? rej(err) : res())));
      } finally {
        committing = false;
      }
      closeSync(f);
      fd = undefined;
      if (aborted) {
        rmSync(tmp, { force: true });
        throw new Error(`${path}: write aborted`);
      }
      renameSync(tmp, path);
      recordDigest(path, { bytes, sha256: hash.digest("hex") });
      done = true;
    },
    abort() {
      aborted = true;
      if (committing) return; // the pending commit closes the file (its descriptor must not be closed twice)
      if (fd !== undefined) {
        try {
          closeSync(fd);
        } catch {
          // already failing; the original error matters more
        }
        fd = undefined;
      }
      if (!done) rmSync(tmp, { force: true });
    },
  };
}

/**
 * Gathers small writes into ~1 MiB system calls (formats like Arrow and Parquet emit headers, padding and
 * buffers as separate pieces); a piece at least as large as the buffer goes straight through. Pieces are
 * copied or written before write() returns, so callers may reuse their memory at once.
 *
 * @example
 * const out = new CoalescedWrites(await openAtomic("out/t.bin"));
 * out.write(header); out.write(body); out.flush();
 */
export class CoalescedWrites {
  private readonly buf: Buffer;
  private used = 0;
  /** Bytes accepted so far (the next piece's offset in the file when the file started empty). */
  offset = 0;
  constructor(
    private readonly sink: Pick<AtomicSink, "write">,
    bufferBytes = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(bufferBytes);
  }
  write(bytes: Uint8Array): void {
    this.offset += bytes.byteLength;
    if (this.used + bytes.byteLength > this.buf.length) this.flush();
    if (bytes.byteLength >= this.buf.length) this.sink.write(bytes);
    else {
      this.buf.set(bytes, this.used);
      this.used += bytes.byteLength;
    }
  }
  flush(): void {
    if (this.used > 0) this.sink.write(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

/**
 * Streams a file atomically: `produce` writes chunks to the sink; when it resolves, the data is fsynced and
 * renamed to `path`. If `produce` (or any fs call) throws, the temp file is removed and the error re-thrown;
 * an existing `path` is then left untouched. The parent directory is created if missing.
 *
 * @example
 * await writeStreamAtomic("out/a.csv", (out) => { out.write("x\n"); out.write("1\n"); });
 */
export async function writeStreamAtomic(path: string, produce: (out: AtomicSink) => void | Promise<void>): Promise<void> {
  const file = await openAtomic(path);
  try {
    await produce(file);
    await file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
}

/**
 * Writes `data` to `path` atomically (temp file, fsync, rename). The file system calls run on libuv's thread
 * pool, so the calling thread stays free meanwhile (a sweep keeps dispatching runs while a record syncs).
 *
 * @example
 * await writeFileAtomic("out/summary.json", JSON.stringify(summary));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await ensureDir(dirname(path));
  const tmp = tempPathFor(path);
  const handle = await open(tmp, "wx", 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
    const bytes = typeof data === "string" ? Buffer.byteLength(data, "utf8") : data.byteLength;
    recordDigest(path, { bytes, sha256: createHash("sha256").update(data).digest("hex") });
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}

/** writeSync may write fewer bytes than asked (large buffers); loop until all are out. */
function writeAll(fd: number, chunk: Uint8Array): number {
  let off = 0;
  while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
  return chunk.length;
}
