import { describe, expect, it } from 'vitest';
import { rankSeats, type Candidate } from '../../src/core/assignment/pick-seat.js';

const c = (seatId: string, o: Partial<Candidate> = {}): Candidate => ({ seatId, enabled: true, presence: 'online', load: 0, max: 5, lastAssignedAt: 0, ...o });
const rules = { overload: 15, underload: 5 } as const;

describe('which seats may get a new conversation, best first', () => {
  it('least busy: fewest chats first, then the one given a chat longest ago, then by id', () => {
    const seats = [c('a', { load: 2, lastAssignedAt: 10 }), c('b', { load: 1, lastAssignedAt: 50 }), c('c', { load: 1, lastAssignedAt: 20 }), c('d', { load: 1, lastAssignedAt: 20 })];
    expect(rankSeats(seats, { ...rules, assignment: 'least_busy' })).toEqual(['c', 'd', 'b', 'a']);
  });

  it('round robin: whoever was given a chat longest ago, whatever their load', () => {
    const seats = [c('a', { load: 0, lastAssignedAt: 30 }), c('b', { load: 4, lastAssignedAt: 10 }), c('c', { load: 1, lastAssignedAt: 20 })];
    expect(rankSeats(seats, { ...rules, assignment: 'round_robin' })).toEqual(['b', 'c', 'a']);
  });

  it('only enabled, online seats below their max qualify: paused, away, disabled and full ones get nothing', () => {
    const seats = [
      c('paused', { presence: 'paused' }), c('away', { presence: 'away' }), c('off', { enabled: false }),
      c('full', { load: 5, max: 5 }), c('over', { load: 7, max: 5 }), c('ok', { load: 4, max: 5 }),
    ];
    expect(rankSeats(seats, { ...rules, assignment: 'least_busy' })).toEqual(['ok']);
    expect(rankSeats(seats.filter((s) => s.seatId !== 'ok'), { ...rules, assignment: 'round_robin' })).toEqual([]);
  });

  it('the sticky seat goes first when it qualifies, and is passed over when it does not', () => {
    const seats = [c('a', { load: 0 }), c('b', { load: 3 })];
    expect(rankSeats(seats, { ...rules, assignment: 'least_busy', sticky: 'b' })).toEqual(['b', 'a']);
    expect(rankSeats([c('a'), c('b', { presence: 'away' })], { ...rules, assignment: 'least_busy', sticky: 'b' })).toEqual(['a']);
    expect(rankSeats([c('a'), c('b', { load: 5 })], { ...rules, assignment: 'round_robin', sticky: 'b' })).toEqual(['a']);
    expect(rankSeats(seats, { ...rules, assignment: 'least_busy', sticky: 'gone' })).toEqual(['a', 'b']);
  });

  it('overload: a seat above `overload` gets nothing while one holds fewer than `underload` (the seeds: >15 → only to agents under 5)', () => {
    const busy = c('busy', { load: 16, max: 30, lastAssignedAt: 0 });
    const light = c('light', { load: 3, max: 30, lastAssignedAt: 100 });
    const mid = c('mid', { load: 10, max: 30, lastAssignedAt: 50 });
    expect(rankSeats([busy, light, mid], { ...rules, assignment: 'round_robin' })).toEqual(['mid', 'light']);
    // Nobody under 5: the busy seat may have it again.
    expect(rankSeats([busy, mid], { ...rules, assignment: 'round_robin' })).toEqual(['busy', 'mid']);
    // Sticky does not beat rebalancing.
    expect(rankSeats([busy, light], { ...rules, assignment: 'round_robin', sticky: 'busy' })).toEqual(['light']);
  });

  it('with a limit: the same seats in the same order as the start of the whole ranking, sticky and overload included', () => {
    let x = 11;
    const random = () => { x = (x * 1_103_515_245 + 12_345) % 2 ** 31; return x / 2 ** 31; };
    for (let run = 0; run < 50; run += 1) {
      // Few distinct loads and turns, so ties (decided by id) are common.
      const seats = Array.from({ length: 300 }, (_, i) => c(`s${String(Math.floor(random() * 1000)).padStart(3, '0')}-${i}`, {
        load: Math.floor(random() * 25), max: 20 + Math.floor(random() * 5), lastAssignedAt: Math.floor(random() * 20),
        presence: random() < 0.1 ? 'away' : 'online',
      }));
      for (const assignment of ['least_busy', 'round_robin'] as const) {
        const sticky = run % 2 ? seats[run]!.seatId : undefined;
        const all = rankSeats(seats, { ...rules, assignment, ...(sticky ? { sticky } : {}) });
        expect(all.length).toBeGreaterThan(8);
        for (const limit of [1, 3, 8, 1000]) {
          expect(rankSeats(seats, { ...rules, assignment, ...(sticky ? { sticky } : {}) }, limit), `${assignment} run ${run} limit ${limit}`).toEqual(all.slice(0, limit));
        }
      }
    }
  });
});
