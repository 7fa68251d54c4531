import { describe, expect, it } from 'vitest';
import { centroidOf } from '../../../src/core/security/rules/country-centroids.js';
import { distanceKm } from '../../../src/core/security/rules/distance-km.js';
import { impossibleTravel } from '../../../src/core/security/rules/impossible-travel.js';
import { DEFAULT_THRESHOLDS, type SecurityEvent } from '../../../src/core/security/rules/types.js';
import { ACTOR, DAY, HOUR, MINUTE, T0, event, input } from './fixtures.js';

const BERLIN = { lat: 52.52, lon: 13.405 };
const POTSDAM = { lat: 52.3906, lon: 13.0645 };
const MUNICH = { lat: 48.1351, lon: 11.582 };
const PARIS = { lat: 48.8566, lon: 2.3522 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };

const login = (at: number, over: Partial<SecurityEvent>) => event('login.success', at, over);

describe('impossibleTravel', () => {
  it('fires for Germany then Japan within an hour, located by country centroids', () => {
    const finding = impossibleTravel(input(login(T0, { country: 'JP', ip: '192.0.2.1' }), [login(T0 - HOUR, { country: 'DE', ip: '198.51.100.1' })]));
    expect(finding).toMatchObject({ rule: 'impossible-travel', subject: ACTOR, severity: 'high' });
    expect(finding?.evidence).toMatchObject({ from: 'DE', to: 'JP', distanceKm: 9136, minutesBetween: 60, speedKmh: 9136, maxTravelKmh: 1000, location: 'country centroid', fromIp: '198.51.100.1', toIp: '192.0.2.1' });
    expect(finding?.summary).toBe('alice@example.com logged in from DE and then JP, 9136 km apart within 60 min, faster than 1000 km/h.');
  });

  it('is quiet for Germany then France ten hours later', () => {
    expect(impossibleTravel(input(login(T0, { country: 'FR' }), [login(T0 - 10 * HOUR, { country: 'DE' })]))).toBeUndefined();
  });

  it('fires for Berlin then New York two hours apart by coordinates', () => {
    const finding = impossibleTravel(input(login(T0, { ...NEW_YORK, country: 'US' }), [login(T0 - 2 * HOUR, { ...BERLIN, country: 'DE' })]));
    expect(finding?.evidence).toMatchObject({ distanceKm: 6385, speedKmh: 3193, location: 'coordinates', from: 'DE (52.52, 13.40)', to: 'US (40.71, -74.01)' });
  });

  it('is quiet exactly at the speed limit and fires one millisecond sooner', () => {
    const km = distanceKm(BERLIN, PARIS);
    const atLimitMs = Math.ceil((km / DEFAULT_THRESHOLDS.maxTravelKmh) * HOUR);
    const from = login(T0 - atLimitMs, BERLIN);
    expect(impossibleTravel(input(login(T0, PARIS), [from]))).toBeUndefined();
    expect(impossibleTravel(input(login(T0 - 1, PARIS), [from]))?.evidence['distanceKm']).toBe(877);
  });

  it('honours a configured speed limit', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, maxTravelKmh: 500 };
    const finding = impossibleTravel(input(login(T0, { country: 'FR' }), [login(T0 - HOUR, { country: 'DE' })], { thresholds }));
    expect(finding?.evidence).toMatchObject({ distanceKm: 758, maxTravelKmh: 500 });
  });

  it('compares coordinates inside one country when both logins have them', () => {
    expect(impossibleTravel(input(login(T0, { ...MUNICH, country: 'DE' }), [login(T0 - 5 * MINUTE, { ...BERLIN, country: 'DE' })]))?.evidence['distanceKm']).toBe(504);
    expect(impossibleTravel(input(login(T0, { ...POTSDAM, country: 'DE' }), [login(T0 - 10 * MINUTE, { ...BERLIN, country: 'DE' })]))).toBeUndefined();
  });

  it('ignores two logins in the same country when either lacks coordinates', () => {
    expect(impossibleTravel(input(login(T0, { ...MUNICH, country: 'DE' }), [login(T0 - MINUTE, { country: 'DE' })]))).toBeUndefined();
    expect(impossibleTravel(input(login(T0, { country: 'de' }), [login(T0 - MINUTE, { ...BERLIN, country: 'DE' })]))).toBeUndefined();
  });

  it('mixes coordinates and a centroid across countries', () => {
    const finding = impossibleTravel(input(login(T0, { country: 'JP' }), [login(T0 - HOUR, { ...BERLIN, country: 'DE' })]));
    expect(finding?.evidence['location']).toBe('coordinates and country centroid');
  });

  it('compares with the latest earlier located login, not an older one', () => {
    const history = [login(T0 - 10 * HOUR, { country: 'JP' }), login(T0 - HOUR, { country: 'DE' }), login(T0 - 30 * MINUTE, {})];
    expect(impossibleTravel(input(login(T0, { country: 'FR' }), history))).toBeUndefined();
    const reordered = [history[1], history[0]].filter((e) => e !== undefined);
    expect(impossibleTravel(input(login(T0, { country: 'FR' }), reordered))).toBeUndefined();
  });

  it('does not compare with failed logins', () => {
    const history = [login(T0 - DAY, { country: 'DE' }), event('login.failure', T0 - 5 * MINUTE, { country: 'JP' })];
    expect(impossibleTravel(input(login(T0, { country: 'DE' }), history))).toBeUndefined();
  });

  it('fires for two logins at the same instant from different countries', () => {
    const finding = impossibleTravel(input(login(T0, { country: 'FR' }), [login(T0, { country: 'DE' })]));
    expect(finding?.evidence['speedKmh']).toBe('same instant');
    expect(finding?.summary).toContain('at the same instant');
  });

  it('is quiet without a place for either login, or with an unknown country code', () => {
    expect(impossibleTravel(input(login(T0, {}), [login(T0 - MINUTE, { country: 'JP' })]))).toBeUndefined();
    expect(impossibleTravel(input(login(T0, { country: 'ZZ' }), [login(T0 - MINUTE, { country: 'JP' })]))).toBeUndefined();
    expect(impossibleTravel(input(login(T0, { country: 'JP' }), [login(T0 - MINUTE, { ip: '192.0.2.1' })]))).toBeUndefined();
    expect(impossibleTravel(input(login(T0, { country: 'JP' })))).toBeUndefined();
  });

  it('ignores events other than successful logins', () => {
    expect(impossibleTravel(input(event('login.failure', T0, { country: 'JP' }), [login(T0 - MINUTE, { country: 'DE' })]))).toBeUndefined();
  });
});

describe('centroidOf and distanceKm', () => {
  it('gives country centroids from the world-countries data, in any letter case', () => {
    expect(centroidOf('DE')).toEqual({ lat: 51, lon: 9 });
    expect(centroidOf('jp')).toEqual({ lat: 36, lon: 138 });
    expect(centroidOf('US')).toEqual({ lat: 38, lon: -97 });
    expect(centroidOf('ZZ')).toBeUndefined();
  });

  it('measures great-circle distances like published city-to-city figures', () => {
    expect(distanceKm(BERLIN, PARIS)).toBeCloseTo(877.5, 0);
    expect(distanceKm(BERLIN, BERLIN)).toBe(0);
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(20015.1, 0);
  });
});
