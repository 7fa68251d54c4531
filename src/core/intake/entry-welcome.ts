import type { Conversation, Customer } from '../model.js';
import type { Clock, StorePort } from '../ports.js';
import type { ServiceSettings } from '../service-settings.js';
import type { RoutingInput } from '../routing/route-queue.js';
import { keys } from '../keys.js';
import { welcomeNow, type AutoReplyWords } from './auto-replies.js';

/** A channel's greeting on entry counts for as long as WeChat's own rule (no second welcome within 48 h). */
const WELCOMED_TTL_MS = 48 * 3600_000;

export interface EntryWelcomePorts {
  store: Pick<StorePort, 'members' | 'setString'>;
  clock: Clock;
  routeOf: (input: RoutingInput) => string;
  serviceOf?: (queue: string) => ServiceSettings | undefined;
  autoReplyWords?: AutoReplyWords;
}

/**
 * The welcome for a customer who entered a channel's session but has not
 * written yet (WeChat's `enter_session`): routed as their first message
 * would be (channel, account, customer tags; no text yet), in their queue's
 * words. Undefined when the queue has none now.
 */
export async function entryWelcome(d: EntryWelcomePorts, channel: string, account: string, customer: Customer): Promise<string | undefined> {
  if (!d.autoReplyWords) return undefined;
  const customerTags = await d.store.members(keys.customerTags(channel, account, customer.id));
  const queue = d.routeOf({ channel, account, text: '', customerTags });
  const now = d.clock.now();
  const conv: Conversation = { id: '', channel, account, customer, queue, status: 'open', createdAt: now, lastCustomerAt: now };
  return welcomeNow(conv, now, d.serviceOf?.(queue), d.autoReplyWords)?.text;
}

/** The channel sent the welcome on entry: the customer's first message gets no second one. */
export async function markWelcomed(d: Pick<EntryWelcomePorts, 'store'>, channel: string, account: string, customerId: string): Promise<void> {
  await d.store.setString(keys.welcomed(channel, account, customerId), '1', WELCOMED_TTL_MS);
}
