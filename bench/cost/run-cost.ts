import { syncBuiltinESMExports } from 'node:module';
import fs from 'node:fs';
import type { StoreKind } from '../../tests/support/start-desk.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { GroupCommit } from '../../src/store/embedded/group-commit.js';
import { RedisStore } from '../../src/store/redis/redis-store.js';
import RedisSocket from '@redis/client/dist/lib/client/socket.js';
import { liftPostSpacing } from '../latency/lift-post-spacing.js';
import { startBenchDesk, type BenchDesk } from '../support/start-bench-desk.js';
import { sendCustomerMessage } from '../support/send-customer-message.js';
import { compareWithEarlier } from './compare-cost.js';

export interface CostParams {
  store: StoreKind;
  conversations: number;
  followUpsPerConversation: number;
  /**
   * Conversations opened (a first message and one follow-up each) before counting starts, by
   * other customers: without them the first messages measured are the first the process ever
   * handles, and their CPU is mostly V8 compiling the paths (counts are unaffected).
   */
  warmUpConversations?: number;
  /** An earlier cost.json to put beside this run's figures (`BENCH_COST_BEFORE`). */
  before?: string;
}

/** The store's operations, as StorePort names them; which of them write. */
const READS = ['get', 'getMany', 'getString', 'range', 'length', 'members', 'ping', 'zScore', 'zRangeByScore', 'zCard'] as const;
const WRITES = ['set', 'delete', 'setIfAbsent', 'takeLeaseAndRange', 'setString', 'compareAndDelete', 'compareAndSet', 'deleteString', 'writeAtomically', 'push', 'dropHead', 'addMember', 'removeMember', 'removeMemberIfListEmpty', 'removeMemberIfListEmptyReleasing', 'zAdd', 'zRemove'] as const;

interface Counts {
  calls: Record<string, number>;
  commits: number;
  fsyncs: number;
  /** Flushes of node-redis sockets (the store's client): the commands of one event-loop turn go out in one. */
  redisWrites: number;
}

const counts: Counts = { calls: {}, commits: 0, fsyncs: 0, redisWrites: 0 };
let patched = false;

/**
 * Counts every store call (both stores' classes), every COMMIT of the
 * embedded store's group commit and every fsync, by wrapping them in this
 * process. Bench-only instrumentation: src/ is unchanged.
 */
