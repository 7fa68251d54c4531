import { describe, expect, it } from 'vitest';
import type { Seat } from '../../src/core/model.js';
import type { QueueRoute } from '../../src/core/queue-router.js';
import { statsForRange, statsForSeat, type StatsPortsForRead } from '../../src/core/stats/stats-for-seat.js';

const route = (name: string, department: string): QueueRoute => ({ name, department, messenger: 'slack', channel: 'C0' });
const queues = { refunds: route('refunds', 'after-sales'), orders: route('orders', 'after-sales'), default: route('default', 'default') };
const seat = (roles: Seat['roles'], departments: string[]): Seat => ({
  id: 's', name: 'S', bindings: [], roles, departments, queues: [], maxChats: 5, presence: 'online', enabled: true, createdAt: 0,
});
// 2026-12-01 02:00 UTC: still Nov 30 in New York, already Dec 1 in Shanghai.
const now = Date.parse('2026-12-01T02:00:00Z');
const ports: StatsPortsForRead = {
  store: { counters: async (k) => k.map(() => 0), members: async () => [], zCard: async () => 0, range: async () => [] },
  seats: { list: async () => [] },
  clock: { now: () => now, sleep: async () => undefined },
  queues,
  zoneOf: (department) => (department === 'after-sales' ? 'Asia/Shanghai' : 'America/New_York'),
};

describe('which figures a seat sees', () => {
  it('gives a supervisor or lead the departments they belong to, each on its own calendar', async () => {
    const result = await statsForSeat(ports, seat(['lead'], ['after-sales']), 'today');
    expect(result.ok && result.value.map((d) => [d.department, d.timeZone, d.range.from, d.queues.map((q) => q.queue)])).toEqual([
      ['after-sales', 'Asia/Shanghai', '2026-12-01', ['orders', 'refunds']],
    ]);
    const admin = await statsForSeat(ports, seat(['admin'], []), 'today');
    expect(admin.ok && admin.value.map((d) => [d.department, d.range.from])).toEqual([['after-sales', '2026-12-01'], ['default', '2026-11-30']]);
  });

  it('refuses a queue of another department and an unknown one, and gives an agent nothing', async () => {
    expect(await statsForSeat(ports, seat(['supervisor'], ['default']), 'week', 'refunds')).toMatchObject({ ok: false, failure: { code: 'outside_department', detail: { department: 'after-sales' } } });
    expect(await statsForSeat(ports, seat(['supervisor'], ['default']), 'week', 'nope')).toMatchObject({ ok: false, failure: { code: 'unknown_queue' } });
    expect(await statsForSeat(ports, seat(['agent'], ['default']), 'week')).toEqual({ ok: true, value: [] });
    const one = await statsForSeat(ports, seat(['supervisor'], ['after-sales']), 'week', 'refunds');
    expect(one.ok && one.value[0]!.queues.map((q) => q.queue)).toEqual(['refunds']);
  });

  it('gives the API every department over the same local dates, and refuses a reversed range', async () => {
    const all = await statsForRange(ports, '2026-11-23', '2026-11-29');
    expect(all.ok && all.value.map((d) => [d.department, d.range])).toEqual([
      ['after-sales', { from: '2026-11-23', to: '2026-11-29' }],
      ['default', { from: '2026-11-23', to: '2026-11-29' }],
    ]);
    expect(await statsForRange(ports, '2026-11-29', '2026-11-23')).toMatchObject({ ok: false, failure: { code: 'bad_arguments' } });
  });
});
