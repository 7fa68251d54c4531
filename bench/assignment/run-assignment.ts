import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { keys } from '../../src/core/keys.js';
import type { StorePort } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';
import { REDIS_URL, type StoreKind } from '../../tests/support/start-desk.js';
import { deleteRedisKeys } from '../support/delete-redis-keys.js';
import { distribution, type Distribution } from '../support/percentiles.js';
import { timeDecisions, type DecisionTimings } from './decision-timings.js';
import { benchConversation, benchDesk, loadDesk } from './load-desk.js';

export interface AssignmentParams {
  store: StoreKind;
  seats: number;
  queues: number;
  /** Every n-th seat is away. */
  offlineEvery: number;
  maxChats: number;
  openConversations: number;
  /** Assignments of a new waiting conversation timed end to end. */
  assignments: number;
  rules: number;
  /** Calls of routeQueue timed (rankSeats: a tenth as many, at least 200). */
  decisionIterations: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const memory = () => { const m = process.memoryUsage(); return { rssMiB: mb(m.rss), heapUsedMiB: mb(m.heapUsed), heapTotalMiB: mb(m.heapTotal), externalMiB: mb(m.external) }; };

/** Bytes of every file in a directory (the embedded store's database and WAL). */
const dirBytes = (dir: string) => readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

async function redisUsedMemory(): Promise<number> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    return Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

/** Counts the store calls made through it, by operation (bench-only instrumentation). */
function counting(store: StorePort): { store: StorePort; calls: Map<string, number>; counts: { on: boolean } } {
  const calls = new Map<string, number>();
  const counts = { on: false };
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => {
        if (counts.on) calls.set(prop, (calls.get(prop) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls, counts };
}

export interface AssignmentResult {
  params: AssignmentParams;
  decisions: DecisionTimings;
  load: { seconds: number; seats: number; online: number; claimed: number; memoryAfterLoad: ReturnType<typeof memory>; storeBytes: number | null; redisUsedMemoryDeltaMiB: number | null };
  endToEnd: { assignedMs: Distribution; notAssigned: number; storeCallsPerAssignment: Record<string, number>; memoryAfter: ReturnType<typeof memory> };
}

/**
 * Routing and assignment at scale (issue 12, acceptance point 3): first the
 * two pure decisions timed call by call, then, with `seats` seats and
 * `openConversations` claimed conversations in the store, the time of one
 * assignment run that gives one new waiting conversation to a seat
 * (Desk.assignWaiting: read the queue, rank, claim under the seat's lock,
 * audit, header refresh into the outbox), and the process memory.
 */
export async function runAssignment(p: AssignmentParams): Promise<AssignmentResult> {
  const decisions = timeDecisions({ rules: p.rules, seats: p.seats, queues: p.queues, iterations: p.decisionIterations });
  const prefix = `td-bench-${randomBytes(4).toString('hex')}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-bench-assign-'));
  const redisBefore = p.store === 'redis' ? await redisUsedMemory() : 0;
  const opened = await openStore({ dataDir, ...(p.store === 'redis' ? { redisUrl: REDIS_URL, prefix } : {}) });
  const { store, calls, counts } = counting(opened);
  try {
    const desk = benchDesk(store, p.queues);
    const loadStarted = Date.now();
    const { seats, claimed } = await loadDesk(desk, store, { seats: p.seats, queues: p.queues, offlineEvery: p.offlineEvery, maxChats: p.maxChats, conversations: p.openConversations });
    const loadSeconds = Math.round((Date.now() - loadStarted) / 100) / 10;
    global.gc?.();
    const memoryAfterLoad = memory();
    const storeBytes = p.store === 'embedded' ? dirBytes(dataDir) : null;
    const redisDelta = p.store === 'redis' ? mb((await redisUsedMemory()) - redisBefore) : null;

    const samples: number[] = [];
    let notAssigned = 0;
    for (let k = 0; k < p.assignments; k++) {
      const queue = `q${k % p.queues}`;
      const conv = benchConversation(`bench-new-${k}`, queue, Date.now());
      await store.set(keys.conversation(conv.id), conv);
      await store.zAdd(keys.waiting(queue), conv.id, conv.createdAt);
      counts.on = true;
      const t = process.hrtime.bigint();
      const { assigned } = await desk.assignWaiting(queue);
      samples.push(Math.round(Number(process.hrtime.bigint() - t) / 1e3) / 1e3);
      counts.on = false;
      if (assigned.length !== 1 || assigned[0]!.conv.id !== conv.id) notAssigned += 1;
    }
    const perAssignment: Record<string, number> = {};
    for (const [op, n] of calls) perAssignment[op] = Math.round((n / p.assignments) * 10) / 10;
    return {
      params: p,
      decisions,
      load: { seconds: loadSeconds, seats: seats.length, online: seats.filter((s) => s.presence === 'online').length, claimed, memoryAfterLoad, storeBytes, redisUsedMemoryDeltaMiB: redisDelta },
      endToEnd: { assignedMs: distribution(samples), notAssigned, storeCallsPerAssignment: perAssignment, memoryAfter: memory() },
    };
  } finally {
    await opened.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (p.store === 'redis') await deleteRedisKeys(REDIS_URL, prefix);
  }
}
