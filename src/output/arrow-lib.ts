/**
 * apache-arrow for the writers, loaded from the package's single-file bundle (`Arrow.esnext.min.js`, the same
 * library and version): one 180 KB file loads in ~30 ms, the ESM build's ~300 modules in ~140 ms, and every
 * writer thread pays that once per run. Other code (sweeps, tests) imports "apache-arrow" as usual; the two
 * copies never exchange objects, only IPC bytes.
 *
 * @example
 * import { arrow } from "./arrow-lib.js";
 * const bytes = arrow.tableToIPC(table, "stream");
 */
import { createRequire } from "node:module";

export type ApacheArrow = typeof import("apache-arrow");

export const arrow: ApacheArrow = createRequire(import.meta.url)("apache-arrow/Arrow.esnext.min") as ApacheArrow;
