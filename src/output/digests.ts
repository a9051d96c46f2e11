/**
 * SHA-256 digests of files as they were written, so a run's manifest (transaction.ts) does not read its
 * outputs back: atomic writers hash every byte they write and record the digest when the file is renamed
 * into place; the manifest takes it (and hashes only files written some other way).
 *
 * @example
 * recordDigest("out/a.csv", { bytes: 2, sha256: "…" });
 * takeDigest("out/a.csv"); // { bytes: 2, sha256: "…" }, then forgotten
 */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

const digests = new Map<string, FileDigest>();

export function recordDigest(path: string, d: FileDigest): void {
  digests.set(path, d);
}

/** The digest recorded for `path`, removed from the registry (each is used once, by one manifest). */
export function takeDigest(path: string): FileDigest | undefined {
  const d = digests.get(path);
  digests.delete(path);
  return d;
}
