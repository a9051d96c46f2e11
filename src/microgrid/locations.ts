/**
 * `--location`: Vidur-Energy's ten cities (its `vidur_vessim` CLI), with coordinates, IANA zone and the column
 * of Solcast's 2022 global trace that the pipeline used. Coordinates: city centres (WGS84).
 *
 * @example
 * findLocation("san francisco").zone; // "America/Los_Angeles"
 */
import { InputError } from "../core/errors.js";
import { closestNames } from "../profiles/closest.js";

export interface Location {
  name: string;
  lat: number;
  lon: number;
  zone: string;
  solcastColumn: string;
}

export const LOCATIONS: readonly Location[] = [
  { name: "Berlin", lat: 52.52, lon: 13.405, zone: "Europe/Berlin", solcastColumn: "Berlin" },
  { name: "Cape Town", lat: -33.9249, lon: 18.4241, zone: "Africa/Johannesburg", solcastColumn: "Cape Town" },
  { name: "Hong Kong", lat: 22.3193, lon: 114.1694, zone: "Asia/Hong_Kong", solcastColumn: "Hong Kong" },
  { name: "Lagos", lat: 6.5244, lon: 3.3792, zone: "Africa/Lagos", solcastColumn: "Lagos" },
  { name: "Mexico City", lat: 19.4326, lon: -99.1332, zone: "America/Mexico_City", solcastColumn: "Mexico City" },
  { name: "Mumbai", lat: 19.076, lon: 72.8777, zone: "Asia/Kolkata", solcastColumn: "Mumbai" },
  { name: "San Francisco", lat: 37.7749, lon: -122.4194, zone: "America/Los_Angeles", solcastColumn: "San Francisco" },
  { name: "Stockholm", lat: 59.3293, lon: 18.0686, zone: "Europe/Stockholm", solcastColumn: "Stockholm" },
  { name: "Sydney", lat: -33.8688, lon: 151.2093, zone: "Australia/Sydney", solcastColumn: "Sydney" },
  { name: "São Paulo", lat: -23.5505, lon: -46.6333, zone: "America/Sao_Paulo", solcastColumn: "São Paulo" },
];

const key = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .trim();

export function findLocation(name: string): Location {
  const k = key(name);
  const found = LOCATIONS.find((l) => key(l.name) === k);
  if (!found) {
    throw new InputError(
      `--location "${name}" is unknown; allowed: ${LOCATIONS.map((l) => l.name).join(", ")} (closest: ${closestNames(
        k,
        LOCATIONS.map((l) => key(l.name)),
        2,
      ).join(", ")})`,
    );
  }
  return found;
}
