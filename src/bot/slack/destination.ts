import type { OutboxItem } from '../../core/outbox/items.js';
import type { AdapterContext } from '../messenger-adapter.js';

/**
 * The rate-limit lane of an outbox item: posts share their channel's lane
 * (about one message per second per channel), other calls their method's tier.
 */
export async function slackDestination(desk: AdapterContext['desk'], head: OutboxItem): Promise<string> {
  const p = head.payload;
  switch (p.op) {
    case 'thread.customer':
    case 'thread.notice': {
      const conv = await desk.conversations.get(p.convId);
      return `slack:post:${conv ? desk.queueOf(conv).channel : 'unknown'}`;
    }
    case 'thread.header': return 'slack:tier3:chat.update';
    case 'thread.delivered': return 'slack:tier3:reactions.add';
    case 'private': return 'slack:tier4:chat.postEphemeral';
    case 'dm': return `slack:post:dm:${p.user}`;
    case 'customer.send':
    case 'customer.template':
    case 'customer.change': return 'slack:tier4:invalid';
  }
}
