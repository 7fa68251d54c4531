import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/core/audit-log.js';
import { Conversations } from '../../src/core/conversations.js';
import { createDedupe } from '../../src/core/dedupe.js';
import { Desk, type QueueRoute } from '../../src/core/desk.js';
import { keys } from '../../src/core/keys.js';
import { processLocks, storeLocks } from '../../src/core/lock.js';
import type { Conversation, Seat } from '../../src/core/model.js';
import { lanes, type OutboxPayload } from '../../src/core/outbox/items.js';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { Clock, StorePort } from '../../src/core/ports.js';
import { Seats } from '../../src/core/seats.js';
import { DEFAULT_SERVICE, type ServiceSettings } from '../../src/core/service-settings.js';
import type { SlaEvent } from '../../src/core/sla/sla-events.js';
import { cancelTimerOps } from '../../src/core/timers.js';
import { slaWords } from '../../src/handlers/sla-words.js';
import { createLogger } from '../../src/runtime/logger.js';
import { sha256Hex } from '../../src/runtime/sha256-hex.js';
import { slaTimerHandlers } from '../../src/runtime/sla-timer-handlers.js';
import { TimerScheduler } from '../../src/runtime/timer-scheduler.js';
import { openStore } from '../../src/store/open-store.js';
import { deleteRedisKeys, randomPrefix, REDIS_URL } from '../store/store-harnesses.js';

const START = 1_800_000_000_000;

/** The desk's time, moved only by the test (the scheduler is driven with fireDue, so nothing sleeps on it). */
class FrozenClock implements Clock {
  at = START;
  now(): number { return this.at; }
  sleep(ms: number): Promise<void> { return new Promise((r) => setTimeout(r, Math.min(ms, 5))); }
  advance(ms: number): void { this.at += ms; }
}

/** A store that can be closed and opened again on the same data (a restart). */
interface ReopenableStore { kind: 'embedded' | 'redis'; open(): Promise<StorePort>; cleanup(): Promise<void> }

function embedded(): ReopenableStore {
  let dir: string | undefined;
  return {
    kind: 'embedded',
    async open() {
      dir ??= await mkdtemp(join(tmpdir(), 'threaddesk-sla-'));
      return openStore({ dataDir: dir });
    },
    async cleanup() { if (dir) await rm(dir, { recursive: true, force: true }); },
  };
}

function redis(): ReopenableStore {
  const prefix = randomPrefix();
  return {
    kind: 'redis',
    open: () => openStore({ dataDir: join(tmpdir(), 'unused'), redisUrl: REDIS_URL, prefix }),
    cleanup: () => deleteRedisKeys(prefix),
  };
}

const SERVICE: ServiceSettings = { ...DEFAULT_SERVICE, sla: { firstResponseMs: 90_000, noReplyMs: 600_000, escalateAfterMs: 300_000 }, inactivityCloseMs: 3_600_000 };

let counter = 0;
const fresh = (name: string) => `${name}${Date.now().toString(36)}${++counter}`;

/** The desk as src/app.ts builds it, with the SLA handlers on a scheduler the test drives with fireDue. */
function build(store: StorePort, clock: FrozenClock) {
  const lines: string[] = [];
  const log = createLogger('debug', new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } }));
  const newId = () => fresh('c');
  const locks = store.kind === 'embedded' ? processLocks(clock) : storeLocks({ atomic: store, clock, newId });
  const conversations = new Conversations(store, locks);
  const seats = new Seats(store, clock, locks);
  const outbox = new Outbox(store, clock, newId);
  const queues: Record<string, QueueRoute> = {
    default: { name: 'default', department: 'default', messenger: 'slack', channel: 'C0SUPPORT', assignment: 'manual', service: SERVICE },
  };
  const desk = new Desk({
    store, clock, newId, locks, conversations, seats, outbox, audit: new AuditLog(store, clock, sha256Hex), dedupe: createDedupe(store),
    settings: { queues, defaultQueue: 'default', firstReplierClaims: true, rules: { notePrefixes: ['//'], commandPrefix: '!' }, channels: {}, messengers: ['slack'] },
  });
  const handlers = slaTimerHandlers({
    clock, store, conversations, seats, outbox, queueOf: (conv) => desk.queueOf(conv), words: slaWords({ queues }),
  }, (conv) => desk.closeInactive(conv), log, clock);
  const scheduler = new TimerScheduler({ store, clock, handlers, log, instanceId: fresh('replica'), shared: store.kind === 'redis' });
  return { desk, outbox, scheduler, lines };
}

