import type { FakeChannel, FakeInteraction, FakeMessage, FakeUser, ReactionRecord } from './fake-types.js';
import { GatewayServer } from './gateway-server.js';
import { guildCreate, messageCreate, newMessage, ready, textChannel, type GuildFacts } from './payloads.js';
import { nextSnowflake } from './snowflake.js';
import { validateMessageBody, type DiscordError } from './validate-body.js';

export interface GuildConfig { token: string; applicationId: string; guildId: string; channels: string[]; botUserId: string }

export interface GuildStateOptions {
  config: GuildConfig;
  users: Record<string, FakeUser>;
  heartbeatIntervalMs: number;
  messageContentAllowed: boolean;
  resumableMs: number;
  deadlineMs: number;
  onChange(): void;
}

/**
 * What the fake guild holds (channels, threads, DMs, messages, reactions,
 * interactions, commands) and the gateway that tells the bot about it. The
 * REST routes and the test helpers both change it through here, so a
 * member's message and the bot's post get the same checks and dispatches.
 */
export class GuildState {
  readonly config: GuildConfig;
  readonly users: Record<string, FakeUser>;
  readonly g: GuildFacts;
  readonly deadlineMs: number;
  readonly channels = new Map<string, FakeChannel>();
  readonly messages: FakeMessage[] = [];
  readonly byId = new Map<string, FakeMessage>();
  /** `author:nonce` → the message created with it, for `enforce_nonce`. */
  private readonly nonces = new Map<string, { id: string; at: number }>();
  readonly reactions: ReactionRecord[] = [];
  readonly interactions: FakeInteraction[] = [];
  commands: Record<string, unknown>[] = [];
  readonly gateway: GatewayServer;
  /** 'http://127.0.0.1:<port>', once listening. */
  origin = '';
  readonly changed: () => void;

  constructor(o: GuildStateOptions) {
    this.config = o.config;
    this.users = o.users;
    this.deadlineMs = o.deadlineMs;
    this.changed = o.onChange;
    this.g = { guildId: o.config.guildId, applicationId: o.config.applicationId, botUserId: o.config.botUserId, botName: 'threaddesk', users: o.users, joinedAt: new Date().toISOString() };
    o.config.channels.forEach((id, i) => this.channels.set(id, textChannel(this.g, id, i === 0 ? 'support' : `support-${i}`)));
    this.gateway = new GatewayServer({
      token: o.config.token,
      heartbeatIntervalMs: o.heartbeatIntervalMs,
      messageContentAllowed: o.messageContentAllowed,
      resumableMs: o.resumableMs,
      botUserId: o.config.botUserId,
      ready: (sessionId, resumeUrl) => ready(this.g, sessionId, resumeUrl),
      guildCreate: () => guildCreate(this.g, [...this.channels.values()].filter((c) => c.type === 0), this.activeThreads()),
      onChange: o.onChange,
    });
  }

  get gatewayUrl(): string {
    return this.origin.replace(/^http/, 'ws');
  }

  activeThreads(): FakeChannel[] {
    return [...this.channels.values()].filter((c) => c.type === 11 && !(c as { thread_metadata?: { archived?: boolean } }).thread_metadata?.archived);
  }

  store(m: FakeMessage): void {
    this.messages.push(m);
    this.byId.set(m.id, m);
  }

  /** MESSAGE_CREATE for a guild message (DMs would need the DIRECT_MESSAGES intent, which the desk does not ask for). */
  dispatchMessage(m: FakeMessage, guildId?: string): number {
    if (!m.guild_id) return 0;
    return this.gateway.dispatch('MESSAGE_CREATE', { ...messageCreate(this.g, m), ...(guildId ? { guild_id: guildId } : {}) });
  }

  /** `POST /channels/{id}/messages` and an interaction's public reply: Discord's checks, then MESSAGE_CREATE. */
  createMessage(channelId: string, authorId: string, body: Record<string, unknown>, files: { name: string; size: number; type: string }[]): FakeMessage | DiscordError {
    const channel = this.channels.get(channelId);
    if (!channel) return { status: 404, code: 10003, message: 'Unknown Channel' };
    if (channel.type === 1) {
      const to = (channel as { recipients?: { id: string }[] }).recipients?.[0]?.id ?? '';
      if (this.users[to]?.dmsClosed) return { status: 403, code: 50007, message: 'Cannot send messages to this user' };
    }
    const meta = (channel as { thread_metadata?: { archived: boolean; locked: boolean } }).thread_metadata;
    if (meta?.locked && meta.archived) return { status: 400, code: 50083, message: 'Thread is archived' };
    const invalid = validateMessageBody(body, 2000, files.length > 0);
    if (invalid) return invalid;
    // Create Message: `nonce` (integer or string of at most 25 characters); with `enforce_nonce`, a
    // message of the same author with the same nonce "in the past few minutes" is returned instead
    // of creating a new one (developers/resources/message.mdx). The fake keeps nonces for 3 minutes.
    const nonce = body.nonce;
    if (nonce !== undefined && !(typeof nonce === 'number' && Number.isInteger(nonce)) && !(typeof nonce === 'string' && nonce.length <= 25)) {
      return { status: 400, code: 50035, message: 'Invalid Form Body', errors: { nonce: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }] } } };
    }
    const nonceKey = nonce === undefined ? undefined : `${authorId}:${String(nonce)}`;
    if (nonceKey && body.enforce_nonce === true) {
      const seen = this.nonces.get(nonceKey);
      if (seen && Date.now() - seen.at < 3 * 60_000) {
        const earlier = this.byId.get(seen.id);
        if (earlier) return earlier;
      }
    }
    if (meta?.archived) { meta.archived = false; this.gateway.dispatch('THREAD_UPDATE', channel); } // posting unarchives (platform-facts §5)
    const m = newMessage(this.g, {
      id: nextSnowflake(), channel, authorId, content: String(body.content ?? ''),
      extra: {
        embeds: (body.embeds ?? []) as FakeMessage['embeds'],
        components: (body.components ?? []) as FakeMessage['components'],
        attachments: files.map((f) => ({ id: nextSnowflake(), filename: f.name, size: f.size, content_type: f.type, url: `${this.origin}/attachments/${f.name}`, proxy_url: `${this.origin}/attachments/${f.name}` })),
      },
    });
    (m as { allowed_mentions?: unknown }).allowed_mentions = body.allowed_mentions;
    if (nonceKey) { (m as { nonce?: unknown }).nonce = nonce; this.nonces.set(nonceKey, { id: m.id, at: Date.now() }); }
    this.store(m);
    (channel as { last_message_id?: string }).last_message_id = m.id;
    if (channel.type === 11) {
      const t = channel as { message_count?: number; total_message_sent?: number };
      t.message_count = (t.message_count ?? 0) + 1;
      t.total_message_sent = (t.total_message_sent ?? 0) + 1;
    }
    this.dispatchMessage(m);
    return m;
  }
}
