import type { AtomicPort, KeyValuePort, WriteOp } from './ports.js';
import { keys } from './keys.js';

/** What a message the desk sent to a customer was, when the channel later names it (a status, a reaction). */
export interface SentRecord { convId: string; agentMessageId?: string }

/** Channels say "delivered", "read" or "failed" for up to a week (WhatsApp resends statuses for 7 days). */
const KEEP_MS = 8 * 24 * 3600_000;

/**
 * The record of a sent message as a write, so a deliverer can hand it to the
 * outbox and have it stored in the same atomic step as the item's removal.
 */
export function sentRecordOp(channel: string, messageId: string, record: SentRecord): WriteOp {
  return { kind: 'setString', key: keys.sentMessage(channel, messageId), value: JSON.stringify(record), ttlMs: KEEP_MS };
}

/** The record of a message the desk sent, if it did (records of older versions were key-value entries). */
export async function readSentRecord(store: Pick<AtomicPort, 'getString'> & Pick<KeyValuePort, 'get'>, channel: string, messageId: string): Promise<SentRecord | undefined> {
  const raw = await store.getString(keys.sentMessage(channel, messageId));
  if (raw !== undefined) return JSON.parse(raw) as SentRecord;
  return store.get<SentRecord>(keys.sentMessage(channel, messageId));
}