function instrument(): void {
  if (patched) return;
  patched = true;
  for (const proto of [EmbeddedStore.prototype, RedisStore.prototype] as unknown as Record<string, (...a: unknown[]) => unknown>[]) {
    for (const name of [...READS, ...WRITES]) {
      const original = proto[name];
      if (typeof original !== 'function') continue;
      proto[name] = function (this: unknown, ...args: unknown[]) {
        counts.calls[name] = (counts.calls[name] ?? 0) + 1;
        return original.apply(this, args);
      };
    }
  }
  const gc = GroupCommit.prototype as unknown as { commit: () => void };
  const commit = gc.commit;
  gc.commit = function (this: unknown) { counts.commits += 1; return commit.call(this); };
  const fsync = fs.fsync;
  (fs as { fsync: typeof fs.fsync }).fsync = ((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => { counts.fsyncs += 1; return fsync(fd, cb); }) as typeof fs.fsync;
  syncBuiltinESMExports();
  // node-redis writes what a turn queued in one corked burst (RedisSocket.write): one per round of
  // commands that do not wait for each other, so this counts the store's sequential round trips.
  const loaded = RedisSocket as unknown as { default?: { prototype: object }; prototype?: object };
  const proto = (loaded.default ?? loaded).prototype as { write: (...a: unknown[]) => unknown };
  const write = proto.write;
  proto.write = function (this: unknown, ...args: unknown[]) { counts.redisWrites += 1; return write.apply(this, args); };
}

function snapshot(): Counts {
  return { calls: { ...counts.calls }, commits: counts.commits, fsyncs: counts.fsyncs, redisWrites: counts.redisWrites };
}

/** Per message, between two snapshots. */
function perMessage(before: Counts, after: Counts, messages: number, slackCalls: number, cpuMs: number) {
  const delta = (name: string) => (after.calls[name] ?? 0) - (before.calls[name] ?? 0);
  const byMethod: Record<string, number> = {};
  for (const name of [...READS, ...WRITES]) if (delta(name)) byMethod[name] = round(delta(name) / messages);
  const reads = READS.reduce((n, name) => n + delta(name), 0);
  const writes = WRITES.reduce((n, name) => n + delta(name), 0);
  return {
    messages,
    storeCalls: round((reads + writes) / messages),
    reads: round(reads / messages),
    writes: round(writes / messages),
    byMethod,
    commits: round((after.commits - before.commits) / messages),
    fsyncs: round((after.fsyncs - before.fsyncs) / messages),
    redisWrites: round((after.redisWrites - before.redisWrites) / messages),
    slackCalls: round(slackCalls / messages),
    processCpuMs: round(cpuMs / messages),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * Waits until every text is in a post and the fake Slack has had no call for
 * `quietMs` (the outbox removed what it sent, header edits are done), without
 * a store call of its own, which would be counted.
 */
async function settle(desk: BenchDesk, texts: readonly string[], quietMs: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let calls = -1;
  let quietSince = Date.now();
  for (;;) {
    const lines = new Set(desk.slack.callsTo('chat.postMessage').flatMap((c) => String(c.args.text ?? '').split('\n')));
    if (desk.slack.calls.length !== calls) { calls = desk.slack.calls.length; quietSince = Date.now(); }
    if (texts.every((t) => lines.has(t)) && Date.now() - quietSince >= quietMs) return;
    if (Date.now() > deadline) throw new Error('the desk did not mirror every message and go quiet within 30 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Where an inbound message's cost goes, counted rather than timed: store
 * calls (by operation, reads and writes), the embedded store's COMMITs and
 * fsyncs, and Slack calls, per customer message, end to end (intake, the
 * thread post, removing it from the outbox). First messages (they open a
 * conversation and post its header) and follow-ups are counted apart. The
 * desk runs in this process with the channel's post spacing lifted, and no
 * conversation has two messages waiting at once, so none coalesce: each
 * figure is one message's own. Process CPU includes the fakes and the sender.
 */
export async function runCost(p: CostParams) {
  instrument();
  liftPostSpacing();
  const desk = await startBenchDesk({ store: p.store, slack: { postRate: false, tierRate: false }, graph: { throughput: false, pairRate: false } });
  try {
    const customer = (c: number) => ({ from: `4915577${String(c).padStart(4, '0')}`, name: `Cost Customer ${c}` });
    const warmCustomer = (c: number) => ({ from: `4915588${String(c).padStart(4, '0')}`, name: `Warm-up Customer ${c}` });
    const measure = async (texts: string[], quietMs: number, send: () => Promise<void>) => {
      const before = snapshot();
      const slackBefore = desk.slack.calls.length;
      const cpu = process.cpuUsage();
      await send();
      await settle(desk, texts, quietMs);
      const used = process.cpuUsage(cpu);
      return perMessage(before, snapshot(), texts.length, desk.slack.calls.length - slackBefore, (used.user + used.system) / 1000);
    };
    const warmUp = (p.warmUpConversations ?? 0) > 0 ? Array.from({ length: p.warmUpConversations! }, (_, c) => c) : [];
    for (const round of ['first', 'again']) {
      const texts = warmUp.map((c) => `cost warm-up w${c} ${round}`);
      await Promise.all(warmUp.map((c, i) => sendCustomerMessage(desk.app.url, warmCustomer(c).from, warmCustomer(c).name, texts[i]!)));
      await settle(desk, texts, round === 'first' ? 2_000 : 300);
    }
    // First messages: one per conversation, all at once (nothing to coalesce); the quiet period
    // covers the header edit a new thread may queue (Tier 3 budget, 1.2 s apart).
    const firsts = Array.from({ length: p.conversations }, (_, c) => `cost c${c} first`);
    const firstMessage = await measure(firsts, 2_000, async () => {
      await Promise.all(firsts.map((text, c) => sendCustomerMessage(desk.app.url, customer(c).from, customer(c).name, text)));
    });
    // Follow-ups: rounds of one message per conversation, each round mirrored before the next.
    const followUps: string[] = [];
    const followUp = await measure(followUps, 300, async () => {
      for (let m = 0; m < p.followUpsPerConversation; m++) {
        const round = Array.from({ length: p.conversations }, (_, c) => `cost c${c} m${m}`);
        followUps.push(...round);
        await Promise.all(round.map((text, c) => sendCustomerMessage(desk.app.url, customer(c).from, customer(c).name, text)));
        await settle(desk, round, 100);
      }
    });
    // Follow-ups one at a time (each mirrored before the next is sent), so no other message's
    // commands share a Redis write: `redisWrites` is then one message's sequential round trips.
    const lone: string[] = [];
    const followUpAlone = await measure(lone, 100, async () => {
      for (let c = 0; c < Math.min(p.conversations, 10); c++) {
        const text = `cost c${c} alone`;
        lone.push(text);
        await sendCustomerMessage(desk.app.url, customer(c).from, customer(c).name, text);
        await settle(desk, [text], 100);
      }
    });
    const earlier = compareWithEarlier(p.before, p.store, { firstMessage, followUp, followUpAlone });
    return { store: p.store, firstMessage, followUp, followUpAlone, ...earlier, warnings: desk.logs.warnings, errors: desk.logs.errors };
  } finally {
    await desk.close();
  }
}
