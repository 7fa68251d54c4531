import { changeBurst } from './change-burst.js';
import { denialBurst } from './denial-burst.js';
import { failedLoginBurst } from './failed-login-burst.js';
import { impossibleTravel } from './impossible-travel.js';
import { largeExport } from './large-export.js';
import { newCountryOrDevice } from './new-country-or-device.js';
import type { Finding, Rule, RuleInput } from './types.js';
import { unusualHours } from './unusual-hours.js';

export * from './types.js';
export { centroidOf } from './country-centroids.js';
export { changeBurst, denialBurst, failedLoginBurst, impossibleTravel, largeExport, newCountryOrDevice, unusualHours };

/** Every anomaly rule, in the order their findings are reported. */
export const RULES: Rule[] = [failedLoginBurst, newCountryOrDevice, impossibleTravel, unusualHours, largeExport, changeBurst, denialBurst];

/** Runs every rule on one event and returns what they found (none, one or several). */
export function evaluate(input: RuleInput): Finding[] {
  return RULES.flatMap((rule) => rule(input) ?? []);
}
