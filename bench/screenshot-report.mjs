#!/usr/bin/env node
// Makes docs/img/report.png, the README's picture of a report: simulates a small two-replica run with batch
// records (so every run chart is drawn), writes its report, opens it in headless Chromium (the system's
// /usr/bin/chromium, or TOKENWATT_CHROMIUM) and captures the charts from the Latency section down.
// Usage: npm run screenshot   (builds first)   or   node bench/screenshot-report.mjs [out.png]
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(root, "docs", "img", "report.png"));
const executablePath = process.env.TOKENWATT_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  console.error(`screenshot: ${executablePath} not found (apt-get install chromium)`);
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), "tw-screenshot-"));
const run = join(work, "run");
const cli = join(root, "dist", "src", "cli", "main.js");
execFileSync(
  process.execPath,
  [
    cli,
    "simulate",
    "--cluster_config_num_replicas",
    "2",
    "--poisson_request_interval_generator_config_qps",
    "3",
    "--synthetic_request_generator_config_num_requests",
    "3000",
    "--metrics_config_keep_individual_batch_metrics",
    "--formats",
    "arrow",
    "--output-dir",
    run,
    "--report",
  ],
  { stdio: "inherit" },
);

const browser = await chromium.launch({
  executablePath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(`file://${join(run, "report.html")}`);
  await page.waitForFunction("window.__report && window.__report.ready === true");
  const top = await page.evaluate("document.getElementById('latency').getBoundingClientRect().top + window.scrollY");
  const bottom = await page.evaluate("document.getElementById('fig-power').getBoundingClientRect().bottom + window.scrollY");
  await page.screenshot({ path: out, clip: { x: 0, y: top - 8, width: 1280, height: bottom - top + 16 }, fullPage: true });
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
console.log(`screenshot: ${out} (${Math.round(statSync(out).size / 1024)} KB)`);
