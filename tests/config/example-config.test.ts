import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

/** The example an operator copies must load as it is. */
describe('config/bot.example.yaml', () => {
  it('loads without problems next to a minimal environment', () => {
    const result = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123', SLACK_CHANNEL: 'C0123ABCD', INBOUND_API_SECRET: '0123456789abcdef0123', CONFIG_FILE: 'config/bot.example.yaml' },
      (p) => readFileSync(p, 'utf8'),
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (result.ok) expect(result.config.security.defaultProfile).toEqual({ timeZone: 'UTC', workStartHour: 9, workEndHour: 18, workDays: [1, 2, 3, 4, 5] });
  });

  it('names a time zone that does not exist', () => {
    const result = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret-123', SLACK_CHANNEL: 'C0123ABCD', INBOUND_API_SECRET: '0123456789abcdef0123', CONFIG_FILE: 'x.yaml' },
      () => 'security:\n  time_zone: Europe/Berlinn\n',
    );
    expect(result.ok ? [] : result.problems).toEqual([expect.stringContaining('"Europe/Berlinn" is not a time zone')]);
  });
});
