// Vessim's ClcBattery: the C-L-C model (Kazhamiaka, Rosenberg, Keshav, Energy Informatics 2019), per cell,
// scaled by the number of cells n. A cell holds b Wh of v2; charging stores η_c·P·Δ, discharging draws
// η_d·|P|·Δ to deliver |P|·Δ. The feasible range at the bus over a step of Δ hours:
//   charge    ≤ n·min((b − v2)/(u2/V − η_c·Δ), α_c·v2)           (upper C-L-C bound b' ≤ u2·I + v2, I = P/V)
//   discharge ≥ n·max((b − v1)/(u1/V − η_d·Δ), α_d·v2, −(b − min_soc·v2)/(η_d·Δ))
// with the cut-offs (a cell never runs below |I_cut|·V) and nothing at all at full / at or below min SoC.
// The min-SoC term is in the range (Vessim main clamps it inside the step instead and loses the difference),
// so a dispatched setpoint is always delivered in full and energy is conserved.
import * as cfg from "../generated/microgrid-config";
import { setRange } from "./common";

let n: f64 = 1;
let b: f64 = 0; // Wh per cell
let minSoc: f64 = 0;
let V: f64 = 3.63;
let u1: f64 = 0;
let v1: f64 = 0;
let u2: f64 = 0;
let v2: f64 = 0;
let alphaD: f64 = 0; // W per cell (negative)
let alphaC: f64 = 0; // W per cell
let etaD: f64 = 1;
let etaC: f64 = 1;
let cutD: f64 = 0; // W per cell (positive magnitude)
let cutC: f64 = 0; // W per cell

export function init(): void {
  n = cfg.clcCells;
  minSoc = cfg.batteryMinSoc;
  V = cfg.clcNominalVoltage;
  u1 = cfg.clcU1;
  v1 = cfg.clcV1;
  u2 = cfg.clcU2;
  v2 = cfg.clcV2;
  alphaD = cfg.clcAlphaD * v2;
  alphaC = cfg.clcAlphaC * v2;
  etaD = cfg.clcEtaD;
  etaC = cfg.clcEtaC;
  cutD = Math.abs(cfg.clcCutoffD) * V;
  cutC = Math.abs(cfg.clcCutoffC) * V;
  b = v2 * cfg.batteryInitialSoc;
}

export function soc(): f64 {
  return v2 > 0 ? b / v2 : 0.0;
}

export function storedWh(): f64 {
  return b * n;
}

export function capacityWh(): f64 {
  return v2 * n;
}

export function range(dt: f64): void {
  const h = dt / 3600.0;
  const s = soc();
  let hi: f64 = 0;
  if (s < 1.0) {
    hi = (b - v2) / (u2 / V - etaC * h);
    if (hi > alphaC) hi = alphaC;
    if (hi < cutC) hi = 0;
  }
  let lo: f64 = 0;
  if (s > minSoc) {
    lo = (b - v1) / (u1 / V - etaD * h);
    if (lo < alphaD) lo = alphaD;
    const toMin = -(b - minSoc * v2) / (etaD * h);
    if (lo < toMin) lo = toMin;
    if (-lo < cutD) lo = 0;
  }
  setRange(lo * n, hi * n);
}

/** Applies p W at the bus (within the range) over dt s; returns the conversion losses in Wh. */
export function apply(p: f64, dt: f64): f64 {
  const h = dt / 3600.0;
  const cell = p / n;
  if (p > 0) {
    b += etaC * cell * h;
    if (b > v2) b = v2;
    return (1.0 - etaC) * p * h;
  }
  if (p < 0) {
    b += etaD * cell * h;
    if (b < minSoc * v2) b = minSoc * v2;
    return (etaD - 1.0) * -p * h;
  }
  return 0;
}
