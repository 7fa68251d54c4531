import type { FakeChannel } from './fake-types.js';
import type { GuildState } from './guild-state.js';
import { botUser, messageCreate, userById } from './payloads.js';
import { nextSnowflake, snowflakeLess } from './snowflake.js';
import { validateCommands, validateMessageBody, type DiscordError } from './validate-body.js';

/** An answer of the REST fake. */
export interface Reply { status: number; json?: unknown; headers?: Record<string, string> }
/** A parsed request: path parameters, query, JSON body (or multipart `payload_json`) and uploaded files. */
export interface Request { method: string; params: string[]; query: URLSearchParams; body: Record<string, unknown>; files: { name: string; size: number; type: string }[] }
/**
 * One REST route: `route` is its template (the rate-limit bucket), `major`
 * its top-level resource; `auth: false` for interaction callbacks and
 * webhooks, which take no bot token; `exempt` from the global limit.
 */
export interface Route { method: string; pattern: RegExp; route: string; auth: boolean; exempt?: boolean; major?: (p: string[]) => string; handle(r: Request): Reply }

const err = (e: DiscordError): Reply => ({ status: e.status, json: { message: e.message, code: e.code, ...(e.errors ? { errors: e.errors } : {}) } });
const notFound = (code: number, message: string): Reply => err({ status: 404, code, message });
const isError = (x: unknown): x is DiscordError => typeof x === 'object' && x !== null && 'code' in x && 'status' in x && !('id' in x);
const EPHEMERAL = 64;

export { err as errorReply };

/**
 * The REST routes the desk uses (developers/resources/*.mdx), with
 * Discord's checks and error codes: 10003 Unknown Channel, 10008 Unknown
 * Message, 10062 Unknown interaction, 40060 already acknowledged, 50005,
 * 50007 (DMs closed), 50035 Invalid Form Body, 160004 thread already
 * created.
 */
