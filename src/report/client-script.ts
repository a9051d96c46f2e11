/**
 * The script inlined into every report page (plain browser JavaScript, kept as text because the page must
 * work offline from one file). It reads the chart specs (chart.ts) from the page's JSON block and draws each
 * with uPlot: lines, steps, scatter points, grouped bars and error bars / reference lines (drawn in a draw
 * hook), a tooltip with the configuration under the cursor, and sortable, filterable tables. Every chart is
 * registered in `window.__report.charts[id]` (the browser tests count its series and pixels there).
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var spec = JSON.parse(document.getElementById("report-data").textContent);
  var state = { charts: {}, ready: false };
  window.__report = state;

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return "–";
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
    return String(+v.toPrecision(4));
  }

  // log axes leave some ticks unlabelled (null)
  function tickLabels(u, ticks) { return ticks.map(function (t) { return t === null ? "" : fmt(t); }); }

  function tooltipPlugin(c) {
    var tip;
    return {
      hooks: {
        init: function (u) {
          tip = document.createElement("div");
          tip.className = "tip";
          u.over.appendChild(tip);
        },
        setCursor: function (u) {
          var i = u.cursor.idx;
          if (!c.hover || i === null || i === undefined || !c.hover[i]) { tip.style.display = "none"; return; }
          tip.textContent = c.hover[i];
          tip.style.display = "block";
          var left = u.cursor.left, top = u.cursor.top;
          tip.style.left = Math.min(left + 12, Math.max(0, u.over.clientWidth - tip.offsetWidth)) + "px";
          tip.style.top = (top + 12) + "px";
        }
      }
    };
  }

  // bars, error bars and reference lines are drawn here, over the plot area (canvas pixels)
  function overlayPlugin(c) {
    return {
      hooks: {
        draw: function (u) {
          var ctx = u.ctx, dpr = devicePixelRatio || 1, xs = u.data[0];
          ctx.save();
          var bars = [];
          c.series.forEach(function (s, k) { if (s.style === "bars") bars.push(k + 1); });
          if (bars.length) {
            var step = xs.length > 1 ? Math.abs(u.valToPos(xs[1], "x", true) - u.valToPos(xs[0], "x", true)) : u.bbox.width / 2;
            var w = Math.max(2 * dpr, (0.8 * step) / bars.length);
            bars.forEach(function (si, j) {
              var s = u.series[si];
              if (!s.show) return;
              var scale = s.scale, y0 = u.valToPos(Math.max(0, u.scales[scale].min), scale, true);
              ctx.fillStyle = c.series[si - 1].color;
              for (var i = 0; i < xs.length; i++) {
                var v = u.data[si][i];
                if (v === null || v === undefined) continue;
                var x = u.valToPos(xs[i], "x", true) - (bars.length * w) / 2 + j * w;
                var y = u.valToPos(v, scale, true);
                ctx.fillRect(x + 0.5 * dpr, Math.min(y, y0), w - dpr, Math.max(dpr, Math.abs(y0 - y)));
              }
            });
          }
          (c.errorBars || []).forEach(function (eb) {
            var s = u.series[eb.series];
            if (!s || !s.show) return;
            ctx.strokeStyle = c.series[eb.series - 1].color;
            ctx.lineWidth = 1.5 * dpr;
            for (var i = 0; i < xs.length; i++) {
              var lo = eb.lo[i], hi = eb.hi[i];
              if (lo === null || hi === null || lo === undefined || hi === undefined) continue;
              var x = u.valToPos(xs[i], "x", true), a = u.valToPos(lo, s.scale, true), b = u.valToPos(hi, s.scale, true);
              ctx.beginPath();
              ctx.moveTo(x, a); ctx.lineTo(x, b);
              ctx.moveTo(x - 4 * dpr, a); ctx.lineTo(x + 4 * dpr, a);
              ctx.moveTo(x - 4 * dpr, b); ctx.lineTo(x + 4 * dpr, b);
              ctx.stroke();
            }
          });
          (c.lines || []).forEach(function (ln) {
            var scale = ln.axis || "y";
            if (!u.scales[scale] || u.scales[scale].min === null) return;
            var y = u.valToPos(ln.value, scale, true);
            if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) return;
            ctx.strokeStyle = ln.color || "#444";
            ctx.setLineDash([6 * dpr, 4 * dpr]);
            ctx.lineWidth = 1.25 * dpr;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.setLineDash([]);
            ctx.fillStyle = ln.color || "#444";
            ctx.font = (11 * dpr) + "px sans-serif";
            ctx.fillText(ln.label, u.bbox.left + 6 * dpr, y - 4 * dpr);
          });
          ctx.restore();
        }
      }
    };
  }

  function paths(s) {
    if (s.style === "points" || s.style === "bars") return function () { return null; };
    if (s.style === "step") return uPlot.paths.stepped({ align: 1 });
    return undefined;
  }

  // nearest point in two dimensions for scatter charts, so the tooltip names the run under the cursor
  function nearest2d(c) {
    return function (u, si, closest) {
      if (!c.hover || c.series.every(function (s) { return s.style !== "points"; })) return closest;
      var cx = u.cursor.left, cy = u.cursor.top, best = closest, bestD = Infinity;
      if (cx === undefined || cx < 0) return closest;
      for (var k = 1; k < u.data.length; k++) {
        if (!u.series[k].show) continue;
        for (var i = 0; i < u.data[0].length; i++) {
          var v = u.data[k][i];
          if (v === null || v === undefined) continue;
          var dx = u.valToPos(u.data[0][i], "x") - cx, dy = u.valToPos(v, u.series[k].scale) - cy;
          var d = dx * dx + dy * dy;
          if (d < bestD) { bestD = d; best = i; }
        }
      }
      return best;
    };
  }

  function build(c, el) {
    var width = Math.max(320, el.clientWidth || 900);
    var cats = c.x.kind === "category" ? c.x.categories : null;
    var xScale = { time: c.x.kind === "time" };
    if (c.x.log) xScale.distr = 3;
    if (cats) { xScale.range = [-0.5, cats.length - 0.5]; }
    var yScale = { auto: true };
    if (c.y.log) yScale.distr = 3;
    if (c.y.min !== undefined || c.y.max !== undefined) {
      yScale.range = function (u, lo, hi) { return [c.y.min !== undefined ? c.y.min : lo, c.y.max !== undefined ? c.y.max : hi]; };
    } else if (c.series.some(function (s) { return s.style === "bars"; })) {
      yScale.range = function (u, lo, hi) { return [Math.min(0, lo), hi > 0 ? hi * 1.08 : 1]; };
    }
    var scales = { x: xScale, y: yScale };
    var axes = [
      {
        label: c.x.label, size: 46,
        values: cats ? function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) && cats[t] !== undefined ? cats[t] : ""; }); } : undefined,
        splits: cats ? function () { return cats.map(function (_, i) { return i; }); } : undefined
      },
      { label: c.y.label, scale: "y", size: 64, values: tickLabels }
    ];
    if (c.y2) {
      scales.y2 = { auto: true };
      axes.push({ label: c.y2.label, scale: "y2", side: 1, size: 64, grid: { show: false }, values: tickLabels });
    }
    var series = [{ label: c.x.label, value: cats ? function (u, v) { return v === null ? "–" : cats[v]; } : c.x.kind === "time" ? undefined : function (u, v) { return fmt(v); } }];
    c.series.forEach(function (s) {
      series.push({
        label: s.label, stroke: s.color, width: s.style === "points" ? 0 : 1.5, scale: s.axis || "y", dash: s.dash,
        spanGaps: !!s.spanGaps, paths: paths(s),
        points: s.style === "points" ? { show: true, size: 7, fill: s.color, stroke: s.color } : { show: false },
        value: function (u, v) { return fmt(v); }
      });
    });
    var opts = {
      width: width, height: 300, scales: scales, axes: axes, series: series,
      cursor: { dataIdx: nearest2d(c), points: { show: false } },
      legend: { live: true },
      plugins: [tooltipPlugin(c), overlayPlugin(c)]
    };
    if (c.x.kind === "time") opts.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); };
    var u = new uPlot(opts, c.data, el);
    state.charts[c.id] = u;
    return u;
  }

  spec.charts.forEach(function (c) {
    var el = document.getElementById("plot-" + c.id);
    try { build(c, el); } catch (e) { console.error("chart " + c.id + ": " + e); }
  });

  window.addEventListener("resize", function () {
    Object.keys(state.charts).forEach(function (id) {
      var u = state.charts[id], el = document.getElementById("plot-" + id);
      u.setSize({ width: Math.max(320, el.clientWidth), height: 300 });
    });
  });

  // tables: click a header to sort (again to reverse); inputs below the headers filter rows
  // (text: substring; numbers: >x, <x, >=x, <=x, =x or a substring)
  function cellValue(td) {
    var n = td.getAttribute("data-n");
    return n !== null ? Number(n) : td.textContent;
  }
  function matches(td, f) {
    if (!f) return true;
    var m = /^(>=|<=|>|<|=)\s*(-?[0-9.eE+-]+)$/.exec(f);
    var n = td.getAttribute("data-n");
    if (m && n !== null) {
      var a = Number(n), b = Number(m[2]);
      return m[1] === ">" ? a > b : m[1] === "<" ? a < b : m[1] === ">=" ? a >= b : m[1] === "<=" ? a <= b : a === b;
    }
    return td.textContent.toLowerCase().indexOf(f.toLowerCase()) >= 0;
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.interactive"), function (table) {
    var tbody = table.tBodies[0];
    var heads = table.querySelectorAll("thead tr.names th");
    var inputs = table.querySelectorAll("thead tr.filters input");
    var dir = {};
    Array.prototype.forEach.call(heads, function (th, k) {
      th.addEventListener("click", function () {
        dir[k] = dir[k] === 1 ? -1 : 1;
        var rows = Array.prototype.slice.call(tbody.rows);
        rows.sort(function (a, b) {
          var x = cellValue(a.cells[k]), y = cellValue(b.cells[k]);
          if (typeof x === "number" && typeof y === "number") {
            if (isNaN(x)) return 1; if (isNaN(y)) return -1;
            return (x - y) * dir[k];
          }
          return String(x).localeCompare(String(y)) * dir[k];
        });
        rows.forEach(function (r) { tbody.appendChild(r); });
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("data-sort"); });
        th.setAttribute("data-sort", dir[k] === 1 ? "asc" : "desc");
      });
    });
    function filter() {
      var fs = Array.prototype.map.call(inputs, function (i) { return i.value.trim(); });
      var shown = 0;
      Array.prototype.forEach.call(tbody.rows, function (r) {
        var ok = fs.every(function (f, k) { return matches(r.cells[k], f); });
        r.style.display = ok ? "" : "none";
        if (ok) shown++;
      });
      var counter = document.getElementById(table.id + "-count");
      if (counter) counter.textContent = shown + " of " + tbody.rows.length + " rows";
    }
    Array.prototype.forEach.call(inputs, function (i) { i.addEventListener("input", filter); });
  });
  // milliseconds from navigation start until every chart and table is live (bench/report.mjs reads it)
  state.readyMs = performance.now();
  state.ready = true;
})();
`;
