#!/usr/bin/env node
// The `tokenwatt` executable: runs the CLI (./run.ts) and sets the exit code.
import { main } from "./run.js";

// `tokenwatt ... | head` closes stdout early: that is not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    // for bench/: one JSON line with wall time and peak RSS of this process
    if (process.env.TOKENWATT_PROCESS_STATS === "1") {
      const wall_s = process.uptime(); // includes node start-up and module loading
      process.stderr.write(`${JSON.stringify({ wall_s, max_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
    }
  },
  (e: unknown) => {
    process.stderr.write(`tokenwatt: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
