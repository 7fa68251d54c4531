import type { BatchPort, WriteOp } from '../ports.js';
import { localTime } from '../hours/local-time.js';
import { bucketOf } from './response-buckets.js';
import { statsKeys, type QueueCounter, type SeatCounter } from './stats-keys.js';

/** An SLA breach, as the SLA timers record it (issue 13 item 4): which conversation, queue and seat, and when. */
export interface Breach {
  convId: string;
  queue: string;
  /** The claimer the breach is counted against; absent when nobody held the conversation. */
  seat?: string;
  /** Epoch ms of the breach (the timer's firing), on the desk's clock. */
  at: number;
}

/**
 * The writes that keep the figures, one builder per event. Each returns
 * WriteOps for the caller's own atomic batch, so a figure lands exactly when
 * its event does. Days are local dates in the queue's department time zone
 * at the event (`zoneOf`), so `/stats today` means the department's today.
 */
export class StatsRecorder {
  constructor(private readonly zoneOf: (queue: string) => string) {}

  /** A conversation opened (its customer's first message). */
  opened(queue: string, at: number): WriteOp[] {
    return [this.count(queue, at, 'opened', 1), { kind: 'incr', key: statsKeys.open(queue), by: 1 }];
  }

  /** A closed conversation reopened: open again, not opened again. */
  reopened(queue: string): WriteOp[] {
    return [{ kind: 'incr', key: statsKeys.open(queue), by: 1 }];
  }

  /** A conversation closed: counted that day, no longer open, no longer overdue. */
  closed(queue: string, convId: string, at: number): WriteOp[] {
    return [
      this.count(queue, at, 'closed', 1),
      { kind: 'incr', key: statsKeys.open(queue), by: -1 },
      { kind: 'zRemove', key: statsKeys.overdue(queue), member: convId },
    ];
  }

  /** The conversation's first agent reply, `ms` after it opened: one more in that time's histogram bucket. */
  firstResponse(queue: string, at: number, ms: number): WriteOp[] {
    return [
      this.count(queue, at, 'first_count', 1),
      { kind: 'incr', key: statsKeys.firstResponseBucket(this.dateOf(queue, at), queue, bucketOf(ms)), by: 1 },
    ];
  }

  /** An agent reply `ms` after the customer's oldest unanswered message: into the average's sum and count. */
  response(queue: string, at: number, ms: number): WriteOp[] {
    return [this.count(queue, at, 'resp_sum', Math.max(0, Math.round(ms))), this.count(queue, at, 'resp_count', 1)];
  }

  /** A seat took a conversation (by hand, first reply, assignment or transfer to it). */
  handled(queue: string, seat: string, at: number): WriteOp[] {
    return this.seatCount(queue, seat, at, 'handled');
  }

  /** A conversation was transferred; `from` (its holder, if any) is counted as having handed it on. */
  transferred(queue: string, from: string | undefined, at: number): WriteOp[] {
    return [this.count(queue, at, 'transfers', 1), ...(from ? this.seatCount(queue, from, at, 'transfers') : [])];
  }

  /**
   * An SLA breach (first response or no-reply): counted for the day, queue
   * and seat, and the conversation is overdue until it closes. The SLA side
   * writes these ops in the batch of the timer's firing (a timer handler
   * returns them), so a breach is recorded once per firing.
   */
  recordBreach(breach: Breach): WriteOp[] {
    const { queue, convId, seat, at } = breach;
    return [
      this.count(queue, at, 'breaches', 1),
      ...(seat ? this.seatCount(queue, seat, at, 'breaches') : []),
      { kind: 'zAdd', key: statsKeys.overdue(queue), member: convId, score: at },
    ];
  }

  private dateOf(queue: string, at: number): string {
    return localTime(at, this.zoneOf(queue)).date;
  }

  private count(queue: string, at: number, name: QueueCounter, by: number): WriteOp {
    return { kind: 'incr', key: statsKeys.queue(this.dateOf(queue, at), queue, name), by };
  }

  private seatCount(queue: string, seat: string, at: number, name: SeatCounter): WriteOp[] {
    const date = this.dateOf(queue, at);
    return [{ kind: 'incr', key: statsKeys.seat(date, queue, seat, name), by: 1 }, { kind: 'addMember', key: statsKeys.seatsOf(date, queue), member: seat }];
  }
}

/** What the use cases keeping figures get: the recorder, and a batch writer for events that write no batch of their own. */
export interface StatsPorts {
  recorder: StatsRecorder;
  store: BatchPort;
}
