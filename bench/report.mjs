#!/usr/bin/env node
// The report's acceptance figures for one output directory: size of report.html, time to write it (the whole
// `tokenwatt report DIR` process, and the time the command itself reports), and time to render in headless
// Chromium (navigation start until every chart is drawn, read from the page, plus the wall time of the load).
// Median of N runs (default 5).
// Usage: node bench/report.mjs DIR [N]      e.g. after
//   node dist/src/cli/main.js simulate --synthetic_request_generator_config_num_requests 1000000 --output-dir /tmp/x
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = resolve(process.argv[2] ?? "/tmp/x");
const runs = Number(process.argv[3] ?? 5);
const chromiumPath = process.env.TOKENWATT_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(join(dir, "summary.json")) && !existsSync(join(dir, "sweep.json")) && !existsSync(join(dir, "capacity.json"))) {
  console.error(`bench/report: ${dir} is not a tokenwatt output directory (see the usage line at the top of this file)`);
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cli = join(root, "dist", "src", "cli", "main.js");

const wall = [];
const inCommand = [];
const cpu = [];
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  // CPU seconds (user + sys) of the process as well: on a shared machine they vary far less than wall time
  const args = [cli, "report", dir];
  const out = timeBin
    ? execFileSync(timeBin, ["-f", "cpu %U %S", process.execPath, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    : execFileSync(process.execPath, args, { encoding: "utf8" });
  wall.push((performance.now() - t0) / 1000);
  inCommand.push(Number(/\(([\d.]+) s\)/.exec(out)[1]));
}
if (timeBin) {
  for (let i = 0; i < runs; i++) {
    const r = execFileSync("sh", ["-c", `${timeBin} -f "%U %S" "${process.execPath}" "${cli}" report "${dir}" 2>&1 >/dev/null`], {
      encoding: "utf8",
    });
    const [u, s] = r.trim().split(/\s+/).slice(-2).map(Number);
    cpu.push(u + s);
  }
}
const page = join(dir, "report.html");
const size = statSync(page).size;

const browser = await chromium.launch({
  executablePath: chromiumPath,
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
const ready = [];
const load = [];
try {
  for (let i = 0; i < runs; i++) {
    const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const t0 = performance.now();
    await p.goto(`file://${page}`);
    await p.waitForFunction("window.__report && window.__report.ready === true");
    load.push((performance.now() - t0) / 1000);
    ready.push((await p.evaluate("window.__report.readyMs")) / 1000);
    await p.close();
  }
} finally {
  await browser.close();
}
const f = (xs) => `${median(xs).toFixed(2)} s (${xs.map((x) => x.toFixed(2)).join(", ")})`;
console.log(`report of ${dir}: ${(size / 1e6).toFixed(2)} MB`);
console.log(`write, whole process:   ${f(wall)}`);
console.log(`write, in the command:  ${f(inCommand)}`);
if (cpu.length) console.log(`write, CPU user+sys:    ${f(cpu)}`);
console.log(`render, in the page:    ${f(ready)}`);
console.log(`render, load to ready:  ${f(load)}`);
