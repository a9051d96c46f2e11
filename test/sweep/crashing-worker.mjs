// A sweep worker for tests: TOKENWATT_TEST_CRASH="<id>[:once],…" kills the worker thread when it starts that
// run (`:once`: only the first time, remembered by a marker file in the sweep directory); otherwise it is the
// real worker (src/worker/worker.ts).
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { register } from "tsx/esm/api";

register();
const { default: handle } = await import("../../src/worker/worker.ts");

function maybeCrash(task) {
  const spec = process.env.TOKENWATT_TEST_CRASH;
  if (!spec || task.kind === "capacity") return;
  for (const item of spec.split(",")) {
    const [id, mode] = item.split(":");
    if (id !== task.id) continue;
    if (mode === "once" && task.outputDir) {
      const marker = join(task.outputDir, `.crashed-${id}`);
      if (existsSync(marker)) return;
      writeFileSync(marker, "");
    }
    process.exit(86);
  }
}

export default async function crashingHandle(task) {
  maybeCrash(task);
  return handle(task);
}
