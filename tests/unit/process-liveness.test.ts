import { describe, expect, it } from 'vitest';
import { startProcessLiveness } from '../../src/runtime/process-liveness.js';
import { MemoryAtomic } from './memory-atomic.js';

const quietOutage = () => {
  const seen: string[] = [];
  return { seen, failed: (err: unknown) => { seen.push(`down: ${String(err)}`); }, succeeded: () => { seen.push('up'); } };
};

/** In-flight dedupe marks name their process; these say which processes still live. */
describe('startProcessLiveness', () => {
  it('on a store one process owns, counts only itself alive and writes nothing', async () => {
    const atomic = new MemoryAtomic();
    const l = startProcessLiveness('p1', atomic, false, quietOutage());
    expect(await l.isAlive('p1')).toBe(true);
    expect(await l.isAlive('p0')).toBe(false);
    expect(atomic.values.size).toBe(0);
    await l.stop();
  });

  it('on a shared store, counts a process alive while its heartbeat key lives, and removes its own on stop', async () => {
    const atomic = new MemoryAtomic();
    const a = startProcessLiveness('a', atomic, true, quietOutage());
    const b = startProcessLiveness('b', atomic, true, quietOutage());
    await new Promise((r) => setTimeout(r, 20));
    expect(await b.isAlive('a')).toBe(true);
    expect(await b.isAlive('never-started')).toBe(false);
    await a.stop();
    expect(await b.isAlive('a')).toBe(false);
    await b.stop();
  });

  it('tells the outage log when a heartbeat fails, and assumes others alive while it cannot read', async () => {
    const atomic = new MemoryAtomic();
    atomic.setString = async () => { throw new Error('connection lost'); };
    atomic.getString = async () => { throw new Error('connection lost'); };
    const outage = quietOutage();
    const l = startProcessLiveness('p1', atomic, true, outage);
    await new Promise((r) => setTimeout(r, 20));
    expect(outage.seen).toEqual(['down: Error: connection lost']);
    expect(await l.isAlive('p2')).toBe(true);
    await l.stop();
  });
});
