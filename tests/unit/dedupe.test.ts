import { describe, expect, it } from 'vitest';
import { createDedupe } from '../../src/core/dedupe.js';
import { MemoryAtomic, seededRandom } from './memory-atomic.js';

/** SPEC §5 / STYLE habit 7: every platform retry is processed once. */
describe('createDedupe', () => {
  const setup = (opts: { pendingMs?: number; doneMs?: number } = {}) => {
    let now = 1_700_000_000_000;
    const atomic = new MemoryAtomic(() => now);
    return { dedupe: createDedupe(atomic, opts), advance: (ms: number) => { now += ms; } };
  };

  it('lets the first delivery through and calls a repeat while it runs in flight', async () => {
    const { dedupe } = setup();
    expect(await dedupe.begin('whatsapp', 'wamid.A')).toBe('new');
    expect(await dedupe.begin('whatsapp', 'wamid.A')).toBe('in_flight');
  });

  it('calls every repeat of a finished delivery a duplicate', async () => {
    const { dedupe } = setup();
    await dedupe.begin('whatsapp', 'wamid.A');
    await dedupe.commit('whatsapp', 'wamid.A');
    expect(await dedupe.begin('whatsapp', 'wamid.A')).toBe('duplicate');
    expect(await dedupe.begin('whatsapp', 'wamid.A')).toBe('duplicate');
  });

  it('lets a retry through after the first attempt failed and aborted', async () => {
    const { dedupe } = setup();
    await dedupe.begin('slack', 'Ev1');
    await dedupe.abort('slack', 'Ev1');
    expect(await dedupe.begin('slack', 'Ev1')).toBe('new');
  });

  it('does not let an abort undo a delivery that already finished', async () => {
    const { dedupe } = setup();
    await dedupe.begin('slack', 'Ev1');
    await dedupe.commit('slack', 'Ev1');
    await dedupe.abort('slack', 'Ev1');
    expect(await dedupe.begin('slack', 'Ev1')).toBe('duplicate');
  });

  it('lets a retry take over once a crashed attempt\'s pending mark expired', async () => {
    const { dedupe, advance } = setup({ pendingMs: 120_000 });
    await dedupe.begin('whatsapp', 'wamid.B');
    advance(119_999);
    expect(await dedupe.begin('whatsapp', 'wamid.B')).toBe('in_flight');
    advance(1);
    expect(await dedupe.begin('whatsapp', 'wamid.B')).toBe('new');
  });

  it('remembers a finished WhatsApp delivery for longer than Meta\'s 7 days of retries', async () => {
    const { dedupe, advance } = setup();
    await dedupe.begin('whatsapp', 'wamid.C');
    await dedupe.commit('whatsapp', 'wamid.C');
    advance(7 * 24 * 3600_000 + 1);
    expect(await dedupe.begin('whatsapp', 'wamid.C')).toBe('duplicate');
  });

  it('keeps sources apart: the same id on two platforms is two deliveries', async () => {
    const { dedupe } = setup();
    expect(await dedupe.begin('slack', '42')).toBe('new');
    expect(await dedupe.begin('api', '42')).toBe('new');
  });

  it('lets exactly one of many simultaneous deliveries of one id through', async () => {
    const dedupe = createDedupe(new MemoryAtomic(Date.now, 3, seededRandom(11)));
    const states = await Promise.all(Array.from({ length: 20 }, () => dedupe.begin('whatsapp', 'wamid.RACE')));
    expect(states.filter((s) => s === 'new')).toHaveLength(1);
    expect(states.filter((s) => s === 'in_flight')).toHaveLength(19);
  });
});
