import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { empiricalCdf } from "../../src/report/cdf.js";
import { minMaxDownsample } from "../../src/report/downsample.js";
import { paretoFront } from "../../src/report/pareto.js";
import { parseCsv } from "../../src/report/read-output.js";
import { buildReport } from "../../src/report/report.js";
import { runCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/shared.js";
import { cli, cosimDir, tempDir } from "./fixtures.js";

test("min/max down-sampling keeps a one-sample spike and dip, and at most 2 points per bucket", () => {
  const n = 200_000;
  const x = Float64Array.from({ length: n }, (_, i) => i * 0.5);
  const y = Float64Array.from(x, (t, i) => (i === 123_457 ? 1e6 : i === 77_777 ? -1e6 : Math.sin(t / 100)));
  const d = minMaxDownsample(x, [y, Float64Array.from(y, (v) => -v)], 500);
  assert.ok(d.x.length <= 1000 && d.x.length >= 990, String(d.x.length));
  assert.is(Math.max(...d.ys[0]), 1e6);
  assert.is(Math.min(...d.ys[0]), -1e6);
  assert.is(Math.min(...d.ys[1]), -1e6);
  for (let i = 1; i < d.x.length; i++) assert.ok(d.x[i] >= d.x[i - 1], "x stays ascending");
  assert.is(d.x[0], 0);
  assert.is(d.x[d.x.length - 1], x[n - 1]);
  // order within a bucket follows the data: the dip comes before the spike's bucket
  assert.ok(d.ys[0].indexOf(-1e6) < d.ys[0].indexOf(1e6));
});

test("min/max down-sampling returns short series unchanged and keeps all-NaN buckets as gaps", () => {
  const short = minMaxDownsample([0, 1, 2], [[5, 6, 7]], 10);
  assert.equal([...short.x], [0, 1, 2]);
  assert.equal([...short.ys[0]], [5, 6, 7]);
  const x = Float64Array.from({ length: 100 }, (_, i) => i);
  const y = Float64Array.from(x, (i) => (i < 50 ? Number.NaN : i));
  const d = minMaxDownsample(x, [y], 10);
  assert.ok(Number.isNaN(d.ys[0][0]));
  assert.is(d.ys[0][d.ys[0].length - 1], 99);
});

test("empirical CDF: exact on small samples, bounded and tail-preserving on large ones", () => {
  const c = empiricalCdf(Float64Array.of(3, 1, 2, Number.NaN, 2), 100);
  assert.equal([...c.x], [1, 2, 3]);
  assert.equal([...c.p], [0.25, 0.75, 1]);
  assert.is(c.count, 4);
  // 1M samples, heavy tail: 999,000 near 1, 1,000 spread up to 1000
  const n = 1_000_000;
  const s = Float64Array.from({ length: n }, (_, i) => (i < 999_000 ? 1 + (i % 1000) / 1e4 : 1 + (i - 998_999)));
  const big = empiricalCdf(s, 500);
  assert.ok(big.x.length <= 2002, String(big.x.length));
  assert.is(big.x[big.x.length - 1], 1001);
  assert.is(big.p[big.p.length - 1], 1);
  for (let i = 1; i < big.x.length; i++) assert.ok(big.x[i] > big.x[i - 1] && big.p[i] > big.p[i - 1]);
  // the tail is drawn: points spread across [2, 1001], not only at the two ends
  assert.ok(big.x.filter((v) => v > 100 && v < 900).length > 100);
  // every point is on the sample CDF (to within a bin of the range)
  const sorted = Float64Array.from(s).sort();
  const bin = (1001 - 1) / 65_536;
  for (let i = 0; i < big.x.length; i += 37) {
    let below = 0;
    while (below < n && sorted[below] <= big.x[i] - bin) below++;
    let upTo = below;
    while (upTo < n && sorted[upTo] <= big.x[i] + bin) upTo++;
    assert.ok(big.p[i] * n >= below - 1e-6 && big.p[i] * n <= upTo + 1e-6, `point ${i}: p ${big.p[i]} outside [${below / n}, ${upTo / n}]`);
  }
  // the steep body near 1 is resolved in p: no vertical gap above 1/1000
  for (let i = 1; i < big.p.length; i++)
    assert.ok(big.p[i] - big.p[i - 1] <= 1 / 1000 + 0.0011 || big.x[i] - big.x[i - 1] <= 2 * bin, `gap at ${i}`);
});

test("Pareto front: minimise or maximise each axis, duplicates of a front point stay on it", () => {
  assert.equal([...paretoFront([{ x: 1, y: 5 }, { x: 2, y: 2 }, { x: 3, y: 3 }, null, { x: 5, y: 1 }], "min", "min")].sort(), [0, 1, 4]);
  assert.equal(
    [
      ...paretoFront(
        [
          { x: 10, y: 1 },
          { x: 20, y: 3 },
          { x: 15, y: 4 },
        ],
        "max",
        "min",
      ),
    ].sort(),
    [0, 1],
  );
  assert.equal(
    [
      ...paretoFront(
        [
          { x: 1, y: 1 },
          { x: 1, y: 1 },
          { x: 1, y: 2 },
        ],
        "min",
        "min",
      ),
    ].sort(),
    [0, 1],
  );
});

test("CSV parsing: quotes, doubled quotes, embedded commas and newlines, empty fields", () => {
  assert.equal(parseCsv('a,b,c\n1,"x,y",\n2,"say ""hi""\nthere",3\n'), [
    ["a", "b", "c"],
    ["1", "x,y", ""],
    ["2", 'say "hi"\nthere', "3"],
  ]);
});

/** The chart data embedded in a page (the timestamp in the footer aside). */
const chartData = (html: string): unknown =>
  JSON.parse(/<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]);

