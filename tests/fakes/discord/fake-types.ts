import type { APIChannel, APIMessage, APIUser } from 'discord.js';

/** A member of the fake guild. */
export interface FakeUser {
  username: string;
  global_name?: string;
  bot?: boolean;
  /** Refuses DMs from server members: posting into their DM answers 403 / 50007. */
  dmsClosed?: boolean;
}

/** A message as the fake stores it: the API shape (`GET` returns it), edited in place. */
export type FakeMessage = APIMessage & { guild_id?: string };

/** A channel: the guild's text channels, threads started on messages, DMs. */
export type FakeChannel = APIChannel & { guild_id?: string; parent_id?: string | null };

/** One REST request, as the fake answered it. */
export interface RecordedCall {
  method: string;
  /** Path after `/api/v10`, with the query. */
  path: string;
  /** The route template ('POST /channels/:id/messages'). */
  route: string;
  status: number;
  body: unknown;
  /** Names of uploaded files (multipart). */
  files: string[];
  authorized: boolean;
  at: number;
}

/** An interaction the fake dispatched, and how the bot answered it. */
export interface FakeInteraction {
  id: string;
  token: string;
  /** 2 = application command, 3 = message component. */
  type: number;
  name?: string;
  customId?: string;
  userId: string;
  channelId: string;
  createdAt: number;
  payload: Record<string, unknown>;
  /** Interaction callbacks, in order (`type` 4 reply, 5 deferred, 6 deferred update, 7 update). */
  callbacks: { type: number; data?: Record<string, unknown>; at: number }[];
  /** The reply the user sees (after type 4, or the edit of a deferred one). */
  reply?: { content: string; ephemeral: boolean };
  followups: { content: string; ephemeral: boolean }[];
  /** No callback within the 3 s deadline: Discord shows "This interaction failed". */
  failed: boolean;
}

export interface ReactionRecord { channelId: string; messageId: string; emoji: string; userId: string }

export interface IdentifyRecord { at: number; intents: number; sessionId: string; connection: number; shard?: [number, number] }

/** One WebSocket connection to the fake gateway. */
export interface ConnectionRecord {
  id: number;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
  sessionId?: string;
  /** IDENTIFY or RESUME accepted: the connection receives dispatches. */
  live: boolean;
  resumed: boolean;
  heartbeats: number;
}

export type { APIUser };

/** A file on the fake CDN, as a message's `attachments[]` entry. */
export interface FakeAttachment { id: string; filename: string; size: number; url: string; proxy_url: string; content_type: string }
