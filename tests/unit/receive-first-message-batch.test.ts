import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversations } from '../../src/core/conversations.js';
import { createDedupe } from '../../src/core/dedupe.js';
import { receiveCustomerMessage, type ReceiveDeps } from '../../src/core/intake/receive-customer-message.js';
import { keys } from '../../src/core/keys.js';
import { processLocks } from '../../src/core/lock.js';
import type { InboundCustomerMessage } from '../../src/core/model.js';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { Clock, StorePort, WriteOp } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness, type StoreHarness } from '../store/store-harnesses.js';
import type { AutoReplyWords } from '../../src/core/intake/auto-replies.js';
import { DEFAULT_SERVICE, type ServiceSettings } from '../../src/core/service-settings.js';

/** Store operations that write; a first message must make exactly one of them: the intake's batch. */
const WRITES = ['set', 'delete', 'setIfAbsent', 'setString', 'compareAndDelete', 'compareAndSet', 'deleteString', 'push', 'dropHead', 'addMember', 'removeMember', 'zAdd', 'zRemove', 'writeAtomically'] as const;

/** The store as the intake sees it, with its writes recorded and its batches failing while `failBatches` is set. */
function watched(store: StorePort) {
  const writes: { name: string; ops?: readonly WriteOp[] }[] = [];
  const state = { failBatches: false };
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if ((WRITES as readonly (string | symbol)[]).includes(name)) {
          writes.push({ name: String(name), ...(name === 'writeAtomically' ? { ops: args[0] as WriteOp[] } : {}) });
          if (name === 'writeAtomically' && state.failBatches) return Promise.reject(new Error('test: the batch is lost'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, writes, state };
}

let counter = 0;
const clock: Clock = { now: () => 1_800_000_000_000 + counter, sleep: async () => {} };

function message(customer: string, messageId: string): InboundCustomerMessage {
  return { channel: 'api', account: 'crm', customer: { id: customer, name: 'Ada' }, messageId, text: 'Where is my order?', sentAt: clock.now() };
}

describe.each<StoreHarness>([embeddedHarness(), redisHarness()])('a first message on the $name store', (harness) => {
  let raw: StorePort;
  let w: ReturnType<typeof watched>;
  let d: ReceiveDeps;

  beforeAll(async () => {
    raw = await harness.open();
    w = watched(raw);
    const newId = () => `conv-${Date.now().toString(36)}-${++counter}`;
    const locks = processLocks(clock);
    d = {
      store: w.store, clock, newId, locks, conversations: new Conversations(w.store, locks), outbox: new Outbox(w.store, clock, newId),
      dedupe: createDedupe(w.store), routeOf: () => 'default', messengerOf: () => 'slack',
    };
  });

  afterAll(async () => {
    await raw?.close();
    await harness.cleanup();
  });

  it('writes the conversation record in the one batch with its mapping, first, and nothing else', async () => {
    w.writes.length = 0;
    const customer = `cust-one-${++counter}`;
    const outcome = await receiveCustomerMessage(d, message(customer, `m-${counter}`));
    expect(outcome.status === 'accepted' && outcome.opened).toBe(true);
    if (outcome.status !== 'accepted') return;
    expect(w.writes.map((x) => x.name)).toEqual(['writeAtomically']);
    const ops = w.writes[0]!.ops!;
    expect(ops[0]).toEqual({ kind: 'setValue', key: keys.conversation(outcome.conversation.id), value: outcome.conversation });
    expect(ops.some((op) => op.kind === 'setString' && op.key === keys.customerConversation('api', 'crm', customer))).toBe(true);
    expect(await raw.get(keys.conversation(outcome.conversation.id))).toEqual(outcome.conversation);
  });

  it('stores a follow-up as one batch too: the updated record first, then the message\'s effects', async () => {
    const customer = `cust-follow-${++counter}`;
    const first = await receiveCustomerMessage(d, message(customer, `m-${counter}`));
    if (first.status !== 'accepted') throw new Error('not accepted');
    w.writes.length = 0;
    const next = await receiveCustomerMessage(d, { ...message(customer, `m-${++counter}`), text: 'And now?' });
    expect(next.status === 'accepted' && !next.opened).toBe(true);
    if (next.status !== 'accepted') return;
    // One store call (it was two: the record, then the batch).
    expect(w.writes.map((x) => x.name)).toEqual(['writeAtomically']);
    expect(w.writes[0]!.ops![0]).toEqual({ kind: 'setValue', key: keys.conversation(first.conversation.id), value: next.conversation });
    expect(await raw.get(keys.conversation(first.conversation.id))).toEqual(next.conversation);
    expect((await raw.range(keys.transcript(first.conversation.id), 0, -1)).map((r) => (JSON.parse(r) as { text: string }).text)).toEqual(['Where is my order?', 'And now?']);
  });

  it('leaves neither record nor mapping when the batch fails, and the redelivery opens the conversation once', async () => {
    const customer = `cust-lost-${++counter}`;
    const msg = message(customer, `m-${counter}`);
    w.state.failBatches = true;
    w.writes.length = 0;
    await expect(receiveCustomerMessage(d, msg)).rejects.toThrow('the batch is lost');
    w.state.failBatches = false;
    const lost = w.writes[0]!.ops![0]!;
    expect(lost.kind).toBe('setValue');
    expect(await raw.get(lost.key)).toBeUndefined();
    expect(await raw.getString(keys.customerConversation('api', 'crm', customer))).toBeUndefined();

    const again = await receiveCustomerMessage(d, msg);
    expect(again.status === 'accepted' && again.opened).toBe(true);
    if (again.status !== 'accepted') return;
    expect(await raw.getString(keys.customerConversation('api', 'crm', customer))).toBe(again.conversation.id);
    expect(await raw.get(keys.conversation(again.conversation.id))).toEqual(again.conversation);
    expect(await receiveCustomerMessage(d, msg)).toEqual({ status: 'duplicate' });
  });
});

/**
 * Issue 18: a channel that greets on entry (WeChat) leaves a mark, and the
 * customer's first message then gets no second welcome. Only a welcome
 * depends on that mark, so an opening reads it only when a welcome is due.
 */
describe('the entry-welcome mark on a first message', () => {
  const harness = embeddedHarness();
  let raw: StorePort;
  const markReads: string[] = [];
  const words: AutoReplyWords = { away: () => 'away', welcome: (_conv, text) => text, sentNotice: (_conv, kind) => `sent ${kind}` };
  const deps = (service: ServiceSettings): ReceiveDeps => {
    const store = new Proxy(raw, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (name === 'getString' && String(args[0]).startsWith(keys.welcomed('api', 'crm', ''))) markReads.push(String(args[0]));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const newId = () => `conv-w-${++counter}`;
    const locks = processLocks(clock);
    return {
      store, clock, newId, locks, conversations: new Conversations(store, locks), outbox: new Outbox(store, clock, newId),
      dedupe: createDedupe(store), routeOf: () => 'default', messengerOf: () => 'slack', serviceOf: () => service, autoReplyWords: words,
    };
  };
  const transcriptOf = async (convId: string) => (await raw.range(keys.transcript(convId), 0, -1)).map((r) => (JSON.parse(r) as { text: string }).text);

  beforeAll(async () => { raw = await harness.open(); });
  afterAll(async () => { await raw?.close(); await harness.cleanup(); });

  it('is not read when the queue has no welcome', async () => {
    markReads.length = 0;
    const outcome = await receiveCustomerMessage(deps(DEFAULT_SERVICE), message(`cust-nw-${++counter}`, `m-${counter}`));
    expect(outcome.status === 'accepted' && outcome.opened).toBe(true);
    expect(markReads).toEqual([]);
  });

  it('is read when a welcome is due: the welcome goes out without it, and not with it', async () => {
    const service: ServiceSettings = { ...DEFAULT_SERVICE, welcome: [{ text: 'Welcome!' }] };
    markReads.length = 0;
    const fresh = await receiveCustomerMessage(deps(service), message(`cust-w-${++counter}`, `m-${counter}`));
    if (fresh.status !== 'accepted') throw new Error('not accepted');
    expect(await transcriptOf(fresh.conversation.id)).toEqual(['Where is my order?', 'Welcome!']);

    const greeted = `cust-wg-${++counter}`;
    await raw.setString(keys.welcomed('api', 'crm', greeted), '1');
    const again = await receiveCustomerMessage(deps(service), message(greeted, `m-${counter}`));
    if (again.status !== 'accepted') throw new Error('not accepted');
    expect(await transcriptOf(again.conversation.id)).toEqual(['Where is my order?']);
    expect(markReads).toHaveLength(2);
  });
});