test("the report reads Arrow, Parquet or CSV tables alike; --report on simulate writes report.html", async () => {
  const root = tempDir("tw-report-fmt-");
  const dir = join(root, "all");
  await cli(
    "simulate",
    "--synthetic_request_generator_config_num_requests",
    "200",
    "--formats",
    "csv,arrow,parquet",
    "--output-dir",
    dir,
    "--report",
  );
  assert.ok(existsSync(join(dir, "report.html")), "--report wrote report.html");
  const fromArrow = await buildReport(dir);
  for (const ext of ["csv", "parquet"]) {
    const only = join(root, ext);
    mkdirSync(only);
    for (const f of readdirSync(dir)) if (f.endsWith(".json") || f.endsWith(`.${ext}`)) copyFileSync(join(dir, f), join(only, f));
    const r = await buildReport(only);
    assert.equal(chartData(r.html), chartData(fromArrow.html), `charts from ${ext}`);
  }
  assert.is(fromArrow.kind, "run");
  assert.ok(!fromArrow.html.includes("http://") && !fromArrow.html.includes("https://cdn"), "no remote resources");
  rmSync(root, { recursive: true, force: true });
});

async function expectError(dir: string, pattern: RegExp): Promise<void> {
  const r = await runCli("report", dir);
  assert.is(r.code, 2, `exit code for ${dir}: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.is(r.stderr.trim().split("\n").length, 1, "one line");
  assert.not.ok(existsSync(join(dir, "report.html")), "nothing written");
}

test("tokenwatt report names the missing or foreign file and why, exit 2, writes nothing", async () => {
  const root = tempDir("tw-report-err-");
  await expectError(join(root, "nope"), /nope: not a directory/);
  mkdirSync(join(root, "empty"));
  await expectError(join(root, "empty"), /empty: not a tokenwatt output directory: none of summary\.json \(simulate\), sweep\.json/);

  const run = join(root, "run");
  await cli("simulate", "--synthetic_request_generator_config_num_requests", "50", "--formats", "arrow", "--output-dir", run);
  const summary = readFileSync(join(run, "summary.json"), "utf8");
  const arrowBytes = readFileSync(join(run, "request_metrics.arrow"));

  rmSync(join(run, "request_metrics.arrow"));
  await expectError(run, /run\/request_metrics\.\{arrow,parquet,csv\}: missing \(simulate writes it/);
  writeFileSync(join(run, "request_metrics.arrow"), "Request Id,latency\n0,1\n");
  await expectError(run, /run\/request_metrics\.arrow: not a readable Arrow IPC file \(no ARROW1 magic bytes\)/);
  rmSync(join(run, "request_metrics.arrow"));
  writeFileSync(join(run, "request_metrics.csv"), "Request Id,latency\n0,1\n");
  await expectError(run, /run\/request_metrics\.csv: no column "prefill_e2e_time" \(found: Request Id, latency\); not a tokenwatt table/);
  rmSync(join(run, "request_metrics.csv"));
  writeFileSync(join(run, "request_metrics.arrow"), arrowBytes);

  writeFileSync(join(run, "summary.json"), '{"foo": 1}');
  await expectError(run, /run\/summary\.json: no "num_requests" field; not a tokenwatt simulate summary/);
  writeFileSync(join(run, "summary.json"), "{ not json");
  await expectError(run, /run\/summary\.json: not valid JSON/);
  writeFileSync(join(run, "summary.json"), "[1, 2]");
  await expectError(run, /run\/summary\.json: expected a JSON object, found an array/);
  writeFileSync(join(run, "summary.json"), summary);

  // a co-simulation directory whose microgrid table lacks a column, or whose summary lacks the microgrid object
  writeFileSync(join(run, "microgrid.csv"), "t_s,load_w\n0,1\n");
  await expectError(run, /run\/microgrid\.csv: no column "solar_w"/);
  rmSync(join(run, "microgrid.csv"));

  mkdirSync(join(root, "sweep"));
  writeFileSync(join(root, "sweep", "sweep.json"), '{"format": "something-else"}');
  await expectError(join(root, "sweep"), /sweep\/sweep\.json: not a tokenwatt sweep manifest/);
  writeFileSync(join(root, "sweep", "sweep.json"), '{"format": "tokenwatt-sweep/1", "parameters": []}');
  await expectError(join(root, "sweep"), /sweep\/summary\.\{arrow,parquet,csv\}: missing \(the sweep writes it/);
  mkdirSync(join(root, "cap"));
  writeFileSync(join(root, "cap", "capacity.json"), '{"slo": 5}');
  await expectError(join(root, "cap"), /cap\/capacity\.json: not a tokenwatt capacity result/);

  const ok = await runCli("report", run, "--out", join(root, "new", "dir", "elsewhere.html"));
  assert.is(ok.code, 0, ok.stderr);
  assert.ok(existsSync(join(root, "new", "dir", "elsewhere.html")));

  // --report needs a table format, and says so before simulating
  const jsonOnly = await runCli(
    "simulate",
    "--synthetic_request_generator_config_num_requests",
    "20",
    "--formats",
    "json",
    "--report",
    "--output-dir",
    join(root, "j"),
  );
  assert.is(jsonOnly.code, 2);
  assert.match(jsonOnly.stderr, /--report reads the run's tables: add csv, arrow or parquet to --formats \(got "json"\)/);
  assert.not.ok(existsSync(join(root, "j")));
  rmSync(root, { recursive: true, force: true });
});

test("co-simulation: microgrid summary without the microgrid object is refused; a full one gives the microgrid section", async () => {
  const root = tempDir("tw-report-cosim-");
  const dir = await cosimDir(root, "parquet");
  const r = await buildReport(dir);
  assert.is(r.kind, "cosim");
  const ids = (chartData(r.html) as { charts: { id: string; series: { label: string }[] }[] }).charts.map((c) => c.id);
  for (const id of ["power-flow", "soc", "cumulative-emissions", "carbon-intensity", "control"]) assert.ok(ids.includes(id), id);
  const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
  delete summary.microgrid.shortfall_kwh;
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  await expectError(dir, /summary\.json: microgrid has no "shortfall_kwh" field/);
  delete summary.microgrid;
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  await expectError(dir, /summary\.json: no "microgrid" object, but .*microgrid\.parquet is there/);
  // and a summary with the microgrid object whose table is missing
  summary.microgrid = { load_kwh: 1 };
  writeFileSync(join(dir, "summary.json"), JSON.stringify(summary));
  rmSync(join(dir, "microgrid.parquet"));
  await expectError(dir, /microgrid\.\{arrow,parquet,csv\}: missing \(the co-simulation writes it\)/);
  rmSync(root, { recursive: true, force: true });
});

test("the README's report commands run as written", async () => {
  const md = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const block = /## Reports[\s\S]*?```sh\n([\s\S]*?)```/.exec(md)![1];
  const commands = block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l.startsWith("npx tokenwatt "));
  assert.is(commands.length, 2);
  const root = tempDir("tw-report-readme-");
  const cwd = process.cwd();
  process.chdir(root);
  try {
    for (const c of commands) {
      const r = await runCli(...c.slice("npx tokenwatt ".length).split(/\s+/));
      assert.is(r.code, 0, `${c}: ${r.stderr}`);
    }
  } finally {
    process.chdir(cwd);
  }
  assert.ok(existsSync(join(root, "out", "run", "report.html")));
  assert.ok(existsSync(join(root, "run-report.html")));
  rmSync(root, { recursive: true, force: true });
});

test.run();
