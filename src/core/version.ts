/**
 * tokenwatt's version, as in package.json (written into output manifests and shown by --version).
 *
 * @example
 * TOKENWATT_VERSION; // "0.1.0"
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./repo-root.js";

export const TOKENWATT_VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string })
  .version;
