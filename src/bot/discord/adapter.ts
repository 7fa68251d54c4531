import { REST, Routes, type ResponseLike } from 'discord.js';
import { dispatch } from '../../handlers/dispatch.js';
import type { AdapterContext, MessengerAdapter } from '../messenger-adapter.js';
import { catchUp } from './catch-up.js';
import { commandsBody } from './commands.js';
import { DiscordDeliverer } from './deliver.js';
import { discordAgentFiles } from './fetch-agent-file.js';
import { Gateway, type GatewayPacket } from './receiver.js';
import { DiscordIdentity } from './identity.js';
import { createInteractionHandler } from './handle-interaction.js';
import { MessageLanes } from './message-lanes.js';
import { processOnce } from '../process-once.js';
import { cachedPing } from '../kit/cached-ping.js';
import { LeaderLease } from '../../runtime/leader-lease.js';
import { ThreadRegistry } from './thread-registry.js';
import { isHumanMessage, messageCreateSchema, messageToUpdate } from './to-update.js';
import { deleteToUpdate, editToUpdate, messageDeleteSchema, messageUpdateSchema } from './change-to-update.js';
import { typingStartSchema, typingToUpdate } from './typing-start.js';

export interface DiscordAdapterOptions extends AdapterContext {
  token: string;
  applicationId: string;
  guildId: string;
  /** The default queue's channel (`DISCORD_CHANNEL_ID`); each queue names its own in the config. */
  channelId: string;
  apiUrl: string;
  /** Gateway lease timing (tests may shorten it). */
  lease?: { ttlMs: number; renewMs: number; pollMs: number };
}

/**
 * With Redis, a standby takes the gateway over at most `ttlMs + pollMs`
 * (9 s) after the holder died, plus the handshake; a clean stop hands it
 * over at once.
 */
export const GATEWAY_LEASE = { ttlMs: 8000, renewMs: 2000, pollMs: 1000 } as const;
/** How often the leader notes "connected and receiving until now" (the catch-up starts there). */
const WATERMARK_MS = 2000;
/** Read a little before the watermark: a message may be sent just before it and arrive just after. */
const CATCH_UP_MARGIN_MS = 30_000;

/**
 * Discord for the desk. One entry per transport (STYLE §1): every gateway
 * dispatch goes through `onPacket`, and messages re-read after a reconnect go
 * through the same `handleMessage`. The gateway runs on the leader replica
 * only (a lease in the store); REST work (the outbox) runs on every replica.
 */
