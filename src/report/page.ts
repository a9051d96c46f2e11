/**
 * The report page: one self-contained HTML file with uPlot's minified JS and CSS inlined (read from
 * node_modules when the report is written, so nothing vendored is committed), the chart specs as one JSON
 * block, and the page script (client-script.ts). No CDN, no server: it opens from disk, offline.
 *
 * @example
 * const html = renderPage({ title: "run out/", subtitle: "simulate", sections, meta: ["tokenwatt 0.1.0"] });
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fmt, type Cell, type ChartSpec, type SectionSpec, type TableSpec } from "./chart.js";
import { CLIENT_SCRIPT } from "./client-script.js";

export interface PageSpec {
  title: string;
  subtitle: string;
  sections: SectionSpec[];
  /** Footer lines (sources, versions). */
  meta: string[];
}

let uplotAssets: { js: string; css: string } | undefined;

/** uPlot's minified bundle and stylesheet from the installed package. */
export function uplotFiles(): { js: string; css: string } {
  if (!uplotAssets) {
    const req = createRequire(import.meta.url);
    const dist = dirname(req.resolve("uplot/dist/uPlot.iife.min.js"));
    uplotAssets = { js: readFileSync(join(dist, "uPlot.iife.min.js"), "utf8"), css: readFileSync(join(dist, "uPlot.min.css"), "utf8") };
  }
  return uplotAssets;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Text that is safe inside a <script> element. */
const scriptSafe = (s: string): string => s.replace(/<\/(script)/gi, "<\\/$1");

function renderCell(v: Cell): string {
  if (typeof v === "number") return `<td class="num" data-n="${Number.isFinite(v) ? v : "NaN"}">${escapeHtml(fmt(v))}</td>`;
  if (v === null) return `<td class="na">–</td>`;
  return `<td>${escapeHtml(String(v))}</td>`;
}

function renderTable(t: TableSpec): string {
  const head = t.columns.map((c) => `<th title="${escapeHtml(c)}">${escapeHtml(c)}</th>`).join("");
  const filters = t.interactive
    ? `<tr class="filters">${t.columns.map((c) => `<th><input type="search" aria-label="filter ${escapeHtml(c)}" placeholder="filter"></th>`).join("")}</tr>`
    : "";
  const body = t.rows.map((r) => `<tr>${r.map(renderCell).join("")}</tr>`).join("\n");
  const count = t.interactive ? ` <span class="count" id="${t.id}-count">${t.rows.length} rows</span>` : "";
  return (
    `<figure class="table" id="fig-${t.id}"><h3>${escapeHtml(t.title)}</h3><figcaption>${escapeHtml(t.caption)}${count}</figcaption>` +
    `<div class="scroll"><table id="${t.id}" class="${t.interactive ? "interactive" : ""}"><thead><tr class="names">${head}</tr>${filters}</thead>` +
    `<tbody>\n${body}\n</tbody></table></div></figure>`
  );
}

function renderChart(c: ChartSpec): string {
  return (
    `<figure class="chart" id="fig-${c.id}" data-chart="${c.id}" data-series="${c.series.length}">` +
    `<h3>${escapeHtml(c.title)}</h3><figcaption>${escapeHtml(c.caption)}</figcaption><div class="plot" id="plot-${c.id}"></div></figure>`
  );
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232a; margin: 0; background: #f6f7f9; }
header { background: #1d2b3a; color: #fff; padding: 16px 28px; }
header h1 { margin: 0; font-size: 20px; font-weight: 600; }
header p { margin: 4px 0 0; color: #c4d0dc; }
nav { padding: 8px 28px; background: #e9edf2; font-size: 13px; }
nav a { margin-right: 16px; color: #1d4f7a; text-decoration: none; }
main { padding: 8px 28px 28px; max-width: 1500px; }
section > h2 { font-size: 17px; margin: 22px 0 8px; border-bottom: 1px solid #cfd6de; padding-bottom: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 14px; }
figure { margin: 0; background: #fff; border: 1px solid #dde2e8; border-radius: 6px; padding: 10px 12px; min-width: 0; }
figure.table { grid-column: 1 / -1; }
figure h3 { margin: 0; font-size: 14px; }
figcaption { color: #55606b; font-size: 12.5px; margin: 2px 0 6px; }
.note { color: #55606b; font-style: italic; grid-column: 1 / -1; margin: 0; }
.scroll { overflow: auto; max-height: 560px; }
table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
th, td { border-bottom: 1px solid #e6e9ed; padding: 3px 8px; text-align: left; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #f1f3f6; }
thead tr.filters th { top: 26px; }
table.interactive thead tr.names th { cursor: pointer; user-select: none; }
th[data-sort="asc"]::after { content: " ▲"; } th[data-sort="desc"]::after { content: " ▼"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.na { color: #aab; text-align: right; }
input[type=search] { width: 100%; min-width: 60px; box-sizing: border-box; font-size: 11.5px; }
.count { margin-left: 8px; color: #1d4f7a; }
.tip { position: absolute; display: none; z-index: 10; pointer-events: none; background: rgba(29,43,58,.94); color: #fff;
  font-size: 12px; padding: 6px 8px; border-radius: 4px; white-space: pre; max-width: 520px; overflow: hidden; }
footer { color: #7a8591; font-size: 12px; padding: 0 28px 24px; }
.uplot { font-family: inherit; }
`;

export function renderPage(p: PageSpec): string {
  const { js, css } = uplotFiles();
  const charts: ChartSpec[] = [];
  const body = p.sections
    .map((s) => {
      const items = s.items
        .map((it) => {
          if (it.type === "chart") {
            charts.push(it);
            return renderChart(it);
          }
          if (it.type === "table") return renderTable(it);
          return `<p class="note">${escapeHtml(it.text)}</p>`;
        })
        .join("\n");
      return `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2><div class="grid">\n${items}\n</div></section>`;
    })
    .join("\n");
  const nav = p.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join("");
  // "<" escaped so no string in the data (a run's error, a path) can close the script element
  const data = JSON.stringify({ charts }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)}</title>
<style>${css}</style>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(p.title)}</h1><p>${escapeHtml(p.subtitle)}</p></header>
<nav>${nav}</nav>
<main>
${body}
</main>
<footer>${p.meta.map(escapeHtml).join("<br>")}</footer>
<script id="report-data" type="application/json">${data}</script>
<script>${scriptSafe(js)}</script>
<script>${scriptSafe(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}
