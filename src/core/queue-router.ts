import type { Conversation, Platform } from './model.js';
import { ownValue } from './own-property.js';

/** Where a queue's conversations are mirrored. */
export interface QueueRoute {
  name: string;
  department: string;
  messenger: Platform;
  channel: string;
  /** Language of what this queue's customers read and of its shared thread posts; absent: the desk's. */
  language?: string;
}

/** The queues of the config file and the one new conversations land in. */
export interface QueueTable {
  readonly queues: Readonly<Record<string, QueueRoute>>;
  readonly defaultQueue: string;
}

/**
 * Which queue a conversation belongs to, and so which messenger, channel and
 * department. Today every new conversation lands in the default queue; the
 * routing rules will be decided here.
 */
export class QueueRouter {
  constructor(private readonly table: QueueTable) {}

  /** The queue new conversations land in. */
  get defaultQueue(): string { return this.table.defaultQueue; }

  /** A configured queue by name (own properties only: a name like `constructor` is no queue). */
  find(queue: string): QueueRoute | undefined {
    return ownValue(this.table.queues, queue);
  }

  /** The route of a conversation's queue; the default queue's when its own is gone from the config. */
  routeOf(conv: Pick<Conversation, 'queue'>): QueueRoute {
    const q = this.table.queues[conv.queue] ?? this.table.queues[this.table.defaultQueue];
    if (!q) throw new Error(`queue '${conv.queue}' has no route and there is no default queue`);
    return q;
  }

  /** The department whose permissions apply to a conversation. */
  departmentOf(conv: Pick<Conversation, 'queue'>): string {
    return this.routeOf(conv).department;
  }

  /** The messenger a conversation's thread lives on. */
  messengerOf(conv: Pick<Conversation, 'queue'>): Platform {
    return this.routeOf(conv).messenger;
  }
}
