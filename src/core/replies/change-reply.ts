import type { ChannelTraits } from '../channel-traits.js';
import type { Conversation, Seat } from '../model.js';
import type { Clock, StorePort, WriteOp } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Locks } from '../lock.js';
import type { Outbox } from '../outbox/outbox.js';
import { lanes } from '../outbox/items.js';
import { fail, ok, type Result } from '../result.js';
import { readReplyRecord, replyRecordOp } from './reply-record.js';

/** What carrying an edit or a delete of a reply needs. */
export interface ChangeDeps {
  store: StorePort;
  clock: Clock;
  conversations: Conversations;
  outbox: Outbox;
  locks: Locks;
  channels: ChannelTraits;
}

/**
 * `carried`: queued to the customer; `unchanged`: nothing to do (the same
 * wording again, a second delete, a link preview added); `not_a_reply`: the
 * message was no reply of this seat's (a note, a command, someone else's).
 */
export type ChangeOutcome = 'carried' | 'unchanged' | 'not_a_reply';

/**
 * An agent edited (`text`) or deleted (`text` undefined) a message of theirs
 * in the thread that went to the customer as a reply (SPEC §13). Where the
 * channel can change a sent message, the change is queued on the customer's
 * lane behind the reply itself; where it cannot, the change is recorded and
 * refused with `reply_change_unsupported`, which the thread is told: the
 * customer still sees the original.
 *
 * Never twice: the reply's record holds the wording the customer has, and is
 * rewritten in the same batch as the queued change, under the reply's lock;
 * the messenger's redelivery of the same edit then finds nothing to change.
 */
export async function changeReply(d: ChangeDeps, conv: Conversation, seat: Seat | undefined, agentMessageId: string, text: string | undefined): Promise<Result<ChangeOutcome>> {
  const author = (record: { author: string }) => seat?.id ?? record.author;
  const first = await readReplyRecord(d.store, conv.id, agentMessageId);
  // Only the author changes a reply. A delete whose doer the messenger does not name (Discord) is taken as
  // theirs: the message is gone from the thread either way, and the customer should not keep what it said.
  const byAuthor = seat ? first?.author === seat.id : text === undefined;
  if (!first || !byAuthor) return ok('not_a_reply');
  const change = text === undefined ? 'delete' : 'edit';
  return d.locks.run(`lock:reply:${conv.id}:${agentMessageId}`, async () => {
    const record = await readReplyRecord(d.store, conv.id, agentMessageId);
    if (!record || record.deleted || (text !== undefined && text.trim() === record.text.trim())) return ok<ChangeOutcome>('unchanged');
    const now = d.clock.now();
    const carried = d.channels[conv.channel]?.changesReplies === true;
    const lane = lanes.customer(conv.id);
    const ops: WriteOp[] = [
      replyRecordOp(conv.id, agentMessageId, text === undefined ? { ...record, deleted: true } : { ...record, text }),
      d.conversations.transcriptOp(conv.id, { at: now, direction: 'event', text: text === undefined ? `reply deleted: ${record.text}` : `reply edited: ${text}`, author: author(record) }),
      ...(carried ? d.outbox.stage(lane, conv.channel, { op: 'customer.change', convId: conv.id, agentMessageId, ...(text === undefined ? {} : { text, ...(record.prefix ? { prefix: record.prefix } : {}) }), author: author(record) }).ops : []),
    ];
    await d.store.writeAtomically(ops);
    if (!carried) return fail<ChangeOutcome>('reply_change_unsupported', { channel: d.channels[conv.channel]?.label ?? conv.channel, change });
    d.outbox.appended([lane]);
    return ok<ChangeOutcome>('carried');
  });
}
