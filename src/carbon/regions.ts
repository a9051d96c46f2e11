/**
 * `--region`: Vidur-Energy's 15 regions (PUE, carbon intensity, electricity price; profiles/regions/
 * vidur-energy.json) or a country from Ember's yearly data (CC-BY-4.0; profiles/regions/countries.json), by
 * ISO alpha-3 code or lower-case name (`united_kingdom`, `gbr`).
 *
 * @example
 * findRegion("california")  // { pue: 1.2, carbonIntensity: 350.861, electricityUsdPerKwh: 0.18, ... }
 * findRegion("FRA")         // Ember 2023: 56.04 g/kWh, PUE from the survey default
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { closestNames } from "../profiles/closest.js";
import { defaultProfilesDir } from "../core/repo-root.js";

export interface Region {
  key: string;
  pue: number;
  carbonIntensity: number;
  electricityUsdPerKwh: number | null;
  source: string;
}

interface VidurRegions {
  source: string;
  default: string;
  regions: Record<string, { pue: number; carbon_intensity_g_per_kwh: number; electricity_usd_per_kwh: number; claimed_sources: string }>;
}
interface Countries {
  source: string;
  default_pue: number;
  default_pue_source: string;
  countries: Record<string, { name: string; year: number; carbon_intensity_g_per_kwh: number }>;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (e) {
    throw InputError.at(file, undefined, undefined, `cannot be read as JSON (${(e as Error).message})`);
  }
}

/** How outputs cite a regions file: relative to the catalogue, so results carry no machine paths. */
function cite(dir: string, file: string): string {
  return dir === defaultProfilesDir() ? `profiles/regions/${file}` : join(dir, "regions", file);
}

export function findRegion(name: string, dir: string = defaultProfilesDir()): Region {
  const vFile = join(dir, "regions", "vidur-energy.json");
  const cFile = join(dir, "regions", "countries.json");
  const v = readJson<VidurRegions>(vFile);
  const key = name.trim().toLowerCase();
  const r = v.regions[key];
  if (r) {
    return {
      key,
      pue: r.pue,
      carbonIntensity: r.carbon_intensity_g_per_kwh,
      electricityUsdPerKwh: r.electricity_usd_per_kwh,
      source: `${cite(dir, "vidur-energy.json")}: ${key} (${r.claimed_sources}); ${v.source}`,
    };
  }
  const c = readJson<Countries>(cFile);
  for (const [code, e] of Object.entries(c.countries)) {
    if (code.toLowerCase() === key || e.name.toLowerCase().replace(/ /g, "_") === key) {
      return {
        key: code,
        pue: c.default_pue,
        carbonIntensity: e.carbon_intensity_g_per_kwh,
        electricityUsdPerKwh: null,
        source: `${cite(dir, "countries.json")}: ${e.name} ${e.year} (${c.source}); PUE ${c.default_pue}: ${c.default_pue_source}`,
      };
    }
  }
  const all = [
    ...Object.keys(v.regions),
    ...Object.keys(c.countries).map((k) => k.toLowerCase()),
    ...Object.values(c.countries).map((e) => e.name.toLowerCase().replace(/ /g, "_")),
  ];
  throw new InputError(
    `--region "${name}" is unknown; closest: ${closestNames(key, all, 4).join(", ")} (15 Vidur-Energy regions or an ISO alpha-3 country code)`,
  );
}
