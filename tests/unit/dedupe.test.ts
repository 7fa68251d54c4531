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

  describe('after the process holding a delivery died', () => {
    const twoProcesses = () => {
      const atomic = new MemoryAtomic(() => 1_700_000_000_000);
      const alive = new Set(['p1', 'p2']);
      const dedupeOf = (self: string) => createDedupe(atomic, { liveness: { self, isAlive: async (id) => alive.has(id) } });
      return { atomic, alive, p1: dedupeOf('p1'), p2: dedupeOf('p2') };
    };

    it('calls a repeat in flight while the holding process lives', async () => {
      const { p1, p2 } = twoProcesses();
      expect(await p1.begin('slack', 'Ev9')).toBe('new');
      expect(await p2.begin('slack', 'Ev9')).toBe('in_flight');
    });

    it('lets another process take the delivery over at once when the holder is dead, and only one taker wins', async () => {
      const { p1, p2, alive, atomic } = twoProcesses();
      await p1.begin('slack', 'Ev9');
      alive.delete('p1');
      expect(await p2.begin('slack', 'Ev9')).toBe('new');
      // The mark now names p2: p1 coming back cannot abort p2's work.
      await p1.abort('slack', 'Ev9');
      expect(await atomic.getString('dedupe:slack:Ev9')).toBe('pending:p2');
    });

    it('never takes over a finished delivery', async () => {
      const { p1, p2, alive } = twoProcesses();
      await p1.begin('whatsapp', 'wamid.D');
      await p1.commit('whatsapp', 'wamid.D');
      alive.delete('p1');
      expect(await p2.begin('whatsapp', 'wamid.D')).toBe('duplicate');
    });

    it('keeps a mark without an owner (written by an older version) in flight until it expires', async () => {
      const { atomic, p2 } = twoProcesses();
      await atomic.setIfAbsent('dedupe:api:m1', 'pending', 120_000);
      expect(await p2.begin('api', 'm1')).toBe('in_flight');
    });

    it('marks a delivery done through the batch write it returns', async () => {
      const { atomic, p1 } = twoProcesses();
      await p1.begin('whatsapp', 'wamid.E');
      const op = p1.doneOp('whatsapp', 'wamid.E');
      expect(op).toMatchObject({ kind: 'setString', key: 'dedupe:whatsapp:wamid.E', value: 'done' });
      if (op.kind === 'setString') await atomic.setString(op.key, op.value, op.ttlMs);
      expect(await p1.isDone('whatsapp', 'wamid.E')).toBe(true);
      expect(await p1.begin('whatsapp', 'wamid.E')).toBe('duplicate');
    });
  });
});
