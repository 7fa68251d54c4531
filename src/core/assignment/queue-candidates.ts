import type { Seat } from '../model.js';
import type { StorePort } from '../ports.js';
import { keys } from '../keys.js';
import type { Candidate } from './pick-seat.js';
import { scoreParts } from './seat-load.js';

/** What reading a queue's candidates needs: its load index and the seats' records. */
export interface CandidatePorts {
  store: Pick<StorePort, 'zRangeByScore' | 'zScore' | 'getMany'>;
}

/**
 * A queue's candidates as one assignment run sees them: the entries of the
 * queue's load index (seat-load.ts), best first for least-busy, each with its
 * seat's record, read once per run. The index is a hint and the record
 * decides: an entry whose seat is gone or left the queue is no candidate, and
 * one whose presence or max changed is ranked by what the record says.
 */
export class QueueCandidates {
  private readonly records = new Map<string, Seat | undefined>();

  constructor(private readonly d: CandidatePorts, private readonly queue: string) {}

  /** The first `limit` entries (all when undefined); `complete` when that was the whole index. */
  async first(limit?: number): Promise<{ candidates: Candidate[]; complete: boolean }> {
    // Scores stay within 0…2^53 − 1 (seat-load.ts): this range is every entry.
    const entries = await this.d.store.zRangeByScore(keys.queueLoad(this.queue), 0, Number.MAX_SAFE_INTEGER, limit);
    return { candidates: await this.toCandidates(entries), complete: limit === undefined || entries.length < limit };
  }

  /** One seat's candidate, when it is in the index: the sticky seat, which may be further down. */
  async one(seatId: string): Promise<Candidate | undefined> {
    const score = await this.d.store.zScore(keys.queueLoad(this.queue), seatId);
    return score === undefined ? undefined : (await this.toCandidates([{ member: seatId, score }]))[0];
  }

  /** The record of a seat read by this run. */
  seat(seatId: string): Seat | undefined {
    return this.records.get(seatId);
  }

  private async toCandidates(entries: readonly { member: string; score: number }[]): Promise<Candidate[]> {
    const unread = entries.map((e) => e.member).filter((id) => !this.records.has(id));
    if (unread.length) {
      const got = await this.d.store.getMany<Seat>(unread.map((id) => keys.seat(id)));
      unread.forEach((id, i) => this.records.set(id, got[i]));
    }
    return entries.flatMap(({ member, score }) => {
      const seat = this.records.get(member);
      if (!seat?.queues.includes(this.queue)) return [];
      const { load, turn } = scoreParts(score);
      return [{ seatId: seat.id, enabled: seat.enabled, presence: seat.presence, max: seat.maxChats, load, lastAssignedAt: turn }];
    });
  }
}
