import type { Breach } from '../stats/stats-recorder.js';
import type { Conversation, Platform, Seat } from '../model.js';
import type { Clock, StorePort, WriteOp } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Outbox } from '../outbox/outbox.js';
import type { Seats } from '../seats.js';
import type { ServiceSettings } from '../service-settings.js';

/** The words of SLA notices and DMs, made outside core (the queue's or the reader's language). */
export interface SlaWords {
  /** Thread notice: the customer has waited `waitedMs` for an answer; `claimed` says whether someone holds the chat. */
  firstResponse(conv: Conversation, waitedMs: number, claimed: boolean): string;
  /** Thread notice to the claimer: they have not answered for `waitedMs`. */
  noReply(conv: Conversation, waitedMs: number): string;
  /** DM to a supervisor, in their language: the conversation is still unanswered after `waitedMs`. */
  escalation(conv: Conversation, supervisor: Seat, waitedMs: number): string;
  /** DM to a supervisor, in their language: the conversation is tagged urgent. */
  urgent(conv: Conversation, supervisor: Seat): string;
  /** Thread notice: closed after `silentMs` without a message. */
  inactiveClosed(conv: Conversation, silentMs: number): string;
}

/** What firing SLA timers reads; every write is returned as WriteOps for the timer's batch. */
export interface SlaPorts {
  clock: Clock;
  store: Pick<StorePort, 'getString'>;
  conversations: Pick<Conversations, 'get' | 'claimer'>;
  seats: Pick<Seats, 'get' | 'inQueue' | 'list'>;
  outbox: Pick<Outbox, 'stage'>;
  /** A conversation's queue: its thread's messenger, department and service settings. */
  queueOf: (conv: Pick<Conversation, 'queue'>) => { messenger: Platform; department: string; service?: ServiceSettings };
  words: SlaWords;
  /** The figures' record of a breach (stats-recorder.ts `recordBreach`): per day, queue and seat, and the conversation overdue. */
  breach?: (breach: Breach) => WriteOp[];
}
