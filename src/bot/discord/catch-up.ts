import { RESTJSONErrorCodes, Routes, type REST } from 'discord.js';
import type { Logger } from '../../runtime/logger.js';
import { hasCode } from './classify-error.js';
import type { ThreadRegistry } from './thread-registry.js';

/** Discord's epoch (2015-01-01T00:00:00Z): snowflakes carry milliseconds since then in their top 42 bits. */
const DISCORD_EPOCH = 1420070400000n;
const PAGE = 100;
const MAX_PAGES = 20;

/** The smallest snowflake of a moment, for `?after=`. */
export function snowflakeAt(ms: number): string {
  return ((BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH) << 22n).toString();
}

/** The moment a snowflake (a message id) was made; undefined for what is not one. */
export function msOfSnowflake(id: string): number | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export interface CatchUpOptions {
  rest: REST;
  registry: ThreadRegistry;
  guildId: string;
  /** Messages after this moment are read again. */
  sinceMs: number;
  /** The same entry as a gateway MESSAGE_CREATE (deduplicated on the message id). */
  handle(message: Record<string, unknown>): Promise<void>;
  log: Logger;
}

/**
 * The gateway does not replay what happened while no session was connected
 * (a new leader identifies afresh; it cannot resume the dead one's session).
 * After every fresh READY the leader reads each open conversation thread's
 * messages since the last moment a leader was surely connected, oldest
 * first, and hands them to the usual entry; those already processed are
 * recognised by their id. Returns how many messages were read.
 */
export async function catchUp(o: CatchUpOptions): Promise<number> {
  let read = 0;
  for (const thread of await o.registry.openThreads()) {
    let after = snowflakeAt(o.sinceMs);
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const batch = (await o.rest.get(Routes.channelMessages(thread), { query: new URLSearchParams({ after, limit: String(PAGE) }) })) as Record<string, unknown>[];
        // Discord lists newest first; replies must be handled in the order they were written.
        const ordered = [...batch].sort((a, b) => (BigInt(String(a.id)) < BigInt(String(b.id)) ? -1 : 1));
        for (const m of ordered) await o.handle({ ...m, guild_id: o.guildId });
        read += batch.length;
        if (batch.length < PAGE) break;
        after = String(ordered[ordered.length - 1]!.id);
      }
    } catch (err) {
      if (hasCode(err, RESTJSONErrorCodes.UnknownChannel)) { await o.registry.markOpen(thread, false); continue; }
      o.log.warn({ thread, err: String(err) }, 'could not read a Discord thread after reconnecting; messages written there while the bot was away may be missing');
    }
  }
  return read;
}
