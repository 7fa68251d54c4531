import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DISCORD_INTENTS, DISCORD_PERMISSIONS, inviteUrl, permissionsInteger, printDiscordSetup } from '../../src/bot/discord/setup/permissions.js';
import { TELEGRAM_ADMIN_RIGHTS } from '../../src/bot/telegram/doctor.js';
import { UPDATES } from '../../src/bot/telegram/polling-receiver.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const discordDoc = readFileSync(`${root}docs/setup-discord.md`, 'utf8');
const telegramDoc = readFileSync(`${root}docs/setup-telegram.md`, 'utf8');

describe('Discord setup facts come from the code', () => {
  it('computes the permissions integer from the permission bits the bot uses', () => {
    const expected = Object.keys(DISCORD_PERMISSIONS).map((k) => PermissionFlagsBits[k as keyof typeof PermissionFlagsBits]).reduce((a, b) => a | b, 0n);
    expect(permissionsInteger()).toBe(expected.toString());
    // SendMessagesInThreads is bit 38 and CreatePublicThreads bit 35: beyond 32 bits, so the sum is a BigInt.
    expect(BigInt(permissionsInteger()) & (1n << 38n)).toBe(1n << 38n);
    expect(inviteUrl('42')).toBe(`https://discord.com/oauth2/authorize?client_id=42&scope=bot+applications.commands&permissions=${permissionsInteger()}`);
    expect(printDiscordSetup({ DISCORD_APPLICATION_ID: '42' })).toContain(inviteUrl('42'));
  });

  it('docs/setup-discord.md states the same integer, every intent and every permission', () => {
    expect(discordDoc).toContain(`Permissions integer: **${permissionsInteger()}**`);
    expect(discordDoc).toContain(`permissions=${permissionsInteger()}`);
    for (const intent of Object.keys(DISCORD_INTENTS)) expect(discordDoc).toContain(`| \`${intent}\` |`);
    for (const permission of Object.keys(DISCORD_PERMISSIONS)) expect(discordDoc).toContain(`| \`${permission}\` |`);
  });
});

describe('docs/setup-telegram.md', () => {
  it('names every admin right the doctor checks and the updates the bot asks for', () => {
    for (const right of Object.keys(TELEGRAM_ADMIN_RIGHTS)) expect(telegramDoc).toContain(`(\`${right}\`)`);
    expect(telegramDoc).toContain(`"allowed_updates":${JSON.stringify(UPDATES)}`);
  });
});

describe('threaddesk setup <messenger>', () => {
  const capture = () => {
    const io = { out: '', err: '' };
    return { io, sinks: { out: (t: string) => { io.out += t; }, err: (t: string) => { io.err += t; } } };
  };

  it('prints the generated setup on stdout and what to do with it on stderr', async () => {
    const { runSetup } = await import('../../src/cli/run-setup.js');
    const slack = capture();
    expect(await runSetup(['slack'], {}, slack.sinks)).toBe(0);
    expect(JSON.parse(slack.io.out)).toMatchObject({ settings: { socket_mode_enabled: true } });
    expect(slack.io.err).toContain('connections:write');
    const discord = capture();
    expect(await runSetup(['discord'], { DISCORD_APPLICATION_ID: '42' }, discord.sinks)).toBe(0);
    expect(discord.io.out).toContain(inviteUrl('42'));
  });

  it('says which messengers have a generated setup when asked for another, with exit code 2', async () => {
    const { runSetup } = await import('../../src/cli/run-setup.js');
    const none = capture();
    expect(await runSetup(['telegram'], {}, none.sinks)).toBe(2);
    expect(none.io.err).toBe('Say which messenger to set up: threaddesk setup slack, threaddesk setup discord. Messengers without one are set up by hand: see docs/setup-<messenger>.md.\n');
    const badUrl = capture();
    expect(await runSetup(['slack', '--url', 'desk'], {}, badUrl.sinks)).toBe(2);
    expect(badUrl.io.err).toContain('--url needs the desk\'s public address');
  });
});
