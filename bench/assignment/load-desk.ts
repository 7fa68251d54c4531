import { AuditLog } from '../../src/core/audit-log.js';
import { Conversations } from '../../src/core/conversations.js';
import { createDedupe } from '../../src/core/dedupe.js';
import { Desk, type QueueRoute } from '../../src/core/desk.js';
import { keys } from '../../src/core/keys.js';
import { processLocks, storeLocks } from '../../src/core/lock.js';
import type { Conversation, Seat } from '../../src/core/model.js';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { StorePort } from '../../src/core/ports.js';
import { Seats } from '../../src/core/seats.js';
import { randomHex } from '../../src/runtime/random-hex.js';
import { sha256Hex } from '../../src/runtime/sha256-hex.js';
import { systemClock } from '../../src/runtime/system-clock.js';

/** How many writes are in flight at once while loading (the embedded store groups them into commits of 256). */
const WAVE = 2000;

async function inWaves(count: number, write: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < count; start += WAVE) {
    await Promise.all(Array.from({ length: Math.min(WAVE, count - start) }, (_, k) => write(start + k)));
  }
}

/**
 * The desk's core wired as src/app.ts wires it (store, locks, repositories,
 * audit log, outbox), without HTTP, messengers or runners: the bench calls
 * assignment itself. Queues `q0…q<n-1>`, least-busy, sticky 7 days.
 */
export function benchDesk(store: StorePort, queueCount: number): Desk {
  const clock = systemClock;
  const newId = () => `${clock.now().toString(36)}${randomHex(5)}`;
  const locks = store.kind === 'embedded' ? processLocks(clock) : storeLocks({ atomic: store, clock, newId });
  const queues: Record<string, QueueRoute> = Object.fromEntries(Array.from({ length: queueCount }, (_, i) => [`q${i}`, {
    name: `q${i}`, department: 'default', messenger: 'slack', channel: `C0Q${i}`, assignment: 'least_busy', stickyDays: 7,
  } satisfies QueueRoute]));
  return new Desk({
    store, clock, newId, locks,
    conversations: new Conversations(store, locks),
    seats: new Seats(store, clock, locks),
    outbox: new Outbox(store, clock, () => randomHex(5)),
    audit: new AuditLog(store, clock, sha256Hex),
    dedupe: createDedupe(store),
    settings: {
      queues, defaultQueue: 'q0', firstReplierClaims: true,
      rules: { notePrefixes: ['//', 'note:'], commandPrefix: '!' },
      channels: {}, messengers: ['slack'],
    },
  });
}

export interface LoadShape {
  seats: number;
  queues: number;
  /** Every `offlineEvery`-th seat is away (the rest online). */
  offlineEvery: number;
  maxChats: number;
  conversations: number;
}

/** A conversation of the bench, claimed or waiting. */
export function benchConversation(id: string, queue: string, now: number): Conversation {
  return {
    id, channel: 'api', account: 'crm', customer: { id: `cust-${id}`, name: `Customer ${id}` }, queue,
    status: 'open', createdAt: now, lastCustomerAt: now, tags: ['new'],
  };
}

/**
 * Writes the seats (through Seats.save, as `/seat add` does) and the open
 * conversations directly through the store's ports, in waves: each
 * conversation's record, its claim lease and its seat's held-chats entry,
 * uneven over the seats, from none to their max (see spreadLoads).
 * Each seat's last-assigned time is set too, as a running desk has it. Then
 * the queues' indexes are built as a starting replica builds them.
 */
export async function loadDesk(desk: Desk, store: StorePort, shape: LoadShape): Promise<{ seats: Seat[]; claimed: number }> {
  const now = Date.now();
  const seats: Seat[] = Array.from({ length: shape.seats }, (_, i) => ({
    id: `bench-seat-${String(i).padStart(5, '0')}`, name: `Agent ${i}`, bindings: [{ platform: 'slack', userId: `UB${i}` }],
    roles: ['agent'], departments: ['default'], queues: [`q${i % shape.queues}`], maxChats: shape.maxChats,
    presence: i % shape.offlineEvery === shape.offlineEvery - 1 ? 'away' : 'online', enabled: true, createdAt: now,
  }));
  await inWaves(seats.length, (i) => desk.seats.save(seats[i]!));
  await inWaves(seats.length, (i) => store.setString(keys.seatLastAssigned(seats[i]!.id), String(now - 86_400_000 + i * 7)));
  const loads = spreadLoads(seats.length, shape.maxChats, shape.conversations);
  const holders = loads.flatMap((n, s) => Array.from({ length: n }, () => seats[s]!));
  await inWaves(holders.length, async (i) => {
    const seat = holders[i]!;
    const conv = benchConversation(`bench-open-${i}`, seat.queues[0]!, now - i);
    await store.set(keys.conversation(conv.id), conv);
    await store.setString(keys.claim(conv.id), seat.id);
    await store.addMember(keys.seatChats(seat.id), conv.id);
  });
  const claimed = holders.length;
  // As a replica does when it starts: the queues' seat sets and load index from what the store holds.
  await desk.seats.indexQueues();
  return { seats, claimed };
}

/**
 * How many chats each seat holds: `(i × 13) mod (max + 1)`, from 0 to `max`
 * (one seat in `max + 1` full, so least-busy has real choices to make), then
 * evened up or down one chat at a time until the total is `total`.
 */
export function spreadLoads(seats: number, max: number, total: number): number[] {
  const loads = Array.from({ length: seats }, (_, i) => (i * 13) % (max + 1));
  let sum = loads.reduce((a, b) => a + b, 0);
  if (total > seats * max) throw new RangeError(`${total} chats do not fit ${seats} seats of max ${max}`);
  for (let i = 0; sum !== total; i = (i + 1) % seats) {
    if (sum < total && loads[i]! < max) { loads[i]! += 1; sum += 1; }
    else if (sum > total && loads[i]! > 0) { loads[i]! -= 1; sum -= 1; }
  }
  return loads;
}