export function restRoutes(s: GuildState): Route[] {
  const { g, config, channels, messages, byId, reactions, interactions, users, gateway, deadlineMs } = s;
  return [
    { method: 'GET', pattern: /^\/gateway\/bot$/, route: 'GET /gateway/bot', auth: true, handle: () => ({ status: 200, json: { url: s.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } } }) },
    { method: 'GET', pattern: /^\/users\/@me$/, route: 'GET /users/@me', auth: true, handle: () => ({ status: 200, json: { ...botUser(g), verified: true, flags: 0 } }) },
    {
      method: 'PUT', pattern: /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, route: 'PUT /applications/:id/guilds/:id/commands', auth: true, major: (p) => p[1]!,
      handle: (r) => {
        if (r.params[0] !== config.applicationId || r.params[1] !== config.guildId) return err({ status: 403, code: 50001, message: 'Missing Access' });
        const invalid = validateCommands(r.body);
        if (invalid) return err(invalid);
        const previous = new Map(s.commands.map((c) => [c.name, c.id]));
        s.commands = (r.body as unknown as Record<string, unknown>[]).map((c) => ({
          id: previous.get(c.name) ?? nextSnowflake(), application_id: config.applicationId, guild_id: config.guildId, version: nextSnowflake(),
          default_member_permissions: null, type: 1, nsfw: false, ...c,
        }));
        return { status: 200, json: s.commands };
      },
    },
    { method: 'GET', pattern: /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, route: 'GET /applications/:id/guilds/:id/commands', auth: true, handle: () => ({ status: 200, json: s.commands }) },
    { method: 'GET', pattern: /^\/channels\/(\d+)$/, route: 'GET /channels/:id', auth: true, major: (p) => p[0]!, handle: (r) => { const c = channels.get(r.params[0]!); return c ? { status: 200, json: c } : notFound(10003, 'Unknown Channel'); } },
    {
      method: 'GET', pattern: /^\/channels\/(\d+)\/messages$/, route: 'GET /channels/:id/messages', auth: true, major: (p) => p[0]!,
      handle: (r) => {
        if (!channels.has(r.params[0]!)) return notFound(10003, 'Unknown Channel');
        const limit = Math.min(100, Math.max(1, Number(r.query.get('limit') ?? 50)));
        const after = r.query.get('after');
        const before = r.query.get('before');
        let list = messages.filter((m) => m.channel_id === r.params[0]);
        if (after) list = list.filter((m) => snowflakeLess(after, m.id)).slice(0, limit);
        else { if (before) list = list.filter((m) => snowflakeLess(m.id, before)); list = list.slice(-limit); }
        return { status: 200, json: [...list].reverse() }; // newest first, as Discord lists them
      },
    },
    {
      method: 'POST', pattern: /^\/channels\/(\d+)\/messages$/, route: 'POST /channels/:id/messages', auth: true, major: (p) => p[0]!,
      handle: (r) => { const m = s.createMessage(r.params[0]!, config.botUserId, r.body, r.files); return isError(m) ? err(m) : { status: 200, json: m }; },
    },
    {
      method: 'PATCH', pattern: /^\/channels\/(\d+)\/messages\/(\d+)$/, route: 'PATCH /channels/:id/messages/:id', auth: true, major: (p) => p[0]!,
      handle: (r) => {
        const m = byId.get(r.params[1]!);
        if (!channels.has(r.params[0]!)) return notFound(10003, 'Unknown Channel');
        if (!m || m.channel_id !== r.params[0]) return notFound(10008, 'Unknown Message');
        if (m.author.id !== config.botUserId) return err({ status: 403, code: 50005, message: 'Cannot edit a message authored by another user' });
        const invalid = validateMessageBody(r.body, 2000, false, true);
        if (invalid) return err(invalid);
        for (const f of ['content', 'embeds', 'components'] as const) if (r.body[f] !== undefined) (m as unknown as Record<string, unknown>)[f] = r.body[f];
        m.edited_timestamp = new Date().toISOString();
        gateway.dispatch('MESSAGE_UPDATE', { ...messageCreate(g, m) });
        return { status: 200, json: m };
      },
    },
    {
      method: 'POST', pattern: /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, route: 'POST /channels/:id/messages/:id/threads', auth: true, major: (p) => p[0]!,
      handle: (r) => {
        const parent = channels.get(r.params[0]!);
        if (!parent) return notFound(10003, 'Unknown Channel');
        const m = byId.get(r.params[1]!);
        if (!m || m.channel_id !== parent.id) return notFound(10008, 'Unknown Message');
        if (parent.type !== 0) return err({ status: 400, code: 50024, message: 'Cannot execute action on this channel type' });
        if (channels.has(m.id)) return err({ status: 400, code: 160004, message: 'A thread has already been created for this message' });
        const name = r.body.name;
        if (typeof name !== 'string' || name.length < 1 || name.length > 100) return err({ status: 400, code: 50035, message: 'Invalid Form Body', errors: { name: { _errors: [{ code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' }] } } });
        const archive = r.body.auto_archive_duration ?? 4320;
        if (![60, 1440, 4320, 10080].includes(Number(archive))) return err({ status: 400, code: 50035, message: 'Invalid Form Body', errors: { auto_archive_duration: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {60, 1440, 4320, 10080}.' }] } } });
        // The thread takes the id of the message it starts on (developers/topics/threads.mdx).
        const thread = {
          id: m.id, type: 11, guild_id: config.guildId, parent_id: parent.id, owner_id: config.botUserId, name, last_message_id: null,
          rate_limit_per_user: 0, message_count: 0, member_count: 1, total_message_sent: 0, flags: 0,
          thread_metadata: { archived: false, auto_archive_duration: Number(archive), archive_timestamp: new Date().toISOString(), locked: false, create_timestamp: new Date().toISOString() },
          member: { id: m.id, user_id: config.botUserId, join_timestamp: new Date().toISOString(), flags: 1 },
        } as unknown as FakeChannel;
        channels.set(thread.id, thread);
        m.thread = thread as never;
        gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
        return { status: 201, json: thread };
      },
    },
    {
      method: 'PUT', pattern: /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/, route: 'PUT /channels/:id/messages/:id/reactions/:emoji/@me', auth: true, major: (p) => p[0]!,
      handle: (r) => {
        if (!channels.has(r.params[0]!)) return notFound(10003, 'Unknown Channel');
        const m = byId.get(r.params[1]!);
        if (!m || m.channel_id !== r.params[0]) return notFound(10008, 'Unknown Message');
        const emoji = decodeURIComponent(r.params[2]!);
        if (!reactions.some((x) => x.messageId === m.id && x.emoji === emoji && x.userId === config.botUserId)) {
          reactions.push({ channelId: m.channel_id, messageId: m.id, emoji, userId: config.botUserId });
        }
        return { status: 204 };
      },
    },
    {
      method: 'POST', pattern: /^\/users\/@me\/channels$/, route: 'POST /users/@me/channels', auth: true,
      handle: (r) => {
        const to = String(r.body.recipient_id ?? '');
        if (!users[to]) return err({ status: 400, code: 50033, message: 'Invalid Recipient(s)' });
        const existing = [...channels.values()].find((c) => c.type === 1 && (c as { recipients?: { id: string }[] }).recipients?.[0]?.id === to);
        if (existing) return { status: 200, json: existing };
        const dm = { id: nextSnowflake(), type: 1, last_message_id: null, flags: 0, recipients: [userById(g, to)] } as unknown as FakeChannel;
        channels.set(dm.id, dm);
        return { status: 200, json: dm };
      },
    },
    {
      method: 'POST', pattern: /^\/interactions\/(\d+)\/([^/]+)\/callback$/, route: 'POST /interactions/:id/:token/callback', auth: false, exempt: true, major: (p) => p[0]!,
      handle: (r) => {
        const it = interactions.find((i) => i.id === r.params[0] && i.token === r.params[1]);
        if (!it || (!it.callbacks.length && Date.now() - it.createdAt > deadlineMs)) return notFound(10062, 'Unknown interaction');
        if (it.callbacks.length) return err({ status: 400, code: 40060, message: 'Interaction has already been acknowledged.' });
        const type = Number(r.body.type);
        const data = (r.body.data ?? {}) as Record<string, unknown>;
        const component = it.type === 3;
        if (![4, 5, 6, 7].includes(type) || (!component && (type === 6 || type === 7))) {
          return err({ status: 400, code: 50035, message: 'Invalid Form Body', errors: { type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of a valid interaction response type.' }] } } });
        }
        if (type === 4) {
          const invalid = validateMessageBody(data, 2000, false);
          if (invalid) return err(invalid);
          const ephemeral = (Number(data.flags ?? 0) & EPHEMERAL) !== 0;
          it.reply = { content: String(data.content ?? ''), ephemeral };
          if (!ephemeral) s.createMessage(it.channelId, config.botUserId, data, []);
        }
        if (type === 5) it.reply = undefined;
        if (type === 7 && it.payload.message) {
          const m = byId.get((it.payload.message as { id: string }).id);
          if (m) for (const f of ['content', 'embeds', 'components'] as const) if (data[f] !== undefined) (m as unknown as Record<string, unknown>)[f] = data[f];
        }
        it.callbacks.push({ type, data, at: Date.now() });
        if (r.query.get('with_response') === 'true') return { status: 200, json: { interaction: { id: it.id, type: it.type }, resource: { type } } };
        // No body and no content type: @discordjs/rest would JSON.parse('') otherwise (offline-sdks.md §3).
        return { status: 204 };
      },
    },
    {
      method: 'PATCH', pattern: /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(?:@|%40)original$/, route: 'PATCH /webhooks/:id/:token/messages/@original', auth: false, exempt: true, major: (p) => `${p[0]}/${p[1]}`,
      handle: (r) => {
        const it = interactions.find((i) => i.token === r.params[1] && r.params[0] === config.applicationId);
        if (!it || !it.callbacks.length) return notFound(10015, 'Unknown Webhook');
        const invalid = validateMessageBody(r.body, 2000, false, true);
        if (invalid) return err(invalid);
        const deferred = it.callbacks[0]!;
        const ephemeral = ((Number((deferred.data as { flags?: number } | undefined)?.flags ?? 0)) & EPHEMERAL) !== 0;
        it.reply = { content: String(r.body.content ?? it.reply?.content ?? ''), ephemeral: it.reply?.ephemeral ?? ephemeral };
        s.changed();
        return { status: 200, json: { id: nextSnowflake(), channel_id: it.channelId, content: it.reply.content, flags: it.reply.ephemeral ? EPHEMERAL : 0 } };
      },
    },
    {
      method: 'POST', pattern: /^\/webhooks\/(\d+)\/([^/]+)$/, route: 'POST /webhooks/:id/:token', auth: false, exempt: true, major: (p) => `${p[0]}/${p[1]}`,
      handle: (r) => {
        const it = interactions.find((i) => i.token === r.params[1] && r.params[0] === config.applicationId);
        if (!it || !it.callbacks.length) return notFound(10015, 'Unknown Webhook');
        const invalid = validateMessageBody(r.body, 2000, false);
        if (invalid) return err(invalid);
        const f = { content: String(r.body.content ?? ''), ephemeral: (Number(r.body.flags ?? 0) & EPHEMERAL) !== 0 };
        it.followups.push(f);
        s.changed();
        return { status: 200, json: { id: nextSnowflake(), channel_id: it.channelId, content: f.content, flags: f.ephemeral ? EPHEMERAL : 0 } };
      },
    },
  ];
}
