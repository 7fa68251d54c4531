import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-123-456-abc', SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5', SLACK_CHANNEL: 'C0SUPPORT' } as const;
const noFile = (): string => {
  const err = new Error('ENOENT: no such file or directory') as NodeJS.ErrnoException;
  err.code = 'ENOENT';
  throw err;
};

/** SPEC §4: WEBCHAT_ORIGINS alone is enough of a customer channel; its mistakes are named with the fix. */
describe('web chat configuration', () => {
  it('turns web chat on with WEBCHAT_ORIGINS alone', () => {
    const result = loadConfig({ ...SLACK, WEBCHAT_ORIGINS: 'https://shop.example.com, https://*.example.org' }, noFile);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(Object.keys(result.config.channels)).toEqual(['webchat']);
  });

  it('names each entry of WEBCHAT_ORIGINS that is not an origin, with the form to write', () => {
    const result = loadConfig({ ...SLACK, WEBCHAT_ORIGINS: 'shop.example.com,https://ok.example.com/' }, noFile);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.join('\n');
    expect(problems).toContain('"shop.example.com" is not an origin');
    expect(problems).toContain('"https://ok.example.com/" is not an origin');
  });

  it('says that an identity secret without origins leaves web chat off, and refuses a short secret', () => {
    const alone = loadConfig({ ...SLACK, INBOUND_API_SECRET: '0123456789abcdef0123456789abcdef', WEBCHAT_IDENTITY_SECRET: 'long-enough-secret-123' }, noFile);
    expect(alone.ok ? '' : alone.problems.join('\n')).toContain('WEBCHAT_IDENTITY_SECRET is set but WEBCHAT_ORIGINS is not');
    const short = loadConfig({ ...SLACK, WEBCHAT_ORIGINS: 'https://shop.example.com', WEBCHAT_IDENTITY_SECRET: 'short' }, noFile);
    expect(short.ok ? '' : short.problems.join('\n')).toContain('WEBCHAT_IDENTITY_SECRET');
  });

  it('reads WEBCHAT_TRUST_PROXY as a count of proxies (default 0) and names a bad one with the fix', () => {
    const settings = (env: Record<string, string>) => {
      const result = loadConfig({ ...SLACK, WEBCHAT_ORIGINS: 'https://shop.example.com', ...env }, noFile);
      if (!result.ok) throw new Error(result.problems.join('\n'));
      return result.config.channels.webchat?.settings as { trustedProxies: number };
    };
    expect(settings({}).trustedProxies).toBe(0);
    expect(settings({ WEBCHAT_TRUST_PROXY: '2' }).trustedProxies).toBe(2);
    const bad = loadConfig({ ...SLACK, WEBCHAT_ORIGINS: 'https://shop.example.com', WEBCHAT_TRUST_PROXY: 'yes' }, noFile);
    expect(bad.ok).toBe(false);
    const problems = bad.ok ? '' : bad.problems.join('\n');
    expect(problems).toContain('WEBCHAT_TRUST_PROXY');
    expect(problems).toContain('how many reverse proxies stand in front of the desk');
  });
});
