import { centroidOf } from './country-centroids.js';
import { distanceKm } from './distance-km.js';
import { earlierEvents } from './earlier-events.js';
import type { Rule, SecurityEvent } from './types.js';

interface Place {
  lat: number;
  lon: number;
  /** Where the point came from, for the evidence. */
  from: 'coordinates' | 'country centroid';
  country?: string;
}

/**
 * Two successful logins, this one and the account's latest earlier one that
 * has a location, further apart than `thresholds.maxTravelKmh` allows for the
 * time between them (default 1000 km/h, faster than flights allow). A login's
 * location is its lat/lon when both are present, else its country's
 * centroid; a login with neither is skipped. Two logins in the same country
 * where either lacks coordinates are not compared (a centroid cannot tell
 * places inside a country apart). Distance is great-circle (haversine).
 * Fires when the speed is strictly above the limit; two logins at the same
 * instant from different places fire.
 */
export const impossibleTravel: Rule = (input) => {
  const { event, thresholds } = input;
  if (event.type !== 'login.success') return undefined;
  const here = placeOf(event);
  if (here === undefined) return undefined;
  const previous = latestLocated(earlierEvents(input, (e) => e.type === 'login.success'));
  if (previous === undefined) return undefined;
  const { event: before, place: there } = previous;
  if (sameCountry(here, there) && (here.from !== 'coordinates' || there.from !== 'coordinates')) return undefined;

  const km = distanceKm(there, here);
  const ms = event.at - before.at;
  const kmh = ms > 0 ? km / (ms / 3600_000) : km > 0 ? Infinity : 0;
  if (kmh <= thresholds.maxTravelKmh) return undefined;
  return {
    rule: 'impossible-travel',
    subject: event.actor,
    severity: 'high',
    summary: `${event.actor} logged in from ${describe(there)} and then ${describe(here)}, ${Math.round(km)} km apart ${describeGap(ms)}, faster than ${thresholds.maxTravelKmh} km/h.`,
    evidence: {
      from: describe(there),
      fromAt: new Date(before.at).toISOString(),
      ...(before.ip === undefined ? {} : { fromIp: before.ip }),
      to: describe(here),
      toAt: new Date(event.at).toISOString(),
      ...(event.ip === undefined ? {} : { toIp: event.ip }),
      distanceKm: Math.round(km),
      minutesBetween: Math.round(ms / 60_000),
      speedKmh: Number.isFinite(kmh) ? Math.round(kmh) : 'same instant',
      maxTravelKmh: thresholds.maxTravelKmh,
      location: here.from === there.from ? here.from : 'coordinates and country centroid',
    },
  };
};

/** The login's place: coordinates when both are numbers, else the country's centroid. */
export function placeOf(e: SecurityEvent): Place | undefined {
  const { lat, lon } = e;
  const country = e.country?.toUpperCase();
  if (lat !== undefined && lon !== undefined && Number.isFinite(lat) && Number.isFinite(lon)) {
    return country === undefined ? { lat, lon, from: 'coordinates' } : { lat, lon, from: 'coordinates', country };
  }
  if (country === undefined) return undefined;
  const centroid = centroidOf(country);
  return centroid === undefined ? undefined : { ...centroid, from: 'country centroid', country };
}

function latestLocated(logins: readonly SecurityEvent[]): { event: SecurityEvent; place: Place } | undefined {
  let latest: { event: SecurityEvent; place: Place } | undefined;
  for (const e of logins) {
    if (latest !== undefined && e.at < latest.event.at) continue;
    const place = placeOf(e);
    if (place !== undefined) latest = { event: e, place };
  }
  return latest;
}

const sameCountry = (a: Place, b: Place) => a.country !== undefined && a.country === b.country;

function describe(p: Place): string {
  const point = `${p.lat.toFixed(2)}, ${p.lon.toFixed(2)}`;
  if (p.from === 'coordinates') return p.country ? `${p.country} (${point})` : point;
  return p.country ?? point;
}

function describeGap(ms: number): string {
  if (ms <= 0) return 'at the same instant';
  if (ms < 60_000) return `within ${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3600_000) return `within ${Math.round(ms / 60_000)} min`;
  return `within ${(ms / 3600_000).toFixed(1)} h`;
}
