import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Countries } from 'world-countries';
import { renderCountryCentroids } from '../../../scripts/render-country-centroids.js';
import { COUNTRY_CENTROIDS } from '../../../src/core/security/rules/country-centroids-data.js';
import { centroidOf } from '../../../src/core/security/rules/country-centroids.js';

/**
 * The centroid table is generated from `world-countries` (a devDependency) so
 * the bot does not load 22 MB at start. These checks fail when the committed
 * table is stale: after upgrading the package, run
 * `node --import tsx scripts/generate-country-centroids.ts`.
 */

const require = createRequire(import.meta.url);
const countries = require('world-countries') as Countries;
const { version } = require('world-countries/package.json') as { version: string };

describe('the generated country centroid table', () => {
  it('is exactly what the generator writes from the installed world-countries', () => {
    const committed = readFileSync(new URL('../../../src/core/security/rules/country-centroids-data.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderCountryCentroids(countries, version));
  });

  it('has every alpha-2 code the package lists, and nothing else', () => {
    expect(Object.keys(COUNTRY_CENTROIDS).sort()).toEqual(countries.map((c) => c.cca2).sort());
    expect(Object.keys(COUNTRY_CENTROIDS)).toHaveLength(250);
  });

  it('keeps each centroid within 0.005° of the package\'s own coordinates', () => {
    for (const c of countries) {
      const [lat, lon] = COUNTRY_CENTROIDS[c.cca2]!;
      expect(Math.abs(lat - c.latlng[0]), c.cca2).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(lon - c.latlng[1]), c.cca2).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  });

  it('gives known centroids, rounded to two decimals, and nothing for unknown or inherited names', () => {
    expect(centroidOf('de')).toEqual({ lat: 51, lon: 9 });
    expect(centroidOf('BR')).toEqual({ lat: -10, lon: -55 });
    expect(centroidOf('AT')).toEqual({ lat: 47.33, lon: 13.33 });
    expect(centroidOf('SG')).toEqual({ lat: 1.37, lon: 103.8 });
    expect(centroidOf('CONSTRUCTOR')).toBeUndefined();
    expect(centroidOf('')).toBeUndefined();
  });
});
