/**
 * Wall-clock timing of the embedded store (not a test): run as
 * `node --import tsx tests/store/time-embedded-store.ts [rounds]`. Prints the
 * total ms of
 * - `concurrent`: N writeAtomically batches of 4 ops (push, addMember,
 *   setString, setString with TTL) fired at once, awaited together;
 * - `sequential`: N such batches, each awaited before the next;
 * - `kv concurrent` / `kv sequential`: N set+get pairs the same two ways.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorePort, WriteOp } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';

const N = Number(process.argv[2] ?? 2000);

function batch(i: number): WriteOp[] {
  const c = `c-${i % 200}`;
  return [
    { kind: 'push', key: `transcript:${c}`, values: [`line ${i}`] },
    { kind: 'addMember', key: 'lanes', member: `lane:${c}` },
    { kind: 'setString', key: `done:${i}`, value: '1' },
    { kind: 'setString', key: `dedupe:${i}`, value: 'seen', ttlMs: 3_600_000 },
  ];
}

async function timed(name: string, run: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await run();
  console.log(`${name.padEnd(16)} ${N} ops: ${(performance.now() - start).toFixed(0)} ms`);
}

const dataDir = await mkdtemp(join(tmpdir(), 'threaddesk-time-'));
const store: StorePort = await openStore({ dataDir });
try {
  await timed('concurrent', () => Promise.all(Array.from({ length: N }, (_, i) => store.writeAtomically(batch(i)))));
  await timed('sequential', async () => {
    for (let i = 0; i < N; i++) await store.writeAtomically(batch(N + i));
  });
  await timed('kv concurrent', () =>
    Promise.all(Array.from({ length: N }, async (_, i) => {
      await store.set(`conversation:${i}`, { id: i, status: 'open', tags: ['a', 'b'] });
      return store.get(`conversation:${i}`);
    })),
  );
  await timed('kv sequential', async () => {
    for (let i = 0; i < N; i++) {
      await store.set(`conversation:${i}`, { id: i, status: 'claimed' });
      await store.get(`conversation:${i}`);
    }
  });
} finally {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
}
