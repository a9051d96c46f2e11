#!/usr/bin/env node
// How much do two simulations slow each other down on this machine? Runs simulate() in a loop on 1 thread,
// then on 2 threads at once (plain worker_threads: no pool, no persistence), and prints the mean time per
// run of each thread. The sweep benchmark's speed-up can't exceed what this shows.
//   node bench/threads.mjs [runs per thread, default 15]   (needs `npm run build`)
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

if (isMainThread) {
  const runs = Number(process.argv[2] ?? 15);
  for (const threads of [1, 2, 1, 2]) {
    const t0 = performance.now();
    const perRun = await Promise.all(
      Array.from(
        { length: threads },
        (_, w) =>
          new Promise((resolve, reject) => {
            const worker = new Worker(new URL(import.meta.url), { workerData: { runs, w } });
            worker.once("message", resolve);
            worker.once("error", reject);
          }),
      ),
    );
    const wall = (performance.now() - t0) / 1000;
    console.log(
      `threads ${threads}: ms per run ${perRun.map((x) => x.toFixed(1)).join(", ")} (${((threads * runs) / wall).toFixed(2)} runs/s incl. start-up)`,
    );
  }
} else {
  const { resolveOptions } = await import("../dist/src/config/parse.js");
  const { simulateShared } = await import("../dist/src/sweep/execute.js");
  // the sweep benchmark's workload: 10k requests, fixed 512 + 128 tokens, vllm/sarathi, 2-10 qps
  const options = (i) =>
    resolveOptions({
      synthetic_request_generator_config_num_requests: 10_000,
      length_generator_config_type: "fixed",
      fixed_request_length_generator_config_prefill_tokens: 512,
      fixed_request_length_generator_config_decode_tokens: 128,
      replica_scheduler_config_type: i % 2 ? "sarathi" : "vllm",
      poisson_request_interval_generator_config_qps: 2 + 2 * (i % 5),
      synthetic_request_generator_config_seed: 1 + workerData.w * 1000 + i,
    });
  for (let i = 0; i < 3; i++) void simulateShared(options(i), process.cwd()).summary; // warm-up
  let total = 0;
  for (let i = 0; i < workerData.runs; i++) {
    const t = performance.now();
    void simulateShared(options(i), process.cwd()).summary;
    total += performance.now() - t;
  }
  parentPort.postMessage(total / workerData.runs);
}
