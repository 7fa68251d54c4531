import { REST, Routes, type ResponseLike } from 'discord.js';
import type { ContextVerbs, Update } from '../../handlers/context.js';
import { dispatch } from '../../handlers/dispatch.js';
import { isLongCommand } from '../../handlers/handle-command.js';
import type { AdapterContext, MessengerAdapter } from '../messenger-adapter.js';
import { catchUp } from './catch-up.js';
import { commandsBody } from './commands.js';
import { DiscordDeliverer } from './deliver.js';
import { Gateway, type GatewayPacket } from './receiver.js';
import { DiscordIdentity } from './identity.js';
import { answerInteraction } from './interactions.js';
import { MessageLanes } from './message-lanes.js';
import { processOnce } from '../process-once.js';
import { cachedPing } from '../kit/cached-ping.js';
import { LeaderLease } from '../../runtime/leader-lease.js';
import { describeOptionProblem } from './render.js';
import { ThreadRegistry } from './thread-registry.js';
import { commandButtonToUpdate, commandCallToUpdate, headerButtonToUpdate, interactionActor, interactionSchema, isHumanMessage, messageCreateSchema, messageToUpdate, parseCustomId, type DiscordInteraction } from './to-update.js';
import { validateCommand, type RawOption } from './validate-options.js';

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

  async function handleInteraction(raw: unknown): Promise<void> {
    const parsed = interactionSchema.safeParse(raw);
    if (!parsed.success) { log.warn({ issues: parsed.error.issues.length }, 'discord interaction of an unknown shape ignored'); return; }
    const i = parsed.data;
    if (i.application_id !== o.applicationId) { log.warn({ application: i.application_id }, 'interaction for another application ignored'); return; }
    const actor = interactionActor(i);
    if (!actor || (i.type !== 2 && i.type !== 3)) return;
    if ((await dedupe.begin('discord', `interaction:${i.id}`)) !== 'new') return; // answered by whoever took it first
    await answerInteraction({
      rest, applicationId: o.applicationId, log, interaction: i, kind: i.type === 2 ? 'command' : 'component',
      // A long command (an export) is deferred at once; what it says comes as the deferred reply's follow-up.
      ...(i.type === 2 && isLongCommand(i.data?.name ?? '') ? { deferAfterMs: 0 } : {}),
      work: async (privately) => {
        try {
          // Another server where the bot also is: not this desk. DMs (alert buttons) have no guild.
          const said = i.guild_id && i.guild_id !== o.guildId
            ? (await privately('This support desk works only in its own server.'), undefined)
            : i.type === 2 ? await runCommand(i, actor, privately) : await pressButton(i, actor, privately);
          await dedupe.commit('discord', `interaction:${i.id}`);
          return said;
        } catch (err) {
          await dedupe.abort('discord', `interaction:${i.id}`);
          throw err;
        }
      },
    });
  }

  /** Where an interaction happened: the thread and its parent channel, or a channel. */
  async function locationOf(i: DiscordInteraction): Promise<Update['location']> {
    const channel = i.channel_id ?? i.channel?.id ?? '';
    const parent = i.channel?.parent_id ?? (await registry.parentOf(channel));
    return parent ? { workspace: o.guildId, channel: parent, thread: channel } : { workspace: o.guildId, channel };
  }

  async function runCommand(i: DiscordInteraction, actor: Update['actor'], privately: (t: string) => Promise<void>): Promise<string | undefined> {
    const checked = validateCommand(i.data?.name ?? '', i.data?.options as RawOption[] | undefined, i.data?.resolved);
    if (!checked.ok) { await privately(describeOptionProblem(checked.problem)); return undefined; }
    const { call } = checked;
    const location = await locationOf(i);
    const conv = location.thread ? await desk.conversations.byThread('discord', o.guildId, location.channel, location.thread) : undefined;
    // Outside a conversation, anything the command says goes to the caller only.
    const verbs: ContextVerbs = conv ? { replyPrivately: privately } : { replyPrivately: privately, reply: privately };
    const files = call.attachments.map((a) => ({ name: a.name, read: () => download(a.url) }));
    await dispatch(desk, commandCallToUpdate(call, actor, location, files), verbs);
    return `Done: \`/${call.label}\`.`;
  }

  async function pressButton(i: DiscordInteraction, actor: Update['actor'], privately: (t: string) => Promise<void>): Promise<undefined> {
    const button = parseCustomId(i.data?.custom_id);
    if (button?.kind === 'command') {
      await dispatch(desk, commandButtonToUpdate(button, actor, await locationOf(i)), { replyPrivately: privately, reply: privately });
      return undefined;
    }
    const update = button && headerButtonToUpdate(button, actor, o.guildId, i);
    if (!update) { await privately('This button is not one of the desk\'s. Use the buttons on a conversation\'s header card.'); return undefined; }
    await dispatch(desk, update, { replyPrivately: privately });
    return undefined;
  }

  /** A file attached to a command (a CSV for `/seat import`), from Discord's CDN. */
  async function download(url: string): Promise<Buffer> {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`attachment download failed with HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > 1024 * 1024) throw new Error('attachment over 1 MiB');
    return bytes;
  }

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
      case 'INTERACTION_CREATE':
        void handleInteraction(packet.d).catch((err: unknown) => log.error({ err: String(err) }, 'discord interaction not processed'));
        return;
      default:
        // Every other dispatch (typing, presence, guild updates…) is not the desk's; t is null on non-dispatch opcodes.
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
