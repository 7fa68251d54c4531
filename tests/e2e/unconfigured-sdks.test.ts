import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness } from '../support/start-desk.js';

/**
 * A messenger's SDK loads when that messenger is created (a dynamic import in
 * its module's `create`): discord.js alone cost ~600 ms of CPU and its memory
 * at every start, configured or not. The SDKs are CommonJS, so whatever loaded
 * them shows in the CommonJS module cache of this process (vitest gives each
 * test file a process of its own).
 */
const loaded = (pkg: string): boolean =>
  Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes(`/node_modules/${pkg}/`));

describe('a desk with Slack as its only messenger', () => {
  let h: DeskHarness | undefined;
  afterAll(async () => { await h?.close(); });

  it('loads bolt when Slack is created, and neither discord.js nor grammY', async () => {
    expect(loaded('@slack/bolt')).toBe(false);
    h = await startDesk({ store: 'embedded' });
    expect(loaded('@slack/bolt')).toBe(true);
    expect(loaded('discord.js')).toBe(false);
    expect(loaded('@discordjs/rest')).toBe(false);
    expect(loaded('grammy')).toBe(false);
  });
});
