/**
 * A real cluster scheduler: a single-node Slurm on localhost (test/cluster/slurm-localhost.sh: munged,
 * slurmctld, slurmd as root, state under a temp directory) runs the docs' example sweep as a two-task job
 * array with --shard; the shards are merged and compared with the single-machine sweep. Skipped with a
 * message where Slurm is not installed or the test does not run as root (.ci/run installs slurm-wlm, munge).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readRecords } from "../../src/sweep/store.js";
import { TIMING_COLUMNS } from "../../src/sweep/summary-table.js";
import { exampleSpecFile, REPO_ROOT } from "../sweep/helpers.js";

const SCRIPT = join(REPO_ROOT, "test", "cluster", "slurm-localhost.sh");
const MAIN = join(REPO_ROOT, "dist", "src", "cli", "main.js");
const TASKS = 2;

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root to start munged and slurmd";
  for (const b of ["munged", "slurmctld", "slurmd", "sbatch"]) {
    if (spawnSync("sh", ["-c", `command -v ${b}`]).status !== 0)
      return `${b} is not installed (apt-get install slurm-wlm munge; .ci/run does)`;
  }
  return undefined;
}

/** Records without the machine-dependent columns, by run id. */
function results(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of readRecords(dir)) {
    const metrics = { ...r.metrics };
    for (const k of TIMING_COLUMNS) delete metrics[k];
    out[r.run_id] = [r.run_index, r.status, r.error, r.params, metrics];
  }
  return out;
}

const why = missing();
if (why) {
  console.error(`skipped "Slurm job array of shards, merged, equals the single-machine sweep": ${why}`);
  test.skip("Slurm job array of shards, merged, equals the single-machine sweep", () => undefined);
} else {
  test("Slurm job array of shards, merged, equals the single-machine sweep", () => {
    const dir = mkdtempSync(join(tmpdir(), "tokenwatt-slurm-"));
    chmodSync(dir, 0o755);
    const spec = exampleSpecFile(dir);
    const state = join(dir, "slurm");
    const started = spawnSync(SCRIPT, ["start", state], { encoding: "utf8", timeout: 60_000 });
    try {
      assert.is(started.status, 0, `cluster start: ${started.stderr}`);
      const env = { ...process.env, SLURM_CONF: started.stdout.trim() };
      const job = join(dir, "sweep.sbatch");
      // the docs' job-array script, with this checkout's CLI and one worker per task (2 CPUs on the node)
      writeFileSync(
        job,
        `#!/bin/bash\n"${process.execPath}" "${MAIN}" sweep --spec "${spec}" --workers 1 ` +
          `--shard "\${SLURM_ARRAY_TASK_ID}/\${SLURM_ARRAY_TASK_COUNT}" --output-dir "${dir}/shards/\${SLURM_ARRAY_TASK_ID}" --resume\n`,
      );
      const sb = spawnSync("sbatch", ["--wait", `--array=0-${TASKS - 1}`, "--cpus-per-task=1", `--output=${dir}/task-%a.out`, job], {
        env,
        encoding: "utf8",
        timeout: 300_000,
      });
      const logs = [0, 1]
        .map((i) => (existsSync(join(dir, `task-${i}.out`)) ? readFileSync(join(dir, `task-${i}.out`), "utf8") : ""))
        .join("\n");
      assert.is(sb.status, 0, `sbatch: ${sb.stdout}${sb.stderr}\n${logs}`);
      for (let i = 0; i < TASKS; i++) assert.match(readFileSync(join(dir, `task-${i}.out`), "utf8"), /sweep: \d+ runs \(shard of 11\)/);
      const merge = spawnSync(
        process.execPath,
        [MAIN, "sweep", "merge", join(dir, "shards", "0"), join(dir, "shards", "1"), "--output-dir", join(dir, "merged")],
        { encoding: "utf8" },
      );
      assert.is(merge.status, 0, merge.stderr);
      const single = spawnSync(process.execPath, [MAIN, "sweep", "--spec", spec, "--workers", "2", "--output-dir", join(dir, "single")], {
        encoding: "utf8",
      });
      assert.is(single.status, 0, single.stderr);
      const merged = results(join(dir, "merged"));
      assert.is(Object.keys(merged).length, 11);
      assert.equal(merged, results(join(dir, "single")));
    } finally {
      spawnSync(SCRIPT, ["stop", state]);
    }
  });
}

test.run();
