import type { Conversation, Platform } from './model.js';
import { ownValue } from './own-property.js';
import type { Assignment } from './assignment/pick-seat.js';
import type { ServiceSettings } from './service-settings.js';
import type { QueueAssignment } from './assignment/assign-waiting.js';
import { routeQueue, type RoutingInput, type RoutingRule } from './routing/route-queue.js';

/** Where a queue's conversations are mirrored. */
export interface QueueRoute {
  name: string;
  department: string;
  messenger: Platform;
  channel: string;
  /** Language of what this queue's customers read and of its shared thread posts; absent: the desk's. */
  language?: string;
  /** Who gets its new conversations (default `least_busy`). */
  assignment?: Assignment;
  /** Prefer the seat that served the customer last, within this many days (0 = off; default 7). */
  stickyDays?: number;
  /** Hours, away reply, welcome, SLA, inactivity close (absent: always open, nothing automatic). */
  service?: ServiceSettings;
}

/** The queues of the config file and the one new conversations land in. */
export interface QueueTable {
  readonly queues: Readonly<Record<string, QueueRoute>>;
  readonly defaultQueue: string;
  /** `routing.rules`, in order (none: everything lands in the default queue). */
  readonly routing?: { readonly rules: readonly RoutingRule[] };
}

/**
 * Which queue a conversation belongs to, and so which messenger, channel and
 * department: decided once, when it opens, by the routing rules.
 */
export class QueueRouter {
  constructor(private readonly table: QueueTable) {}

  /** The queue new conversations land in. */
  get defaultQueue(): string { return this.table.defaultQueue; }

  /** The queue a new conversation opens in: the first matching rule's, else the default queue. */
  route(input: RoutingInput): string {
    const queue = routeQueue(this.table.routing?.rules ?? [], input, this.table.defaultQueue);
    // The config refuses a rule naming an unknown queue; a table built by hand might not.
    return this.find(queue) ? queue : this.table.defaultQueue;
  }

  /** How a queue hands out conversations; undefined for a queue that is not configured. */
  assignmentOf(queue: string): QueueAssignment | undefined {
    const q = this.find(queue);
    return q ? { assignment: q.assignment ?? 'least_busy', stickyDays: q.stickyDays ?? 7 } : undefined;
  }

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
