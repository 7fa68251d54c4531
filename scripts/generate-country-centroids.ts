/**
 * Writes src/core/security/rules/country-centroids-data.ts from the
 * `world-countries` package (a devDependency: 22 MB the running bot should
 * not load). Run after upgrading the package:
 *
 *   node --import tsx scripts/generate-country-centroids.ts
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Countries } from 'world-countries';
import { renderCountryCentroids } from './render-country-centroids.js';

// CommonJS with a JSON main: an ESM import would need an import attribute in Node 20.
const require = createRequire(import.meta.url);
const countries = require('world-countries') as Countries;
const { version } = require('world-countries/package.json') as { version: string };

const target = new URL('../src/core/security/rules/country-centroids-data.ts', import.meta.url);
writeFileSync(target, renderCountryCentroids(countries, version));
console.log(`wrote ${countries.length} country centroids to ${target.pathname}`);
