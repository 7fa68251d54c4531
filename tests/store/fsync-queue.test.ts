import { afterEach, describe, expect, it, vi } from 'vitest';
import { FsyncQueue, type Waiter } from '../../src/store/embedded/fsync-queue.js';

/** A sync the test finishes by hand; `syncs` holds each started one, in order. */
function manualSync() {
  const syncs: { finish: () => void }[] = [];
  const sync = () => new Promise<void>((resolve) => {
    syncs.push({ finish: resolve });
  });
  return { sync, syncs };
}

/** `count` committed writes; `settled` counts those resolved. */
function writes(count: number, settled: { count: number }): Waiter[] {
  return Array.from({ length: count }, () => ({ resolve: () => { settled.count++; }, reject: () => undefined }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const microtasks = () => new Promise((resolve) => setImmediate(resolve));

describe('FsyncQueue', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('starts the fsync of a lone write at once, and the next lone write\'s as soon as the last ended: no spacing without load', async () => {
    const { sync, syncs } = manualSync();
    const queue = new FsyncQueue(sync, { spacingMs: 1_000 });
    const settled = { count: 0 };
    queue.add(writes(1, settled));
    expect(syncs).toHaveLength(1);
    syncs[0]!.finish();
    await microtasks();
    expect(settled.count).toBe(1);
    queue.add(writes(1, settled));
    expect(syncs).toHaveLength(2);
  });

  it('under load spaces the fsyncs: the commits made within the spacing share one fsync that starts when it has passed', async () => {
    const { sync, syncs } = manualSync();
    // "Within the load window" is LOAD_WINDOW_MS (20 ms) of the monotonic clock, and the spacing 40 ms of
    // it, which a stalled CI machine can overrun between two lines: it stands still (timers stay real).
    vi.useFakeTimers({ toFake: ['performance'] });
    const queue = new FsyncQueue(sync, { spacingMs: 40 });
    const settled = { count: 0 };
    // Eight writes within the load window: the store is busy.
    queue.add(writes(8, settled));
    expect(syncs).toHaveLength(1);
    syncs[0]!.finish();
    await microtasks();
    expect(settled.count).toBe(8);
    // Three commits right after: none starts an fsync of its own before the spacing has passed.
    queue.add(writes(1, settled));
    queue.add(writes(2, settled));
    await microtasks();
    queue.add(writes(1, settled));
    expect(syncs).toHaveLength(1);
    await sleep(60);
    expect(syncs).toHaveLength(2);
    syncs[1]!.finish();
    await microtasks();
    expect(settled.count).toBe(12);
  });

  it('calls beforeStart right before each fsync, and the fsync covers what it added', async () => {
    const { sync, syncs } = manualSync();
    const settled = { count: 0 };
    const held: Waiter[][] = [];
    const queue: FsyncQueue = new FsyncQueue(sync, {
      spacingMs: 0,
      beforeStart: () => {
        for (const batch of held.splice(0)) queue.add(batch);
      },
    });
    queue.add(writes(1, settled));
    held.push(writes(2, settled));
    queue.wantNext();
    expect(syncs).toHaveLength(1);
    syncs[0]!.finish();
    await microtasks();
    // The held writes joined the second fsync, which started as the first ended.
    expect(syncs).toHaveLength(2);
    expect(settled.count).toBe(1);
    syncs[1]!.finish();
    await microtasks();
    expect(settled.count).toBe(3);
  });

  it('settle starts a spaced fsync at once instead of waiting out the spacing', async () => {
    const { sync, syncs } = manualSync();
    const queue = new FsyncQueue(sync, { spacingMs: 60_000 });
    const settled = { count: 0 };
    queue.add(writes(8, settled));
    syncs[0]!.finish();
    await microtasks();
    queue.add(writes(1, settled));
    expect(syncs).toHaveLength(1);
    const settling = queue.settle();
    expect(syncs).toHaveLength(2);
    syncs[1]!.finish();
    await settling;
    expect(settled.count).toBe(9);
  });
});
