import { describe, expect, it } from 'vitest';
import { keys } from '../../src/core/keys.js';
import { cancelTimerOps, MAX_TIMER_DATA_CHARS, parseTimer, scheduleTimerOps, timerIdOf } from '../../src/core/timers.js';

describe('timer records and their writes', () => {
  it('schedules a timer as its record plus its place in the due-time index', () => {
    const id = timerIdOf('sla-first', 'c-1');
    expect(id).toBe('sla-first:c-1');
    const ops = scheduleTimerOps({ id, kind: 'sla-first', convId: 'c-1', dueAt: 5000, data: { queue: 'vip' } });
    expect(ops).toEqual([
      { kind: 'setString', key: keys.timer(id), value: '{"id":"sla-first:c-1","kind":"sla-first","convId":"c-1","dueAt":5000,"data":{"queue":"vip"}}' },
      { kind: 'zAdd', key: keys.timers(), member: id, score: 5000 },
    ]);
    expect(parseTimer((ops[0] as { value: string }).value)).toEqual({ id, kind: 'sla-first', convId: 'c-1', dueAt: 5000, data: { queue: 'vip' } });
  });

  it('stores only the timer fields, and leaves out those not given', () => {
    const timer = { id: 't', kind: 'k', dueAt: 1, extra: 'dropped' };
    const [record] = scheduleTimerOps(timer);
    expect(record).toMatchObject({ value: '{"id":"t","kind":"k","dueAt":1}' });
  });

  it('cancels by removing both, whether or not the timer exists', () => {
    expect(cancelTimerOps('t')).toEqual([
      { kind: 'zRemove', key: keys.timers(), member: 't' },
      { kind: 'deleteString', key: keys.timer('t') },
    ]);
  });

  it('refuses a timer without id or kind, with a due time that is not a time, or with too much data', () => {
    const bad = [
      { id: '', kind: 'k', dueAt: 1 },
      { id: 't', kind: '', dueAt: 1 },
      { id: 't', kind: 'k', dueAt: Number.NaN },
      { id: 't', kind: 'k', dueAt: Number.POSITIVE_INFINITY },
      { id: 't', kind: 'k', dueAt: 1, data: 'x'.repeat(MAX_TIMER_DATA_CHARS) },
    ];
    for (const timer of bad) expect(() => scheduleTimerOps(timer)).toThrow(expect.objectContaining({ code: 'invalid_timer' }));
    expect(scheduleTimerOps({ id: 't', kind: 'k', dueAt: 1, data: 'x'.repeat(MAX_TIMER_DATA_CHARS - 2) })).toHaveLength(2);
  });

  it('reads back nothing from a missing, garbled or foreign record', () => {
    for (const raw of [undefined, '{not json', 'null', '42', '{"id":"t","kind":"k"}', '{"id":1,"kind":"k","dueAt":1}']) {
      expect(parseTimer(raw)).toBeUndefined();
    }
  });
});
