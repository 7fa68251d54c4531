import { createRequire } from 'node:module';
import type { Countries } from 'world-countries';

/**
 * One representative point per country, from the `world-countries` package
 * (mledoze/countries, ODbL-1.0): its `latlng` field, the country's
 * geographic coordinates as given by the CIA World Factbook, whole or
 * near-whole degrees (DE 51, 9; JP 36, 138; US 38, −97). Good to a hundred
 * kilometres or so, which is all a "could they have flown?" check needs.
 *
 * Loaded through `require` because the package is CommonJS with a JSON main
 * (an ESM import of it would need an import attribute in Node 20).
 */
const countries = createRequire(import.meta.url)('world-countries') as Countries;

const CENTROIDS: ReadonlyMap<string, { lat: number; lon: number }> = new Map(
  countries.map((c) => [c.cca2, { lat: c.latlng[0], lon: c.latlng[1] }]),
);

/** The centroid of an ISO 3166-1 alpha-2 country (any case), or undefined for an unknown code. */
export function centroidOf(alpha2: string): { lat: number; lon: number } | undefined {
  return CENTROIDS.get(alpha2.toUpperCase());
}
