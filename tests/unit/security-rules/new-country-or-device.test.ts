import { describe, expect, it } from 'vitest';
import { newCountryOrDevice } from '../../../src/core/security/rules/new-country-or-device.js';
import { ACTOR, DAY, HOUR, T0, event, input } from './fixtures.js';

const login = (at: number, country?: string, device?: string) =>
  event('login.success', at, { ...(country ? { country } : {}), ...(device ? { device } : {}) });
const usual = [login(T0 - 30 * DAY, 'DE', 'laptop-1'), login(T0 - 2 * DAY, 'DE', 'laptop-1')];

describe('newCountryOrDevice', () => {
  it('treats the first login ever as no anomaly', () => {
    expect(newCountryOrDevice(input(login(T0, 'JP', 'phone-9')))).toBeUndefined();
  });

  it('treats a first successful login after only failures as no anomaly', () => {
    const failures = [event('login.failure', T0 - HOUR, { country: 'DE', device: 'laptop-1' })];
    expect(newCountryOrDevice(input(login(T0, 'JP', 'phone-9'), failures))).toBeUndefined();
  });

  it('is quiet for a login from a known country and a known device', () => {
    expect(newCountryOrDevice(input(login(T0, 'DE', 'laptop-1'), usual))).toBeUndefined();
  });

  it('reports a new country as medium severity with the countries seen before', () => {
    const finding = newCountryOrDevice(input(event('login.success', T0, { country: 'JP', device: 'laptop-1', ip: '192.0.2.7' }), [...usual, login(T0 - DAY, 'FR', 'laptop-1')]));
    expect(finding).toMatchObject({ rule: 'new-country-or-device', subject: ACTOR, severity: 'medium', summary: 'alice@example.com logged in from a new country (JP) not seen for this account before.' });
    expect(finding?.evidence).toMatchObject({ country: 'JP', knownCountries: 'DE, FR', ip: '192.0.2.7', earlierLogins: 3 });
    expect(finding?.evidence).not.toHaveProperty('device');
  });

  it('reports a new device alone as low severity', () => {
    const finding = newCountryOrDevice(input(login(T0, 'DE', 'phone-9'), usual));
    expect(finding).toMatchObject({ severity: 'low', summary: 'alice@example.com logged in from a new device (phone-9) not seen for this account before.' });
    expect(finding?.evidence).toMatchObject({ device: 'phone-9', knownDevices: 1 });
  });

  it('names both when the country and the device are new', () => {
    const finding = newCountryOrDevice(input(login(T0, 'JP', 'phone-9'), usual));
    expect(finding?.summary).toBe('alice@example.com logged in from a new country (JP) and a new device (phone-9) not seen for this account before.');
    expect(finding?.severity).toBe('medium');
  });

  it('compares countries regardless of letter case', () => {
    expect(newCountryOrDevice(input(login(T0, 'de', 'laptop-1'), usual))).toBeUndefined();
  });

  it('does not call a country new when no earlier login carried a country', () => {
    const bare = [login(T0 - DAY, undefined, 'laptop-1')];
    expect(newCountryOrDevice(input(login(T0, 'JP', 'laptop-1'), bare))).toBeUndefined();
  });

  it('does not learn countries from failed logins', () => {
    const failedFromJapan = event('login.failure', T0 - HOUR, { country: 'JP', device: 'laptop-1' });
    expect(newCountryOrDevice(input(login(T0, 'JP', 'laptop-1'), [...usual, failedFromJapan]))?.evidence['country']).toBe('JP');
  });

  it('ignores everything but successful logins', () => {
    expect(newCountryOrDevice(input(event('login.failure', T0, { country: 'JP' }), usual))).toBeUndefined();
    expect(newCountryOrDevice(input(event('data.export', T0, { country: 'JP', rows: 1 }), usual))).toBeUndefined();
  });
});
