import type { Conversation } from '../model.js';
import type { WriteOp } from '../ports.js';
import { lanes } from '../outbox/items.js';
import type { Timer } from '../timers.js';
import type { SlaPorts } from './sla-ports.js';

/** Closes a conversation as the desk (claims/close-reopen.ts `closeInactive`); undefined when it was closed already. */
export type CloseInactive = (conv: Conversation) => Promise<Conversation | undefined>;

/**
 * `inactive` fires: a conversation silent for its queue's inactivity time is
 * closed (claim released, header refreshed, as any close) and the thread
 * says why. Every message moves the timer, so a conversation with a message
 * since is left open; one closed already is left alone. The close is written
 * before the notice's batch: a crash between them finds the conversation
 * closed on the next firing and skips, so the close never happens twice.
 */
export async function fireInactivityClose(p: SlaPorts, closeInactive: CloseInactive, timer: Timer): Promise<WriteOp[] | 'skip'> {
  const conv = timer.convId ? await p.conversations.get(timer.convId) : undefined;
  if (!conv || conv.status !== 'open') return 'skip';
  const limit = p.queueOf(conv).service?.inactivityCloseMs ?? 0;
  const silentMs = p.clock.now() - Math.max(conv.lastCustomerAt, conv.lastAgentAt ?? 0);
  if (limit <= 0 || silentMs < limit) return 'skip';
  const closed = await closeInactive(conv);
  if (!closed) return 'skip';
  const queue = p.queueOf(conv);
  return p.outbox.stage(lanes.thread(conv.id), queue.messenger, { op: 'thread.notice', convId: conv.id, text: p.words.inactiveClosed(conv, silentMs) }).ops;
}
