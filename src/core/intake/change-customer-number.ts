import type { CustomerChannelName } from '../model.js';
import type { StorePort } from '../ports.js';
import type { Conversations } from '../conversations.js';
import { keys } from '../keys.js';
import type { Locks } from '../lock.js';

export interface NumberChangeDeps {
  store: StorePort;
  /** Both ids are locked as receiving a message locks them. */
  locks: Locks;
  conversations: Conversations;
}

/** A customer now writes from another id on the same channel account (WhatsApp: a new phone number). */
export interface CustomerNumberChange {
  channel: CustomerChannelName;
  account: string;
  from: string;
  to: string;
}

export type NumberChangeOutcome =
  /** The conversation now belongs to the new id: its messages continue it, replies go to it. */
  | { status: 'linked'; convId: string }
  /** The new id already has an open conversation of its own: both are left as they are. */
  | { status: 'kept_apart'; convId: string }
  /** The old id has no conversation (and the new one is not linked to any): nothing to move. */
  | { status: 'no_conversation' };

/**
 * Moves a customer's conversation from their old id to their new one, so the
 * next message from the new id continues the same conversation and replies
 * go to the new id. The old id no longer leads to it: a late message from the
 * old id must not turn replies back to a number the customer gave up.
 *
 * Safe to repeat (a platform's redelivery finds the link made and changes
 * nothing); both ids are locked as receiving a message locks them.
 */
export async function changeCustomerNumber(d: NumberChangeDeps, c: CustomerNumberChange): Promise<NumberChangeOutcome> {
  const oldKey = keys.customerConversation(c.channel, c.account, c.from);
  const newKey = keys.customerConversation(c.channel, c.account, c.to);
  if (c.from === c.to) {
    const convId = await d.store.getString(oldKey);
    return convId ? { status: 'linked', convId } : { status: 'no_conversation' };
  }
  return d.locks.run(`lock:${oldKey}`, () => d.locks.run(`lock:${newKey}`, async () => {
    const convId = await d.store.getString(oldKey);
    const current = await d.store.getString(newKey);
    if (!convId) return current ? { status: 'linked', convId: current } : { status: 'no_conversation' };
    if (current && current !== convId && (await d.conversations.get(current))?.status === 'open') {
      return { status: 'kept_apart', convId };
    }
    await d.conversations.update(convId, (conv) => (conv.customer.id === c.from ? { ...conv, customer: { ...conv.customer, id: c.to } } : conv));
    await d.store.setString(newKey, convId);
    await d.store.compareAndDelete(oldKey, convId);
    return { status: 'linked', convId };
  }));
}
