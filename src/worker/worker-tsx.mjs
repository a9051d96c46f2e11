// Source-tree entry of the worker (no build): registers tsx in this worker thread, then loads worker.ts.
// The built package uses dist/src/worker/worker.js directly.
import { register } from "tsx/esm/api";

register();
const mod = await import("./worker.ts");
export default mod.default;
