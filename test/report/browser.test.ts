/**
 * The reports of a run, a sweep, a capacity search and a co-simulation, opened in headless Chromium (Debian's
 * package, driven by playwright-core with the system executable): no console errors, every chart present
 * with its number of series and pixels of its series' colours, and a screenshot in the test's temp dir.
 * Skipped with a message where /usr/bin/chromium is missing (.ci/run installs it).
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { writeReport } from "../../src/report/report.js";
import { capacityDir, cosimDir, runDir, sweepDir, tempDir } from "./fixtures.js";

export const CHROMIUM = process.env.TOKENWATT_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const RUN_CHARTS = {
  "cdf-ttft_s": 1,
  "cdf-tbt_s": 1,
  "cdf-e2e_latency_s": 1,
  "cdf-scheduling_delay_s": 1,
  load: 2,
  replicas: 2,
  power: 1,
  emissions: 2,
  "energy-breakdown": 1,
  "power-vs-batch": 2,
};
const EXPECTED: Record<string, Record<string, number>> = {
  run: RUN_CHARTS,
  cosim: { ...RUN_CHARTS, "power-flow": 5, soc: 1, "cumulative-emissions": 1, "carbon-intensity": 1, control: 2 },
  sweep: { "pareto-energy": 2, "pareto-carbon": 2, "pareto-cost": 2 },
  capacity: { capacity: 2, "capacity-steps": 2 },
};

interface ChartState {
  series: number;
  /** Pixels in the plot area drawn in one of the chart's series colours. */
  coloured: number;
}

/**
 * Runs in the page (as text: tsx would add helpers a page function cannot see). For every chart: its series
 * count, and the pixels of its plot area drawn in one of its series' colours.
 */
const MEASURE_CHARTS = `(() => {
  const out = {};
  const hex = (c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16));
  for (const [id, u] of Object.entries(window.__report.charts)) {
    const colours = u.series.slice(1).map((s) => hex(typeof s.stroke === "function" ? s.stroke(u) : String(s.stroke)));
    const { left, top, width, height } = u.bbox;
    const px = u.ctx.getImageData(left, top, Math.max(1, width), Math.max(1, height)).data;
    let coloured = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] < 128) continue;
      if (colours.some(([r, g, b]) => Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 60)) coloured++;
    }
    out[id] = { series: u.series.length - 1, coloured };
  }
  return out;
})()`;

const B = suite<{ root: string; browser?: Browser; reports: Record<string, string> }>("report in Chromium", { root: "", reports: {} });

if (!existsSync(CHROMIUM)) {
  console.error(`skipped "report in Chromium": ${CHROMIUM} not found (apt-get install chromium; .ci/run installs it)`);
  B.skip("every report renders in Chromium", () => undefined);
} else {
  // uvu reports a failing hook only as failed tests, without the error: print it
  B.before(async (ctx) => {
    try {
      ctx.root = tempDir("tw-report-");
      const run = await runDir(join(ctx.root, "r"));
      ctx.reports.run = await writeReport(run);
      ctx.reports.cosim = await writeReport(await cosimDir(join(ctx.root, "c"), "csv", run));
      ctx.reports.sweep = await writeReport(await sweepDir(ctx.root));
      ctx.reports.capacity = await writeReport(await capacityDir(ctx.root));
      const { chromium } = await import("playwright-core");
      // playwright gives the browser a fresh profile directory of its own (--user-data-dir)
      ctx.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    } catch (e) {
      console.error("report in Chromium: setup failed:", e);
      throw e;
    }
  });
  B.after(async (ctx) => {
    await ctx.browser?.close();
    console.error(`report in Chromium: screenshots in ${ctx.root}`);
  });

  for (const kind of Object.keys(EXPECTED)) {
    B(`${kind} report: loads without console errors, every chart has its series and coloured pixels, screenshot saved`, async (ctx) => {
      const page = await ctx.browser!.newPage({ viewport: { width: 1400, height: 1000 }, deviceScaleFactor: 1 });
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:")) errors.push(`network request: ${r.url()}`);
      });
      await page.goto(`file://${ctx.reports[kind]}`);
      await page.waitForFunction("window.__report && window.__report.ready === true", undefined, { timeout: 10_000 });
      const charts = (await page.evaluate(MEASURE_CHARTS)) as Record<string, ChartState>;
      const shot = join(ctx.root, `${kind}.png`);
      // the first screenful (a full-page capture of a 5000-pixel page costs seconds on a busy machine)
      await page.screenshot({ path: shot });
      assert.equal(errors, [], `console errors in the ${kind} report`);
      assert.equal(Object.keys(charts).sort(), Object.keys(EXPECTED[kind]).sort(), `${kind}: charts`);
      for (const [id, n] of Object.entries(EXPECTED[kind])) {
        assert.is(charts[id].series, n, `${kind}/${id}: series`);
        assert.ok(charts[id].coloured >= 20, `${kind}/${id}: only ${charts[id].coloured} pixels in its series' colours`);
      }
      assert.ok(statSync(shot).size > 10_000, "screenshot written");
      if (kind === "sweep") {
        assert.is(await page.locator("#failed tbody tr").count(), 4, "the four failed runs (Llama-2-70B on one A100) are listed");
        assert.match(await page.locator("#failed").innerText(), /needs [\d.]+ GB of weights per device/);
        await page.locator("#runs thead tr.filters input").nth(2).fill("sarathi");
        assert.is(await page.locator("#runs tbody tr:visible").count(), 4, "filter by scheduler");
        await page.locator("#runs thead tr.names th").nth(3).click();
        const qps = await page.locator("#runs tbody tr:visible td:nth-child(4)").allInnerTexts();
        assert.equal(
          qps,
          [...qps].sort((a, b) => Number(a) - Number(b)),
          "sorted by qps",
        );
        // hovering a point of a Pareto chart shows that run's configuration
        await page.locator("#fig-pareto-energy").scrollIntoViewIfNeeded();
        const at = (await page.evaluate(`(() => {
          const u = window.__report.charts["pareto-energy"], r = u.over.getBoundingClientRect();
          return { x: r.left + u.valToPos(u.data[0][0], "x"), y: r.top + u.valToPos(u.data[1][0], "y") };
        })()`)) as { x: number; y: number };
        await page.mouse.move(at.x, at.y);
        const tip = await page.locator("#fig-pareto-energy .tip").innerText();
        assert.match(
          tip,
          /^run [0-9a-f]{16}\nreplica_scheduler_config_type = (vllm|sarathi)\npoisson_request_interval_generator_config_qps = /,
        );
      }
      await page.close();
    });
  }
}

B.run();
