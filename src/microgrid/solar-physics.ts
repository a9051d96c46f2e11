/**
 * Solar power from physics for any latitude/longitude: sun position from suncalc (apparent altitude, azimuth
 * from north), clear-sky irradiance from the Ineichen-Perez model (Linke turbidity TL, sea level; Kasten-Young
 * 1989 air mass; Spencer 1971 extraterrestrial irradiance), transposition to the panel plane with an isotropic
 * sky and ground albedo 0.2, then PVWatts v5: cell temperature NOCT-style (ambient 20 °C, NOCT 45 °C, no wind
 * data), power temperature coefficient −0.47 %/°C, system losses (default 14 %) and the PVWatts inverter curve
 * (nominal efficiency 96 %, DC/AC ratio 1.2). An optional clearness trace (0..1) scales the irradiance.
 * Steps of 5 minutes or more are the mean of samples at the midpoints of 5-minute slices of the whole step (a
 * shorter last step of a run takes its whole step's mean); shorter steps integrate 5-minute samples linearly.
 *
 * @example
 * ineichen(10.56413562, 0.93527685, 3, 0, 1364).ghi; // 1044.12 W/m² (pvlib's Tucson test value)
 */
import { getPosition } from "suncalc";
import { stepMeans, tableFromPoints } from "../carbon/intensity.js";
import type { StepGrid } from "./traces.js";

const DEG = Math.PI / 180;

export interface ClearSky {
  ghi: number;
  dni: number;
  dhi: number;
}

/** Kasten & Young (1989) relative air mass at apparent zenith z (degrees); NaN below the horizon. */
export function relativeAirMass(zenithDeg: number): number {
  if (zenithDeg >= 90) return Number.NaN;
  return 1 / (Math.cos(zenithDeg * DEG) + 0.50572 * Math.pow(6.07995 + (90 - zenithDeg), -1.6364));
}

/** Spencer (1971) extraterrestrial normal irradiance on day of year `doy` (W/m²), solar constant 1366.1. */
export function extraterrestrial(doy: number): number {
  const b = (2 * Math.PI * (doy - 1)) / 365;
  return 1366.1 * (1.00011 + 0.034221 * Math.cos(b) + 0.00128 * Math.sin(b) + 0.000719 * Math.cos(2 * b) + 0.000077 * Math.sin(2 * b));
}

/**
 * Ineichen & Perez (2002) clear sky: GHI, DNI, DHI (W/m²) from the apparent zenith (degrees), absolute air mass,
 * Linke turbidity, site altitude (m) and extraterrestrial irradiance.
 */
export function ineichen(zenithDeg: number, airMassAbs: number, tl: number, altitude: number, dniExtra: number): ClearSky {
  if (!(zenithDeg < 90) || !Number.isFinite(airMassAbs)) return { ghi: 0, dni: 0, dhi: 0 };
  const cosZ = Math.cos(zenithDeg * DEG);
  const fh1 = Math.exp(-altitude / 8000);
  const fh2 = Math.exp(-altitude / 1250);
  const cg1 = 5.09e-5 * altitude + 0.868;
  const cg2 = 3.92e-5 * altitude + 0.0387;
  const ghi = Math.max(0, cg1 * dniExtra * cosZ * Math.exp(-cg2 * airMassAbs * (fh1 + fh2 * (tl - 1))));
  const b = 0.664 + 0.163 / fh1;
  const bnci = dniExtra * Math.max(0, b * Math.exp(-0.09 * airMassAbs * (tl - 1)));
  const bnci2 = ghi * Math.min(Math.max((1 - (0.1 - 0.2 * Math.exp(-tl)) / (0.1 + 0.882 / fh1)) / cosZ, 0), 1e20);
  const dni = Math.min(bnci, bnci2);
  return { ghi, dni, dhi: ghi - dni * cosZ };
}

export interface PanelSettings {
  lat: number;
  lon: number;
  /** Degrees from horizontal. */
  tilt: number;
  /** Degrees clockwise from north. */
  azimuth: number;
  /** DC nameplate (W at 1000 W/m², 25 °C). */
  peakW: number;
  losses: number;
  inverterEfficiency: number;
  linkeTurbidity: number;
}

const ALBEDO = 0.2;
const T_AMBIENT = 20;
const NOCT = 45;
const GAMMA = -0.0047;
const DC_AC_RATIO = 1.2;
const PVWATTS_ETA_REF = 0.9637;

