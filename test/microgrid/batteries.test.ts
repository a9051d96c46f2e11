/**
 * Battery plug-ins and dispatch against hand calculations. C-L-C (Vessim's per-cell defaults, one cell):
 * V 3.63, u1 −0.087, v1 0, u2 −1.326, v2 19.14, α_d −1.5 C, α_c 0.7 C, η_d 1.014, η_c 0.978, cut-offs ±0.05 A.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { initialRange, run, slotsFor } from "./helpers.js";

const clc = (initial: number, min = 0, cells = 1) => ({
  battery: "clc",
  battery_cells: cells,
  battery_initial_soc: initial,
  battery_min_soc: min,
});
const near = (a: number, b: number, tol = 1e-9, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);

test("C-L-C limits at SoC 0.5, one-hour step: charge by the upper bound, discharge by the lower bound", () => {
  const b = 0.5 * 19.14;
  const [lo, hi] = initialRange(slotsFor(clc(0.5), 3600), 3600);
  near(hi, (b - 19.14) / (-1.326 / 3.63 - 0.978 * 1), 1e-12, "hi"); // 7.1243 W
  near(hi, 7.124303, 1e-6);
  // lower C-L-C bound −9.2199 W is above α_d (−28.71 W) and the min-SoC limit (−9.438 W)
  near(lo, (b - 0) / (-0.087 / 3.63 - 1.014 * 1), 1e-12, "lo");
  near(lo, -9.219947, 1e-6);
});

test("C-L-C limits at one-minute steps are the rate limits α_c·v2 = 13.398 W and α_d·v2 = −28.71 W", () => {
  const [lo, hi] = initialRange(slotsFor(clc(0.5, 0, 10), 60), 60);
  near(hi, 133.98, 1e-12);
  near(lo, -287.1, 1e-12);
});

test("C-L-C efficiencies: charging stores η_c·P·Δ, discharging draws η_d·|P|·Δ; losses reported", () => {
  const slots = slotsFor(clc(0.5), 60);
  const ch = run(slots, 60, [0], [10]);
  near(ch.batteryW[0], 10);
  near(ch.storedWh[0], 9.57 + (0.978 * 10) / 60, 1e-12);
  near(ch.lossWh[0], (0.022 * 10) / 60, 1e-12);
  const dis = run(slots, 60, [20], [0]);
  near(dis.batteryW[0], -20);
  near(dis.storedWh[0], 9.57 - (1.014 * 20) / 60, 1e-12);
  near(dis.lossWh[0], (0.014 * 20) / 60, 1e-12);
  near(dis.gridImportW[0], 0);
});

test("C-L-C cut-offs: below 0.05 A (0.1815 W per cell) the battery neither charges nor discharges", () => {
  // nearly full: the upper bound allows (19.14·1e-4)/0.38159 = 0.005 W < 0.1815 W
  const full = run(slotsFor(clc(0.9999), 60), 60, [0], [100]);
  near(full.batteryW[0], 0);
  near(full.gridExportW[0], 100);
  // just above min SoC: 0.001914 Wh over 60 s at η_d is 0.113 W < 0.1815 W
  const low = run(slotsFor(clc(0.3001, 0.3), 60), 60, [100], [0]);
  near(low.batteryW[0], 0);
  near(low.gridImportW[0], 100);
});

test("C-L-C min SoC: the battery delivers exactly down to min SoC and the grid covers the rest (no energy lost)", () => {
  const r = run(slotsFor(clc(0.31, 0.3), 60), 60, [20], [0]);
  const toMin = (0.01 * 19.14) / ((1.014 * 60) / 3600); // 11.325 W
  near(r.batteryW[0], -toMin, 1e-12);
  near(r.gridImportW[0], 20 - toMin, 1e-12);
  near(r.soc[0], 0.3, 1e-12);
});

test("SimpleBattery with c-rate 0.5/h on 1000 Wh: ±500 W, the rest to and from the grid", () => {
  const slots = slotsFor({ battery: "simple", battery_capacity_wh: 1000, battery_initial_soc: 0.5, battery_c_rate: 0.5 }, 60);
  const ch = run(slots, 60, [0], [2000]);
  near(ch.batteryW[0], 500);
  near(ch.gridExportW[0], 1500);
  const dis = run(slots, 60, [800], [0]);
  near(dis.batteryW[0], -500);
  near(dis.gridImportW[0], 300);
  near(dis.storedWh[0], 500 - 500 / 60, 1e-12);
});

test("SimpleBattery without c-rate fills up to capacity within a step, then exports", () => {
  const slots = slotsFor({ battery: "simple", battery_capacity_wh: 100, battery_initial_soc: 0.5 }, 3600);
  const r = run(slots, 3600, [0, 0], [80, 80]);
  near(r.batteryW[0], 50);
  near(r.gridExportW[0], 30);
  near(r.soc[0], 1);
  near(r.batteryW[1], 0);
  near(r.gridExportW[1], 80);
});

test("islanded: unmet load is shortfall (never an error), surplus is curtailed", () => {
  const slots = slotsFor({ battery: "simple", battery_capacity_wh: 100, battery_initial_soc: 0.5, battery_min_soc: 0.2 }, 3600, {
    islanded: true,
  });
  const r = run(slots, 3600, [100, 100, 0, 0], [0, 0, 200, 200]);
  near(r.batteryW[0], -30);
  near(r.shortfallW[0], 70);
  near(r.shortfallW[1], 100);
  near(r.gridImportW[0] + r.gridImportW[1], 0);
  near(r.batteryW[2], 80);
  near(r.curtailedW[2], 120);
  near(r.curtailedW[3], 200);
});

test("fixed charge power: the battery is forced to it (within limits) and the grid takes the rest", () => {
  const slots = slotsFor({ battery: "simple", battery_capacity_wh: 1000, battery_initial_soc: 0.5 }, 60, { chargePowerW: 300 });
  const r = run(slots, 60, [500], [100]);
  near(r.batteryW[0], 300);
  near(r.gridImportW[0], 700);
});

test("energy is conserved to 1e-9 in every step (random loads, solar, steps; both battery models, both modes)", () => {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let trial = 0; trial < 40; trial++) {
    const step = [1, 60, 300, 3600][trial % 4];
    const battery =
      trial % 2 === 0
        ? {
            battery: "clc",
            battery_cells: 1 + Math.floor(rnd() * 50),
            battery_initial_soc: 0.3 + 0.7 * rnd(),
            battery_min_soc: 0.3 * rnd(),
          }
        : {
            battery: "simple",
            battery_capacity_wh: 50 + 2000 * rnd(),
            battery_initial_soc: 0.3 + 0.7 * rnd(),
            battery_min_soc: 0.3 * rnd(),
            battery_c_rate: rnd() < 0.5 ? null : 0.1 + rnd(),
          };
    const n = 200;
    const load = Array.from({ length: n }, () => 1000 * rnd());
    const solar = Array.from({ length: n }, () => (rnd() < 0.4 ? 0 : 2000 * rnd()));
    const slots = slotsFor(battery, step, { islanded: trial % 3 === 0 });
    const r = run(slots, step, load, solar);
    let stored =
      Number(battery.battery_initial_soc) *
      (battery.battery === "clc" ? 19.14 * Number(battery.battery_cells) : Number(battery.battery_capacity_wh));
    for (let k = 0; k < n; k++) {
      const bus = r.solarW[k] + r.gridImportW[k] + r.shortfallW[k] - r.loadW[k] - r.batteryW[k] - r.gridExportW[k] - r.curtailedW[k];
      assert.ok(Math.abs((bus * step) / 3600) < 1e-9 * 3000, `bus balance trial ${trial} step ${k}: ${bus}`);
      const inside = (r.batteryW[k] * step) / 3600 - r.lossWh[k];
      assert.ok(Math.abs(r.storedWh[k] - stored - inside) < 1e-9 * Math.max(1, stored), `battery balance trial ${trial} step ${k}`);
      assert.ok(r.soc[k] >= Number(battery.battery_min_soc) - 1e-12 && r.soc[k] <= 1 + 1e-12, `SoC in range trial ${trial} step ${k}`);
      assert.ok(r.gridImportW[k] >= 0 && r.gridExportW[k] >= 0 && r.shortfallW[k] >= 0 && r.curtailedW[k] >= 0);
      stored = r.storedWh[k];
    }
  }
});

test.run();
