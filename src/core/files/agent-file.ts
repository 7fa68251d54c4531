import type { Platform } from '../model.js';

/**
 * A file an agent attached to a message in a conversation's thread, by
 * reference: the bytes stay on the messenger until the customer's channel
 * sends them (the outbox carries this, never the bytes).
 */
export interface AgentFile {
  name: string;
  /** MIME type as the messenger reported it, lower case without parameters (`application/octet-stream` when it said none). */
  mime: string;
  /** Bytes, as the messenger reported them; absent when it did not say. */
  size?: number;
  /** The messenger that holds the file. */
  platform: Platform;
  /** The largest file that messenger lets the bot fetch (Telegram: 20 MB); absent: no such limit. */
  fetchLimit?: number;
  /** How that messenger finds it again (Slack `url_private_download`, Telegram `file_id`, Discord attachment URL). */
  ref: string;
}

/** A MIME type as the limits compare it: `Image/PNG; charset=x` → `image/png`. */
export function plainMime(mime: string | null | undefined): string {
  const m = (mime ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(m) ? m : 'application/octet-stream';
}
