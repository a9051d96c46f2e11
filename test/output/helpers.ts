/** Shared helpers for the output-layer tests (not a test file itself). */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary directory. */
export function tempDir(prefix = "tokenwatt-output-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Names in `dir` that look like leftover temp files of writeStreamAtomic. */
export function leftoverTemps(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.includes(".tmp-"));
}

/** Minimal RFC 4180 parser (quoted fields, doubled quotes, embedded CR/LF); rows of raw field strings. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
    i++;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
