import type { FakeState, FakeUser } from './fake-state.js';

/** Resolved options of one fake workspace. */
export interface FakeConfig {
  botToken: string;
  appToken: string;
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  botName: string;
  channels: Set<string>;
  /** Channels that exist but the bot is not a member of: posting and reading history are `not_in_channel`. */
  outsideChannels: Set<string>;
  users: Record<string, FakeUser>;
  maxTextLength: number;
  /** The bot token's scopes (`x-oauth-scopes`). */
  scopes: readonly string[];
}

/** What a Web API method handler may read and change. */
export interface MethodContext {
  config: FakeConfig;
  state: FakeState;
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  /** A new unique, increasing message timestamp from the wall clock, such as '1767225600.000100'. */
  nextTs(): string;
  /** A new unique id with Slack's one-letter prefix, e.g. nextId('F') → 'F0000000001'. */
  nextId(prefix: string): string;
  /** Issues a single-use Socket Mode ticket and returns the WebSocket URL. */
  openSocketUrl(): string;
}

/** A Web API response body: Slack always answers `{ok:true,…}` or `{ok:false,error}`. */
export type MethodResult = { ok: boolean } & Record<string, unknown>;

/** One Web API method. */
export type MethodHandler = (ctx: MethodContext, args: Record<string, unknown>) => MethodResult;

/** The `{ok:false,error}` body Slack returns with HTTP 200 for method errors. */
export function fail(error: string): MethodResult {
  return { ok: false, error };
}
