import { COUNTRY_CENTROIDS } from './country-centroids-data.js';

/**
 * Country centroids from the generated table (world-countries' `latlng`, the
 * CIA World Factbook's coordinates: DE 51, 9; JP 36, 138; US 38, −97). Good
 * to a hundred kilometres or so, which is all a "could they have flown?"
 * check needs. A Map, so a code such as `CONSTRUCTOR` finds nothing inherited.
 */
const CENTROIDS: ReadonlyMap<string, { lat: number; lon: number }> = new Map(
  Object.entries(COUNTRY_CENTROIDS).map(([code, [lat, lon]]) => [code, { lat, lon }]),
);

/** The centroid of an ISO 3166-1 alpha-2 country (any case), or undefined for an unknown code. */
export function centroidOf(alpha2: string): { lat: number; lon: number } | undefined {
  return CENTROIDS.get(alpha2.toUpperCase());
}
