import type { Conversations } from '../../core/conversations.js';
import { DESK_AUTHOR } from '../../core/intake/receive-customer-message.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import type { StorePort } from '../../core/ports.js';
import type { Seats } from '../../core/seats.js';
import type { StoredLine } from './history.js';
import { VisitorHistory } from './history.js';
import { customerSendAtHead } from '../customer-send.js';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import type { WebchatFiles } from './files.js';
import { keepAgentFiles } from './keep-agent-files.js';
import { deliverWebchatChange } from './deliver-change.js';

/** What delivering needs of the desk: the conversation's visitor and the agent's name. */
export interface WebchatDeliveryDesk {
  conversations: Pick<Conversations, 'get'>;
  seats: Pick<Seats, 'get'>;
}

/** How long the "already in the history" mark of a delivered item is kept: longer than any retry. */
const SENT_MARK_TTL_MS = 7 * 24 * 3600_000;

/**
 * Agent replies (and the desk's welcome and away texts) to a web chat
 * visitor. Delivered means stored in the visitor's history, in one atomic step
 * with a mark naming the outbox item, so a retry after a crash finds the mark
 * and appends nothing twice; open sockets are then told, and a visitor who is
 * offline reads it when the widget resumes.
 */
export class WebchatDeliverer implements Deliverer {
  private readonly history: VisitorHistory;

  constructor(
    private readonly desk: WebchatDeliveryDesk,
    private readonly store: StorePort,
    private readonly notify: (visitorId: string) => void,
    /** Agents' files, streamed from their messenger and kept like visitors' uploads. */
    private readonly agentFiles?: { files: WebchatFiles; fetch: AgentFileFetcher },
  ) {
    this.history = new VisitorHistory(store);
  }

  destination(head: OutboxItem): Promise<string> {
    const convId = 'convId' in head.payload ? (head.payload.convId ?? '') : '';
    return Promise.resolve(`webchat:visitor:${convId}`);
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const first = items[0]!.payload;
    if (first.op === 'customer.change') {
      return deliverWebchatChange({ desk: this.desk, store: this.store, history: this.history, notify: this.notify, markTtlMs: SENT_MARK_TTL_MS }, items[0]!, first);
    }
    // The seat's name only for a reply of an older version, which carries no agent identity.
    const author = first.op === 'customer.send' && first.author !== DESK_AUTHOR && !first.identity ? first.author : undefined;
    const mark = `webchat:sent:${items[0]!.id}`;
    // The three reads in one turn: on a busy embedded store each read waits for the open group's COMMIT.
    const [head, sent, seat] = await Promise.all([
      customerSendAtHead(this.desk, items, 'web chat'),
      this.store.getString(mark),
      author ? this.desk.seats.get(author) : undefined,
    ]);
    if ('failed' in head) return head.failed;
    const { item, payload: p, conv } = head;
    const visitorId = conv.customer.id;
    if (!sent) {
      const kept = p.files?.length && this.agentFiles ? await keepAgentFiles(this.agentFiles.files, this.agentFiles.fetch, visitorId, p.files) : undefined;
      if (kept && 'stop' in kept) return kept.stop;
      const files = kept?.kept.length ? { files: kept.kept } : {};
      const line: StoredLine = p.author === DESK_AUTHOR
        ? { author: 'system', text: p.text, at: item.createdAt }
        : {
          author: 'agent', text: p.text, at: item.createdAt, ...agentName(p, seat), ...files,
          // Kept for the visitor's seen mark (take-seen.ts), which marks this message read in the thread.
          convId: conv.id, ...(p.agentMessageId ? { ref: p.agentMessageId } : {}),
        };
      const written = this.store.writeAtomically([
        ...this.history.appendOps(visitorId, line),
        { kind: 'setString', key: mark, value: '1', ttlMs: SENT_MARK_TTL_MS },
      ]);
      // The sockets' read is queued behind this write, so it sees the line once committed, and the
      // embedded store answers reads at COMMIT, not at the fsync that follows (group-commit.ts): the
      // visitor gets the line without waiting for the disk. The item is delivered only once durable.
      this.notify(visitorId);
      await written;
    }
    // Again once durable: a push that read before the write landed finds the line now (a no-op otherwise).
    this.notify(visitorId);
    return { kind: 'delivered', consumed: 1 };
  }
}

/**
 * The agent's name on a line, as the queue's agent identity says (SPEC §13):
 * the reply carries it; an item of an older version carries none, and the
 * seat's name is looked up. Hidden (`show_name: false`): no name.
 */
function agentName(p: { author: string; identity?: { name?: string } }, seat: { name: string } | undefined): { name?: string } {
  if (p.identity) return p.identity.name ? { name: p.identity.name } : {};
  return { name: seat?.name ?? p.author };
}
