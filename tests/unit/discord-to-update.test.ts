import { describe, expect, it } from 'vitest';
import { discordToPlain, interactionActor, interactionSchema, isHumanMessage, messageCreateSchema, messageToUpdate, parseCustomId } from '../../src/bot/discord/to-update.js';
import { validateCommand } from '../../src/bot/discord/validate-options.js';
import { commandsBody } from '../../src/bot/discord/commands.js';
import { customId, describeOptionProblem, renderHeader } from '../../src/bot/discord/render.js';
import { headerCard } from '../../src/core/header-card.js';
import { CHANNEL_TRAITS } from '../support/modules.js';
import { snowflakeAt } from '../../src/bot/discord/catch-up.js';

const GUILD = '910000000000000001';
const BOT = '930000000000000001';
const ANA = '940000000000000001';
const KIM = '940000000000000003';

/** A MESSAGE_CREATE payload as the gateway sends it (developers/events/gateway-events.mdx "Message Create"). */
function messageCreate(over: Record<string, unknown> = {}) {
  return {
    id: '1574000000000000001', channel_id: '1573000000000000001', guild_id: GUILD,
    author: { id: ANA, username: 'ana', global_name: 'Ana', discriminator: '0', avatar: null },
    member: { nick: null, roles: [], joined_at: '2026-01-01T00:00:00.000000+00:00', deaf: false, mute: false, flags: 0 },
    content: 'Hello there', timestamp: '2026-11-22T10:00:00.000000+00:00', edited_timestamp: null, tts: false,
    mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0, flags: 0,
    ...over,
  };
}

describe('Discord gateway payloads as neutral updates', () => {
  it('turns a person\'s reply in a thread into a thread message located by guild, parent channel and thread', () => {
    const m = messageCreateSchema.parse(messageCreate());
    expect(isHumanMessage(m, BOT)).toBe(true);
    expect(messageToUpdate(m, GUILD, '920000000000000001', BOT)).toEqual({
      kind: 'thread_message',
      actor: { platform: 'discord', userId: ANA, name: 'Ana' },
      location: { workspace: GUILD, channel: '920000000000000001', thread: '1573000000000000001' },
      messageId: '1574000000000000001', text: 'Hello there', mentions: [],
    });
  });

  it('carries a message\'s attachments as files by their CDN URL, with name, type and size', () => {
    const attachment = { id: '1575000000000000001', filename: 'label.png', size: 2048, url: 'https://cdn.discordapp.com/attachments/1/2/label.png', proxy_url: 'https://media.discordapp.net/attachments/1/2/label.png', content_type: 'image/png' };
    const withFile = messageCreateSchema.parse(messageCreate({ content: '', attachments: [attachment] }));
    expect(messageToUpdate(withFile, GUILD, '920000000000000001', BOT)).toMatchObject({ text: '', files: [{ name: 'label.png', mime: 'image/png', size: 2048, platform: 'discord', ref: attachment.url }] });
    expect(messageToUpdate(messageCreateSchema.parse(messageCreate()), GUILD, '920000000000000001', BOT).files).toBeUndefined();
    const { attachments: _a, ...without } = messageCreate();
    expect(messageCreateSchema.parse(without).attachments).toEqual([]);
  });

  it('skips the bot itself, other bots, webhooks and system messages such as a thread\'s starter', () => {
    const parse = (over: Record<string, unknown>) => messageCreateSchema.parse(messageCreate(over));
    expect(isHumanMessage(parse({ author: { id: BOT, username: 'threaddesk', bot: true } }), BOT)).toBe(false);
    // By id too: never trust a flag alone for the bot's own posts.
    expect(isHumanMessage(parse({ author: { id: BOT, username: 'threaddesk' } }), BOT)).toBe(false);
    expect(isHumanMessage(parse({ author: { id: '950000000000000001', username: 'deploybot', bot: true } }), BOT)).toBe(false);
    expect(isHumanMessage(parse({ webhook_id: '960000000000000001' }), BOT)).toBe(false);
    expect(isHumanMessage(parse({ type: 21 }), BOT)).toBe(false);
    expect(isHumanMessage(parse({ type: 19 }), BOT)).toBe(true);
  });

  it('takes mentions from the text, not from a reply\'s implicit ping, and drops the bot\'s own mention', () => {
    const m = messageCreateSchema.parse(messageCreate({
      type: 19,
      content: `<@${BOT}> can <@!${KIM}> look at this? cc <@&970000000000000001> <:party:980000000000000001>`,
      mentions: [{ id: KIM, username: 'kim', global_name: 'Kim' }, { id: ANA, username: 'ana' }],
    }));
    const u = messageToUpdate(m, GUILD, '920000000000000001', BOT);
    expect(u.mentions).toEqual([KIM]);
    expect(u.text).toBe('can @Kim look at this? cc @role :party:');
  });

  it('writes timestamps and unknown people plainly for the customer', () => {
    expect(discordToPlain('due <t:1795000000:R> for <@123456789012>')).toBe('due 2026-11-18 11:06 UTC for @someone');
  });

  it('refuses payloads of an unknown shape instead of guessing', () => {
    expect(messageCreateSchema.safeParse({ id: 'x', content: 1 }).success).toBe(false);
    expect(interactionSchema.safeParse({ id: '1', type: 2 }).success).toBe(false);
  });

  it('reads header buttons and DM command buttons from their custom ids', () => {
    expect(parseCustomId('td:claim:mws5jd7e8b1a77e779')).toEqual({ kind: 'header', action: 'claim', convId: 'mws5jd7e8b1a77e779' });
    expect(parseCustomId('tdcmd:alerts ack a1b2c3')).toEqual({ kind: 'command', name: 'alerts', args: 'ack a1b2c3' });
    expect(parseCustomId('something:else')).toBeUndefined();
  });

  it('makes the smallest snowflake of a moment, for reading a thread after it', () => {
    // Discord's docs: 175928847299117063 was made at 1462015105796 ms.
    expect(BigInt(snowflakeAt(1462015105796))).toBe(175928847299117063n >> 22n << 22n);
  });
});

