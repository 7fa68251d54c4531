import type { Conversation, Platform, Seat } from '../../src/core/model.js';
import type { AuditEntry, AuditInput } from '../../src/core/audit-log.js';
import type { OutboxItem, OutboxPayload, Via } from '../../src/core/outbox/items.js';
import { keys } from '../../src/core/keys.js';
import type { WriteOp } from '../../src/core/ports.js';
import { Notifier } from '../../src/core/notifier.js';
import { QueueRouter } from '../../src/core/queue-router.js';
import { MemoryAtomic } from './memory-atomic.js';
import { processLocks } from '../../src/core/lock.js';

/** An outbox that only remembers what was appended, in order. */
export class RecordingOutbox {
  readonly appended: { lane: string; via: Via; payload: OutboxPayload }[] = [];
  async append(lane: string, via: Via, payload: OutboxPayload): Promise<OutboxItem> {
    this.appended.push({ lane, via, payload });
    return { id: `item-${this.appended.length}`, lane, via, payload, createdAt: 0, attempts: 0 };
  }
}

/** Queues of the tests: `default` (support, on Slack) and `billing` (finance, on Discord). */
export const router = new QueueRouter({
  defaultQueue: 'default',
  queues: {
    default: { name: 'default', department: 'support', messenger: 'slack', channel: 'C0SUPPORT' },
    billing: { name: 'billing', department: 'finance', messenger: 'discord', channel: '900' },
  },
});

export function seat(id: string, o: Partial<Seat> = {}): Seat {
  return {
    id, name: id, bindings: [{ platform: 'slack' as Platform, userId: `U${id}` }], roles: ['agent'], departments: ['support'],
    queues: ['default'], maxChats: 10, presence: 'online', enabled: true, createdAt: 0, ...o,
  };
}

export function conversation(id: string, o: Partial<Conversation> = {}): Conversation {
  return { id, channel: 'api', account: 'crm', customer: { id: `cust-${id}` }, queue: 'default', status: 'open', createdAt: 0, lastCustomerAt: 0, ...o };
}

/**
 * Every port the claim use cases take, in memory: the claim leases in a
 * MemoryAtomic (jittered, so concurrent claimers interleave like replicas),
 * sets, seats and the audit trail in plain collections.
 */
export function memoryChatPorts(o: { jitterMs?: number; random?: () => number; now?: () => number } = {}) {
  const now = o.now ?? (() => 1_000);
  const atomic = new MemoryAtomic(now, o.jitterMs ?? 0, o.random);
  const sets = new Map<string, Set<string>>();
  const sorted = new Map<string, Map<string, number>>();
  const values = new Map<string, unknown>();
  const seats = new Map<string, Seat>();
  const audit: AuditInput[] = [];
  const transcript: { convId: string; text: string }[] = [];
  const outbox = new RecordingOutbox();
  const batches: (readonly WriteOp[])[] = [];
  const store = {
    setIfAbsent: atomic.setIfAbsent.bind(atomic),
    compareAndDelete: atomic.compareAndDelete.bind(atomic),
    compareAndSet: atomic.compareAndSet.bind(atomic),
    async addMember(key: string, member: string) { sets.set(key, (sets.get(key) ?? new Set()).add(member)); },
    async removeMember(key: string, member: string) { sets.get(key)?.delete(member); },
    async members(key: string) { return [...(sets.get(key) ?? [])]; },
    getString: atomic.getString.bind(atomic),
    async zRemove(key: string, member: string) { return sorted.get(key)?.delete(member) ?? false; },
    async set(key: string, value: unknown) { values.set(key, value); },
    async zAdd(key: string, member: string, score: number) { sorted.set(key, (sorted.get(key) ?? new Map()).set(member, score)); },
    /** Seat records are the `seats` map's (keys.seat), everything else plain values. */
    async get<T>(key: string): Promise<T | undefined> {
      return (key.startsWith(keys.seat('')) ? seats.get(key.slice(keys.seat('').length)) : values.get(key)) as T | undefined;
    },
    /** The batch kinds the claim use cases write (load-index entries, a seat's turn, the sticky record, timer cancellations), applied in order and recorded. */
    async writeAtomically(ops: readonly WriteOp[]) {
      batches.push(ops);
      for (const op of ops) {
        if (op.kind === 'zAdd') await store.zAdd(op.key, op.member, op.score);
        else if (op.kind === 'zRemove') await store.zRemove(op.key, op.member);
        else if (op.kind === 'setString') await atomic.setString(op.key, op.value);
        else if (op.kind === 'deleteString') await atomic.deleteString(op.key);
        else if (op.kind === 'setValue') await store.set(op.key, op.value);
        else throw new Error(`memory ports: no ${op.kind} in a batch`);
      }
    },
  };
  return {
    atomic, sets, sorted, values, seats, audit, transcript, outbox, batches,
    ports: {
      store,
      clock: { now, sleep: async () => {} },
      locks: processLocks({ sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) }),
      conversations: {
        claimer: (convId: string) => atomic.getString(keys.claim(convId)),
        async appendTranscript(convId: string, e: { text: string }) { transcript.push({ convId, text: e.text }); },
        async update(_id: string, change: (c: Conversation) => Conversation | undefined) { return change(conversation(_id)); },
        async get(id: string) { return conversation(id); },
      },
      seats: {
        async get(id: string) { return seats.get(id); },
        async chatsOf(id: string) { return [...(sets.get(keys.seatChats(id)) ?? [])]; },
      },
      audit: {
        async append(e: AuditInput): Promise<AuditEntry> {
          audit.push(e);
          return { ...e, seq: audit.length, at: now(), prevHash: '', hash: '' };
        },
      },
      notifier: new Notifier({ outbox, messengerOf: (c) => router.messengerOf(c) }),
      departmentOf: (c: Pick<Conversation, 'queue'>) => router.departmentOf(c),
    },
  };
}