/** Plane-of-array irradiance (W/m²): beam on the tilted plane, isotropic sky diffuse, ground-reflected. */
export function planeOfArray(sky: ClearSky, zenithDeg: number, sunAzimuthDeg: number, tilt: number, panelAzimuth: number): number {
  if (sky.ghi <= 0) return 0;
  const z = zenithDeg * DEG;
  const t = tilt * DEG;
  const cosAoi = Math.cos(z) * Math.cos(t) + Math.sin(z) * Math.sin(t) * Math.cos((sunAzimuthDeg - panelAzimuth) * DEG);
  return sky.dni * Math.max(0, cosAoi) + (sky.dhi * (1 + Math.cos(t))) / 2 + (sky.ghi * ALBEDO * (1 - Math.cos(t))) / 2;
}

/** PVWatts v5 AC power (W) from plane-of-array irradiance. */
export function pvwattsAc(poa: number, p: PanelSettings): number {
  if (poa <= 0) return 0;
  const tCell = T_AMBIENT + (poa / 800) * (NOCT - 20);
  const dc = p.peakW * (poa / 1000) * (1 + GAMMA * (tCell - 25)) * (1 - p.losses);
  if (dc <= 0) return 0;
  const acMax = p.peakW / DC_AC_RATIO;
  const dc0 = acMax / p.inverterEfficiency;
  const zeta = dc / dc0;
  const eta = (p.inverterEfficiency / PVWATTS_ETA_REF) * (-0.0162 * zeta - 0.0059 / zeta + 0.9858);
  return Math.max(0, Math.min(acMax, eta * dc));
}

function dayOfYear(ms: number): number {
  const d = new Date(ms);
  return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

/** AC power (W) at one instant (ms since epoch), with clear-sky irradiance × clearness. */
export function solarPowerAt(ms: number, p: PanelSettings, clearness = 1): number {
  const pos = getPosition(new Date(ms), p.lat, p.lon);
  const zenith = 90 - pos.altitude;
  if (zenith >= 90) return 0;
  const am = relativeAirMass(zenith);
  const sky = ineichen(zenith, am, p.linkeTurbidity, 0, extraterrestrial(dayOfYear(ms)));
  const poa = planeOfArray(sky, zenith, pos.azimuth, p.tilt, p.azimuth) * clearness;
  return pvwattsAc(poa, p);
}

/** Sampling interval of the sun's position (s): steps of 5 minutes or more take midpoints of 5-minute slices. */
const SAMPLE_S = 300;

/**
 * Mean AC power over each grid step; `clearness` (optional) gives the step's clearness. Steps shorter than 5
 * minutes integrate the power sampled every 5 minutes and interpolated linearly (the sun moves ≈ 1.25° in 5
 * minutes; one sun position per minute step would make a year of physics cost 5× more for no visible change).
 * With a clearness trace (it scales the irradiance before the non-linear temperature and inverter terms) every
 * step is sampled itself.
 */
export function solarStepMeans(startMs: number, grid: StepGrid, p: PanelSettings, clearness?: Float64Array): Float64Array {
  if (grid.step < SAMPLE_S && !clearness) {
    const nodes = Math.ceil((grid.steps * grid.step) / SAMPLE_S) + 1;
    const t = new Float64Array(nodes);
    const v = new Float64Array(nodes);
    for (let j = 0; j < nodes; j++) {
      t[j] = j * SAMPLE_S;
      v[j] = solarPowerAt(startMs + t[j] * 1000, p);
    }
    return stepMeans(tableFromPoints(t, v, "linear", SAMPLE_S, "solar physics"), grid.step, grid.steps, grid.steps * grid.step);
  }
  const out = new Float64Array(grid.steps);
  for (let k = 0; k < grid.steps; k++) {
    // whole steps, also for a shorter last one (so in-loop tables, tabulated per step, agree exactly)
    const a = k * grid.step;
    const b = (k + 1) * grid.step;
    const slices = Math.max(1, Math.ceil((b - a) / 300));
    const w = (b - a) / slices;
    let sum = 0;
    for (let i = 0; i < slices; i++) sum += solarPowerAt(startMs + (a + (i + 0.5) * w) * 1000, p, clearness ? clearness[k] : 1);
    out[k] = sum / slices;
  }
  return out;
}