async function seat(desk: Desk, user: string, roles: Seat['roles'], o: Partial<Seat> = {}): Promise<Seat> {
  const s: Seat = {
    id: `slack-${user}`, name: user, bindings: [{ platform: 'slack', userId: user }], roles,
    departments: ['default'], queues: ['default'], maxChats: 10, presence: 'online', enabled: true, createdAt: START, ...o,
  };
  await desk.seats.save(s);
  return s;
}

describe.each<ReopenableStore>([embedded(), redis()])('SLA timers on the $kind store', (harness) => {
  let store: StorePort;
  let clock: FrozenClock;
  let t: ReturnType<typeof build>;
  let agent: Seat;
  let supervisor: Seat;

  beforeAll(async () => {
    store = await harness.open();
    clock = new FrozenClock();
    t = build(store, clock);
    agent = await seat(t.desk, fresh('UAGENT'), ['agent']);
    supervisor = await seat(t.desk, fresh('USUP'), ['supervisor'], { queues: [] });
    // Neither may be told: disabled, or of another department.
    await seat(t.desk, fresh('UOFF'), ['supervisor'], { enabled: false, queues: [] });
    await seat(t.desk, fresh('UELSE'), ['supervisor'], { departments: ['sales'], queues: [] });
  });

  afterAll(async () => {
    await t?.scheduler.stop();
    // The timer index is one set for the whole store: leave nothing pending for the next file.
    for (const { member } of await store.zRangeByScore(keys.timers(), -Infinity, Infinity)) await store.writeAtomically(cancelTimerOps(member));
    await store?.close();
    await harness.cleanup();
  });

  const write = async (customer: string, text: string): Promise<Conversation> => {
    const out = await t.desk.receiveCustomerMessage({ channel: 'api', account: 'crm', customer: { id: customer, name: customer }, messageId: fresh('m'), text, sentAt: clock.now() });
    if (out.status !== 'accepted') throw new Error('message not accepted');
    return out.conversation;
  };
  const notices = async (convId: string) => (await t.outbox.head(lanes.thread(convId), 100))
    .map((i) => i.payload).filter((p): p is Extract<OutboxPayload, { op: 'thread.notice' }> => p.op === 'thread.notice');
  const dms = async (s: Seat, convId: string) => (await t.outbox.head(lanes.person('slack', s.bindings[0]!.userId), 100))
    .map((i) => i.payload).filter((p): p is Extract<OutboxPayload, { op: 'dm' }> => p.op === 'dm' && p.convId === convId);
  const events = async (convId: string) => (await store.range(keys.slaEvents(), 0, -1)).map((e) => JSON.parse(e) as SlaEvent).filter((e) => e.convId === convId);

  it('pings the queue\'s online seats at 90 s and not before, records the breach, and DMs the supervisor 300 s after the ping', async () => {
    const conv = await write(fresh('cust'), 'Where is my parcel?');
    clock.advance(89_999);
    await t.scheduler.fireDue();
    expect(await notices(conv.id)).toEqual([]);
    clock.advance(1);
    await t.scheduler.fireDue();
    const [ping] = await notices(conv.id);
    expect(ping?.text).toBe('⏰ This customer has waited 90 seconds without an answer. Reply or type `!claim` to take it.');
    // The agent is online in the queue; the supervisor belongs to no queue.
    expect(ping?.mentions).toEqual([agent.bindings[0]!.userId]);
    expect(await events(conv.id)).toEqual([{ kind: 'first_response', convId: conv.id, queue: 'default', at: clock.now() }]);
    clock.advance(299_999);
    await t.scheduler.fireDue();
    expect(await dms(supervisor, conv.id)).toEqual([]);
    clock.advance(1);
    await t.scheduler.fireDue();
    const [dm] = await dms(supervisor, conv.id);
    expect(dm?.text).toContain(`A conversation with ${conv.customer.name} (api, queue default) has waited 7 minutes without an answer`);
    expect((await events(conv.id)).map((e) => [e.kind, e.seats])).toEqual([['first_response', undefined], ['escalated', [supervisor.id]]]);
  });

  it('keeps the first-response clock of an unanswered run where the run began: a second message at 60 s does not push the ping to 150 s', async () => {
    const customer = fresh('cust');
    const conv = await write(customer, 'Hello');
    clock.advance(60_000);
    await write(customer, 'Hello??');
    clock.advance(30_000);
    await t.scheduler.fireDue();
    expect(await notices(conv.id)).toHaveLength(1);
  });

  it('cancels the ping with a reply at 60 s, in the reply\'s batch', async () => {
    const conv = await write(fresh('cust'), 'Can I change my address?');
    clock.advance(60_000);
    expect((await t.desk.claim(conv, agent)).ok).toBe(true);
    expect((await t.desk.replyToCustomer((await t.desk.conversations.get(conv.id))!, agent, 'Yes, send it')).ok).toBe(true);
    expect(await store.getString(keys.timer(`sla-first:${conv.id}`))).toBeUndefined();
    clock.advance(3_600_000 - 1);
    await t.scheduler.fireDue();
    expect(await notices(conv.id)).toEqual([]);
    expect(await events(conv.id)).toEqual([]);
  });

  it('reminds the claimer with a mention when they leave a customer message unanswered for no_reply_seconds', async () => {
    const customer = fresh('cust');
    const conv = await write(customer, 'Hello?');
    expect((await t.desk.claim(conv, agent)).ok).toBe(true);
    clock.advance(90_000);
    await t.scheduler.fireDue();
    expect((await notices(conv.id)).map((n) => [n.text, n.mentions])).toEqual([['⏰ This customer has waited 90 seconds without an answer. Please reply now.', [agent.bindings[0]!.userId]]]);
    clock.advance(510_000);
    await t.scheduler.fireDue();
    const reminder = (await notices(conv.id))[1];
    expect([reminder?.text, reminder?.mention]).toEqual(['⏰ Reminder: the customer has waited 10 minutes for your reply.', agent.bindings[0]!.userId]);
    expect((await events(conv.id)).map((e) => [e.kind, e.seat])).toEqual([['first_response', agent.id], ['escalated', undefined], ['no_reply', agent.id]]);
  });

  it('DMs the supervisors at once for #urgent or #急, once per conversation, also after !tag #urgent', async () => {
    const customer = fresh('cust');
    const conv = await write(customer, 'Charged twice #急');
    await t.scheduler.fireDue();
    const first = await dms(supervisor, conv.id);
    expect(first.map((d) => d.text)).toEqual([`🚨 A conversation with ${customer} (api, queue default) is tagged urgent.`]);
    await write(customer, 'Still waiting #urgent');
    expect((await t.desk.tag((await t.desk.conversations.get(conv.id))!, agent, { customer: [], conversation: ['urgent'] }, 'add')).ok).toBe(true);
    await t.scheduler.fireDue();
    expect(await dms(supervisor, conv.id)).toHaveLength(1);
    expect((await events(conv.id)).filter((e) => e.kind === 'urgent')).toHaveLength(1);
  });

  it('closes a conversation silent for inactivity_close_hours, moved forward by every message, with the reason in the thread and the claim released', async () => {
    const customer = fresh('cust');
    const conv = await write(customer, 'Thanks, that is all');
    expect((await t.desk.claim(conv, agent)).ok).toBe(true);
    await t.desk.replyToCustomer((await t.desk.conversations.get(conv.id))!, agent, 'Glad to help');
    clock.advance(30 * 60_000);
    await t.desk.replyToCustomer((await t.desk.conversations.get(conv.id))!, agent, 'Anything else?');
    clock.advance(31 * 60_000);
    await t.scheduler.fireDue();
    expect((await t.desk.conversations.get(conv.id))?.status).toBe('open');
    clock.advance(30 * 60_000);
    await t.scheduler.fireDue();
    expect((await t.desk.conversations.get(conv.id))?.status).toBe('closed');
    expect(await t.desk.conversations.claimer(conv.id)).toBeUndefined();
    expect((await notices(conv.id)).map((n) => n.text)).toContain('💤 Closed by the desk: nobody wrote for 1 hour. A new customer message opens a new conversation; `!reopen` opens this one again.');
    expect((await t.outbox.head(lanes.header(conv.id), 100)).some((i) => i.payload.op === 'thread.header')).toBe(true);
    // Every timer of a closed conversation is gone; the customer's next message opens a new conversation.
    expect((await store.zRangeByScore(keys.timers(), -Infinity, Infinity)).filter((m) => m.member.endsWith(conv.id))).toEqual([]);
    const next = await write(customer, 'One more thing');
    expect(next.id).not.toBe(conv.id);
  });

  it('fires a timer scheduled before a restart once, late, after it, and logs the lateness', async () => {
    const conv = await write(fresh('cust'), 'Anyone there?');
    await t.scheduler.stop();
    await store.close();
    clock.advance(90_000 + 120_000);
    store = await harness.open();
    t = build(store, clock);
    // Other tests' timers may be due too: what counts is this conversation's one ping and one breach.
    await t.scheduler.fireDue();
    await t.scheduler.fireDue();
    expect(await notices(conv.id)).toHaveLength(1);
    expect(await events(conv.id)).toHaveLength(1);
    const late = t.lines.map((l) => JSON.parse(l) as { msg: string; latenessMs?: number; timer?: string }).find((l) => l.msg === 'timer fired late' && l.timer === `sla-first:${conv.id}`);
    expect(late?.latenessMs).toBe(120_000);
  });
});
