import type { MediaStore } from './media-store.js';
import type { MessageLog } from './message-log.js';
import type { Sessions } from './sessions.js';
import type { SyncTokens } from './sync-tokens.js';
import type { EventSend, SentKfMessage } from './wecom-fake-types.js';

/** What the route handlers share: the clock, the configuration and the fake's state. */
export interface FakeContext {
  now: () => number;
  openKfIds: readonly string[];
  servicers: readonly string[] | undefined;
  checkSyncToken: boolean;
  sessions: Sessions;
  log: MessageLog;
  media: MediaStore;
  syncTokens: SyncTokens;
  sent: SentKfMessage[];
  eventSends: EventSend[];
}

/** A JSON answer: `errcode` 0 with the result's fields, or an error code alone. */
export type Answer = { errcode: number } & Record<string, unknown>;

/** The body as a plain object, or undefined for arrays, null and scalars. */
export function asObject(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}

/** A non-empty string field, or undefined. */
export function stringField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
