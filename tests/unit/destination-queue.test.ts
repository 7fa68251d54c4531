import { describe, expect, it } from 'vitest';
import { DestinationQueue, type DestinationQueueOptions } from '../../src/runtime/destination-queue.js';

/** Slots handed out one after another, like a limiter with maxConcurrent `concurrent`, recorded in `log`. */
function slots(log: string[], concurrent = 1) {
  let running = 0;
  let n = 0;
  const queue: (() => void)[] = [];
  const take = () => new Promise<void>((r) => { if (running < concurrent) { running += 1; r(); } else queue.push(() => { running += 1; r(); }); });
  const give = () => { running -= 1; queue.shift()?.(); };
  return async (drain: () => Promise<void>) => {
    await take();
    const id = ++n;
    log.push(`slot ${id}`);
    try { await drain(); } finally { log.push(`end ${id}`); give(); }
  };
}

const options = (log: string[], o: Partial<DestinationQueueOptions> = {}): DestinationQueueOptions => ({
  slot: slots(log),
  maxDrainers: 1,
  maxCallsPerSlot: 32,
  maxSlotMs: 10_000,
  run: (job) => job(),
  ...o,
});

const call = (log: string[], name: string, ms = 0) => async () => {
  log.push(`start ${name}`);
  await new Promise((r) => setTimeout(r, ms));
  log.push(`done ${name}`);
  return name;
};

describe('DestinationQueue', () => {
  it('runs the calls waiting when a slot is had back to back in that slot, in arrival order, one at a time', async () => {
    const log: string[] = [];
    const q = new DestinationQueue(options(log));
    const results = await Promise.all(['a', 'b', 'c'].map((n) => q.push(call(log, n, 1))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['slot 1', 'start a', 'done a', 'start b', 'done b', 'start c', 'done c', 'end 1']);
  });

  it('runs one call per slot when the limiter spaces the slots itself (maxCallsPerSlot 1)', async () => {
    const log: string[] = [];
    const q = new DestinationQueue(options(log, { maxCallsPerSlot: 1 }));
    await Promise.all(['a', 'b'].map((n) => q.push(call(log, n))));
    expect(log).toEqual(['slot 1', 'start a', 'done a', 'end 1', 'slot 2', 'start b', 'done b', 'end 2']);
  });

  it('starts no further call in a slot after maxSlotMs, and asks for another slot for the rest', async () => {
    const log: string[] = [];
    const q = new DestinationQueue(options(log, { maxSlotMs: 5 }));
    await Promise.all(['a', 'b'].map((n) => q.push(call(log, n, 10))));
    expect(log).toEqual(['slot 1', 'start a', 'done a', 'end 1', 'slot 2', 'start b', 'done b', 'end 2']);
  });

  it('runs up to maxDrainers slots at once, never more', async () => {
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const q = new DestinationQueue(options(log, {
      slot: slots(log, 2),
      maxDrainers: 2,
      run: async (job) => { inFlight += 1; most = Math.max(most, inFlight); try { return await job(); } finally { inFlight -= 1; } },
    }));
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((n) => q.push(call(log, n, 5))));
    expect(most).toBe(2);
    expect(log.filter((l) => l.startsWith('start')).map((l) => l.slice(6))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('fails one call with a slot that fails, gives the others another slot, and says when it is idle', async () => {
    const log: string[] = [];
    let first = true;
    let idle = 0;
    const normal = slots(log);
    const q = new DestinationQueue(options(log, {
      slot: (drain) => {
        if (first) { first = false; return Promise.reject(new Error('bottleneck refused the job')); }
        return normal(drain);
      },
      onIdle: () => { idle += 1; },
    }));
    const settled = await Promise.allSettled(['a', 'b'].map((n) => q.push(call(log, n))));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled']);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/refused/);
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(1);
    expect(q.queued).toBe(0);
  });

  it('rejects the calls still waiting when dropped, and lets the running one finish', async () => {
    const log: string[] = [];
    const q = new DestinationQueue(options(log));
    const running = q.push(call(log, 'a', 10));
    const waiting = q.push(call(log, 'b'));
    await new Promise((r) => setTimeout(r, 1));
    q.dropWaiting(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
    await expect(running).resolves.toBe('a');
    expect(log).not.toContain('start b');
  });
  describe('lingering (a slot that costs store round trips)', () => {
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

    it('keeps the slot for a call that arrives within lingerMs, so spread-out calls share it', async () => {
      const log: string[] = [];
      const q = new DestinationQueue(options(log, { lingerMs: 50 }));
      const a = q.push(call(log, 'a'));
      await a;
      await pause(5);
      await q.push(call(log, 'b'));
      await pause(80);
      expect(log).toEqual(['slot 1', 'start a', 'done a', 'start b', 'done b', 'end 1']);
    });

    it('gives the slot back once nothing arrived within lingerMs, and without lingerMs at once', async () => {
      for (const lingerMs of [0, 10]) {
        const log: string[] = [];
        const q = new DestinationQueue(options(log, { lingerMs }));
        await q.push(call(log, 'a'));
        await pause(40);
        await q.push(call(log, 'b'));
        await pause(40);
        expect(log).toEqual(['slot 1', 'start a', 'done a', 'end 1', 'slot 2', 'start b', 'done b', 'end 2']);
      }
    });

    it('a stop (dropWaiting) gives a lingering slot back at once', async () => {
      const log: string[] = [];
      const q = new DestinationQueue(options(log, { lingerMs: 60_000 }));
      await q.push(call(log, 'a'));
      q.dropWaiting(new Error('stopping'));
      await pause(5);
      expect(log).toEqual(['slot 1', 'start a', 'done a', 'end 1']);
    });
  });
});
