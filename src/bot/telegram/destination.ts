import type { OutboxItem } from '../../core/outbox/items.js';
import type { AdapterContext } from '../messenger-adapter.js';

/**
 * The rate-limit lane of an outbox item: posts in a group chat share its
 * lane, header edits and reactions another, each private chat its own.
 */
export async function telegramDestination(desk: AdapterContext['desk'], head: OutboxItem): Promise<string> {
  const p = head.payload;
  switch (p.op) {
    case 'thread.customer':
    case 'thread.notice':
      return `telegram:group:${await chatOf(desk, p.convId)}`;
    case 'thread.header':
    case 'thread.delivered':
      return `telegram:edit:${await chatOf(desk, p.convId)}`;
    case 'private':
    case 'dm':
      return `telegram:chat:${p.user}`;
    case 'customer.send':
    case 'customer.template':
    case 'customer.change': {
      const conv = await desk.conversations.get(p.convId);
      return `telegram:chat:${conv?.customer.id ?? 'unknown'}`;
    }
  }
}

async function chatOf(desk: AdapterContext['desk'], convId: string): Promise<string> {
  const conv = await desk.conversations.get(convId);
  return conv ? desk.queueOf(conv).channel : 'unknown';
}