describe('Discord command options', () => {
  const users = { [ANA]: { id: ANA, username: 'ana' }, [KIM]: { id: KIM, username: 'kim' }, '950000000000000001': { id: '950000000000000001', username: 'bot', bot: true } };

  it('renders typed options as the command text and mentions the handlers read', () => {
    expect(validateCommand('escalate', [{ name: 'first', type: 6, value: ANA }, { name: 'reason', type: 3, value: 'refund over 500' }, { name: 'second', type: 6, value: KIM }], { users })).toEqual({
      ok: true, call: { name: 'escalate', label: 'escalate', args: 'refund over 500', mentions: [ANA, KIM], attachments: [] },
    });
    const add = validateCommand('seat', [{ name: 'add', type: 1, options: [{ name: 'user', type: 6, value: KIM }, { name: 'role', type: 3, value: 'agent' }, { name: 'max', type: 4, value: 5 }, { name: 'name', type: 3, value: 'Kim Lee' }] }], { users });
    expect(add).toEqual({ ok: true, call: { name: 'seat', label: 'seat add', args: 'add agent max=5 name="Kim Lee"', mentions: [KIM], attachments: [] } });
    expect(validateCommand('audit', [{ name: 'verify', type: 5, value: true }], {})).toMatchObject({ ok: true, call: { args: 'verify' } });
    expect(validateCommand('alerts', [{ name: 'ack', type: 3, value: 'a1b2c3' }], {})).toMatchObject({ ok: true, call: { args: 'ack a1b2c3' } });
  });

  it('says what to type for each kind of bad option', () => {
    const problem = (name: string, options: Parameters<typeof validateCommand>[1]) => {
      const r = validateCommand(name, options, { users });
      if (r.ok) throw new Error('expected a problem');
      return describeOptionProblem(r.problem);
    };
    expect(problem('transfer', [])).toBe('`/transfer` needs `user`. Type `/transfer user:@ana reason:going off shift`.');
    expect(problem('transfer', [{ name: 'user', type: 6, value: '949999999999999999' }])).toContain('cannot find the person');
    expect(problem('transfer', [{ name: 'user', type: 6, value: '950000000000000001' }])).toContain('not a bot');
    expect(problem('seat', [{ name: 'add', type: 1, options: [{ name: 'user', type: 6, value: ANA }, { name: 'max', type: 4, value: 0 }] }])).toContain('from 1 to 50 (you gave 0)');
    expect(problem('seat', [])).toContain('needs `add | list | import | disable | remove`');
    expect(problem('status', [{ name: 'state', type: 3, value: 'asleep' }])).toContain('online, away, paused');
    expect(problem('export', [{ name: 'to', type: 3, value: '2026-11-01' }])).toContain('needs `from`');
    expect(problem('revoke', [{ name: 'user', type: 6, value: ANA }, { name: 'role', type: 3, value: 'agent' }, { name: 'queue', type: 3, value: 'billing' }])).toContain('exactly one of');
    expect(problem('nope', [])).toContain('is not a command of this desk');
  });

  it('registers only definitions Discord accepts: lower-case names, short descriptions, required options first', () => {
    for (const c of commandsBody() as unknown as { name: string; description: string; options?: unknown[] }[]) {
      expect(c.name).toMatch(/^[a-z-]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      const options = (c.options ?? []) as { type: number; required?: boolean; options?: { required?: boolean }[] }[];
      const check = (list: { required?: boolean }[]) => {
        const firstOptional = list.findIndex((o) => !o.required);
        expect(list.slice(firstOptional < 0 ? list.length : firstOptional).some((o) => o.required)).toBe(false);
      };
      if (options.every((o) => o.type === 1)) options.forEach((o) => check(o.options ?? []));
      else check(options);
    }
  });
});

describe('the Discord header card', () => {
  it('shows status in an embed with one row of buttons whose custom ids fit Discord\'s 100 characters', () => {
    const conv = { id: 'mws5jd7e8b1a77e779', channel: 'whatsapp' as const, account: '1', customer: { id: '49', name: 'Ana' }, queue: 'default', status: 'open' as const, createdAt: 0, lastCustomerAt: Date.now() };
    const card = renderHeader(headerCard(conv, 'Alex', Date.now(), CHANNEL_TRAITS));
    expect(card.embeds[0]!.description).toBe('🟢 Claimed by Alex');
    expect(card.components[0]!.components.map((b) => [b.label, b.custom_id])).toEqual([['Release', 'td:release:mws5jd7e8b1a77e779'], ['Close', 'td:close:mws5jd7e8b1a77e779']]);
    expect(card.allowed_mentions).toEqual({ parse: [] });
    expect(() => customId('claim', 'x'.repeat(95))).toThrow(/100 characters/);
  });
});

describe('the interaction locale', () => {
  const base = { id: '123456789012345678', application_id: '123456789012345678', type: 2, token: 't', user: { id: '223456789012345678', username: 'li' } };
  it('is the actor\'s locale when Discord sends one, and a malformed one does not refuse the interaction', () => {
    const withLocale = interactionSchema.parse({ ...base, locale: 'zh-CN' });
    expect(interactionActor(withLocale)?.locale).toBe('zh-CN');
    const malformed = interactionSchema.safeParse({ ...base, locale: { x: 1 } });
    expect(malformed.success).toBe(true);
    expect(interactionActor(malformed.data!)).not.toHaveProperty('locale');
  });
});
