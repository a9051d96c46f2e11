/**
 * Reads a file the user named with `flag`; an unreadable file is an InputError naming the flag, path and cause.
 *
 * @example
 * readInputFile("run.yaml", "--config"); // the text, or "--config run.yaml: cannot read (ENOENT)"
 */
import { readFileSync } from "node:fs";
import { InputError } from "./errors.js";

export function readInputFile(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(`${flag} ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