export function createDiscordAdapter(o: DiscordAdapterOptions): MessengerAdapter {
  const log = o.log.child({ messenger: 'discord' });
  const { desk } = o;
  const { state, dedupe } = o;
  const registry = new ThreadRegistry(state);
  // Reads, command registration and interaction answers: rate limits are waited out here.
  // Node's own fetch, not the undici 6 that @discordjs/rest bundles: once @slack/socket-mode has loaded
  // undici 7, that one is Node's global dispatcher, and undici 6's multipart bodies break inside it
  // ("action is not a function"), so every file upload failed. fetch serialises its body itself.
  // @discordjs/rest types the call with its bundled undici's RequestInit and stream types, which
  // differ from Node's only in type declarations: the same fields, the same Response at run time.
  const makeRequest = async (url: string, init: object): Promise<ResponseLike> => (await fetch(url, init as RequestInit)) as ResponseLike;
  const rest = new REST({ api: o.apiUrl, timeout: 10_000, makeRequest }).setToken(o.token);
  // The outbox's client never waits or retries by itself: the outbox does, and keeps order (classify-error.ts).
  const outboxRest = new REST({ api: o.apiUrl, timeout: 10_000, retries: 0, rejectOnRateLimit: () => true, makeRequest }).setToken(o.token);
  const identity = new DiscordIdentity(rest);
  const deliverer = new DiscordDeliverer({ rest: outboxRest, token: o.token, guildId: o.guildId, desk, registry, log, fetchMedia: o.fetchMedia, state, clock: o.clock });
  const watermarkKey = `watermark:${o.guildId}`;

  /** Runs `run` once per delivery id, however often Discord (or a catch-up, or a retry) hands it over. */
  const once = processOnce(dedupe, 'discord');
  /** Thread replies: one at a time per thread, in Discord's order, retried with backoff when they fail. */
  const lanes = new MessageLanes({ log, ...(o.metrics ? { metrics: o.metrics } : {}) });
  const inOrder = (m: unknown): Promise<void> => {
    const d = m as { channel_id?: unknown; id?: unknown };
    return lanes.push(String(d.channel_id), String(d.id), () => handleMessage(m));
  };

  async function handleMessage(raw: unknown): Promise<void> {
    const parsed = messageCreateSchema.safeParse(raw);
    if (!parsed.success) { log.debug({ issues: parsed.error.issues.length }, 'discord message of an unknown shape ignored'); return; }
    const m = parsed.data;
    // A dispatch about another server is not ours, whoever sent it.
    if (m.guild_id !== o.guildId) return;
    const botUserId = identity.peek();
    if (!isHumanMessage(m, botUserId)) return;
    const parent = await registry.parentOf(m.channel_id);
    if (!parent) return; // not a conversation thread
    const update = messageToUpdate(m, o.guildId, parent, botUserId);
    if ((await once(`message:${m.id}`, () => dispatch(desk, update))) === 'duplicate') log.debug({ messageId: m.id }, 'discord message already processed');
  }

  /** MESSAGE_UPDATE / MESSAGE_DELETE in a conversation thread: maybe a reply's edit or delete (SPEC §13), once each. */
  async function handleChange(t: 'MESSAGE_UPDATE' | 'MESSAGE_DELETE', raw: unknown): Promise<void> {
    const edit = t === 'MESSAGE_UPDATE' ? messageUpdateSchema.safeParse(raw) : undefined;
    const removed = t === 'MESSAGE_DELETE' ? messageDeleteSchema.safeParse(raw) : undefined;
    const d = edit?.success ? edit.data : removed?.success ? removed.data : undefined;
    if (!d || d.guild_id !== o.guildId) return;
    const parent = await registry.parentOf(d.channel_id);
    if (!parent) return;
    const update = edit?.success ? editToUpdate(edit.data, o.guildId, parent, identity.peek()) : deleteToUpdate(d, o.guildId, parent);
    // Each edit has its own edited_timestamp; a redelivered one has the same.
    if (update) await once(edit?.success ? `edit:${d.id}:${edit.data.edited_timestamp ?? ''}` : `delete:${d.id}`, () => dispatch(desk, update));
  }

  /** An agent typing in a conversation thread: shown to the customer where their channel can (best effort, not deduped). */
  async function handleTyping(raw: unknown): Promise<void> {
    const parsed = typingStartSchema.safeParse(raw);
    if (!parsed.success || parsed.data.guild_id !== o.guildId || parsed.data.user_id === identity.peek() || parsed.data.member?.user?.bot) return;
    const parent = await registry.parentOf(parsed.data.channel_id);
    if (parent) await dispatch(desk, typingToUpdate(parsed.data, o.guildId, parent));
  }

  const handleInteraction = createInteractionHandler({ desk, dedupe, log, rest, registry, guildId: o.guildId, applicationId: o.applicationId });

  async function registerCommands(): Promise<void> {
    try {
      await rest.put(Routes.applicationGuildCommands(o.applicationId, o.guildId), { body: commandsBody() });
      log.info({ guild: o.guildId }, 'discord application commands registered');
    } catch (err) {
      log.error({ err: String(err) }, 'could not register the slash commands. Re-invite the bot with the applications.commands scope (OAuth2 → URL Generator: bot + applications.commands) and check DISCORD_APPLICATION_ID and DISCORD_GUILD_ID.');
    }
  }

  let holdWatermark = false;
  async function onReady(user: { id: string; username: string }): Promise<void> {
    identity.setUser(user);
    holdWatermark = true;
    const since = Number(await state.getString(watermarkKey).catch(() => undefined));
    holdWatermark = false;
    await registerCommands();
    if (!Number.isFinite(since) || since <= 0) return;
    const read = await catchUp({ rest, registry, guildId: o.guildId, sinceMs: since - CATCH_UP_MARGIN_MS, log, handle: inOrder });
    log.info({ read, since: new Date(since).toISOString() }, 'read Discord threads again after connecting (messages written while no bot was connected)');
  }

  function onPacket(packet: GatewayPacket): void {
    switch (packet.t) {
      case 'READY': {
        const user = (packet.d as { user?: { id: string; username: string } }).user;
        if (user) void onReady(user).catch((err: unknown) => log.error({ err: String(err) }, 'discord start-up tasks failed'));
        return;
      }
      case 'MESSAGE_CREATE':
        void inOrder(packet.d);
        return;
      case 'MESSAGE_UPDATE':
      case 'MESSAGE_DELETE': {
        // Behind the thread's earlier messages: an edit never overtakes the reply it changes.
        const d = packet.d as { channel_id?: unknown; id?: unknown };
        const t = packet.t;
        void lanes.push(String(d.channel_id), String(d.id), () => handleChange(t, packet.d));
        return;
      }
      case 'TYPING_START':
        void handleTyping(packet.d).catch((err: unknown) => log.debug({ err: String(err) }, 'discord typing not relayed'));
        return;
      case 'INTERACTION_CREATE':
        void handleInteraction(packet.d).catch((err: unknown) => log.error({ err: String(err) }, 'discord interaction not processed'));
        return;
      default:
        // Every other dispatch (presence, guild updates…) is not the desk's; t is null on non-dispatch opcodes.
        return;
    }
  }

  const gateway = new Gateway({ token: o.token, apiUrl: o.apiUrl, log, onPacket });
  const timing = o.lease ?? GATEWAY_LEASE;
  const lease = new LeaderLease({ ...o.leases, key: `discord:gateway-leader:${o.guildId}`, owner: o.instanceId, ttlMs: timing.ttlMs });
  let watermarkTimer: NodeJS.Timeout | undefined;
  // At most one GET /users/@me every 15 s: readiness must notice Discord going away.
  const ping = cachedPing(() => rest.get(Routes.user('@me')));

  return {
    platform: 'discord',
    routes: [],
    deliverer,
    fetchAgentFile: discordAgentFiles(o.apiUrl),
    async start() {
      lease.keep({ ...timing, log, name: 'Discord gateway', onAcquire: () => gateway.connect(), onLose: () => gateway.disconnect() });
      watermarkTimer = setInterval(() => {
        // Never past a message not yet processed: after a restart the catch-up reads it again.
        const upTo = Math.min(Date.now(), lanes.oldestUnfinished() ?? Infinity);
        if (lease.isLeader && gateway.ready && !holdWatermark) void state.setString(watermarkKey, String(upTo)).catch(() => {});
      }, WATERMARK_MS);
    },
    async stop() {
      if (watermarkTimer) clearInterval(watermarkTimer);
      lanes.stop();
      await lease.stop();
    },
    ping,
  };
}
