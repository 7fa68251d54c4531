import { earlierEvents } from './earlier-events.js';
import type { Finding, Rule, SecurityEvent } from './types.js';

/**
 * A successful login from a country or a device that none of the account's
 * earlier successful logins came from (within the history kept, up to 90
 * days). Countries compare case-insensitively, devices exactly.
 *
 * A first login ever is not an anomaly: with no earlier successful login
 * there is no finding. The same holds per attribute: a country (device) is
 * only "new" when at least one earlier successful login carried a country
 * (device), so a source that starts sending devices today does not flag
 * every account at once.
 */
export const newCountryOrDevice: Rule = (input) => {
  const { event } = input;
  if (event.type !== 'login.success') return undefined;
  const earlier = earlierEvents(input, (e) => e.type === 'login.success');
  const knownCountries = seen(earlier, (e) => e.country?.toUpperCase());
  const knownDevices = seen(earlier, (e) => e.device);
  const newCountry = unseen(event.country?.toUpperCase(), knownCountries);
  const newDevice = unseen(event.device, knownDevices);
  if (newCountry === undefined && newDevice === undefined) return undefined;

  const evidence: Finding['evidence'] = { at: new Date(event.at).toISOString(), earlierLogins: earlier.length };
  if (newCountry !== undefined) Object.assign(evidence, { country: newCountry, knownCountries: [...knownCountries].join(', ') });
  if (newDevice !== undefined) Object.assign(evidence, { device: newDevice, knownDevices: knownDevices.size });
  if (event.ip !== undefined) evidence['ip'] = event.ip;
  return {
    rule: 'new-country-or-device',
    subject: event.actor,
    severity: newCountry !== undefined ? 'medium' : 'low',
    summary: `${event.actor} logged in from ${describeNovelty(newCountry, newDevice)} not seen for this account before.`,
    evidence,
  };
};

/** The value when there is a baseline to compare with and it is not in it. */
function unseen(value: string | undefined, known: ReadonlySet<string>): string | undefined {
  return value !== undefined && known.size > 0 && !known.has(value) ? value : undefined;
}

function seen(events: readonly SecurityEvent[], pick: (e: SecurityEvent) => string | undefined): Set<string> {
  return new Set(events.flatMap((e) => {
    const value = pick(e);
    return value === undefined ? [] : [value];
  }));
}

function describeNovelty(country: string | undefined, device: string | undefined): string {
  if (country !== undefined && device !== undefined) return `a new country (${country}) and a new device (${device})`;
  if (country !== undefined) return `a new country (${country})`;
  return `a new device (${device ?? ''})`;
}
