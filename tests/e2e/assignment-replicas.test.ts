import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, startDesk, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { makeSeat } from '../support/seat-fixtures.js';
import { keys } from '../../src/core/keys.js';
import { deleteRedisKeys } from '../store/store-harnesses.js';

/** The default queue hands out its conversations least-busy first (SPEC §7). */
const YAML = 'queues:\n  - name: default\n    assignment: least_busy\n';
const SEATS = Array.from({ length: 10 }, (_, i) => `U0LOAD${String(i).padStart(2, '0')}`);
const CONVERSATIONS = 200;
const ALL = { min: 0, max: Number.MAX_SAFE_INTEGER };

/** Two replicas on one Redis under one prefix (as claim-race does), 10 online seats of the default queue at `max`. */
async function startPair(max: number): Promise<{ a: DeskHarness; b: DeskHarness }> {
  const slack = { postRate: false, tierRate: false } as const;
  const a = await startDesk({ store: 'redis', yaml: YAML, slack });
  const b = await startDesk({ store: 'redis', yaml: YAML, reuse: { slack: a.slack, graph: a.graph, callbacks: a.callbacks, prefix: a.prefix } });
  for (const u of SEATS) await makeSeat(a.app.desk, u, ['agent'], { queues: ['default'], maxChats: max });
  await Promise.all([a.app.assignment.idle(), b.app.assignment.idle()]);
  return { a, b };
}

/** Stops both replicas and deletes the pair's keys (the store's and bottleneck's `b_<prefix>`) from the shared Redis. */
async function stopPair(a: DeskHarness | undefined, b: DeskHarness | undefined): Promise<void> {
  await b?.close({ keepFakes: true });
  await a?.close();
  if (a) for (const p of [a.prefix, `b_${a.prefix}`]) await deleteRedisKeys(p);
}

/** 200 customers write at once on WhatsApp, every other webhook to the other replica; resolves with their conversation ids. */
async function openAtOnce(a: DeskHarness, b: DeskHarness, tag: string): Promise<string[]> {
  const phones = Array.from({ length: CONVERSATIONS }, (_, i) => `4917${tag}${String(i).padStart(5, '0')}`);
  const answers = await Promise.all(phones.map((p, i) => actions(a, (i % 2 ? b : a).app.url).customerWrites(p, `order ${i} is late`)));
  expect(answers.map((r) => r.status)).toEqual(phones.map(() => 200));
  const ids = await Promise.all(phones.map((p) => a.app.store.getString(keys.customerConversation('whatsapp', SECRETS.phoneNumberId, p))));
  expect(ids.every(Boolean)).toBe(true);
  expect(new Set(ids).size).toBe(CONVERSATIONS);
  return ids as string[];
}

/**
 * Until both replicas' runners are idle and the figures hold still: a run on
 * one replica may be kicked by a conversation the other opened or freed.
 */
async function settle(a: DeskHarness, b: DeskHarness, done: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await Promise.all([a.app.assignment.idle(), b.app.assignment.idle()]);
    if (await done()) return;
    if (Date.now() > end) throw new Error('assignment did not settle');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Who holds each conversation by its claim lease, and how many each seat holds. */
async function holders(h: DeskHarness, ids: readonly string[]): Promise<{ claimed: number; perSeat: Map<string, number> }> {
  const leases = await Promise.all(ids.map((id) => h.app.store.getString(keys.claim(id))));
  const perSeat = new Map<string, number>();
  for (const seat of leases) if (seat) perSeat.set(seat, (perSeat.get(seat) ?? 0) + 1);
  return { claimed: leases.filter(Boolean).length, perSeat };
}

/** The desk's `chat.assign` audit entries, counted per conversation. */
async function assignAudits(h: DeskHarness): Promise<Map<string, number>> {
  const entries = await h.app.desk.auditLog.list(10_000, (e) => e.action === 'chat.assign' && e.outcome === 'ok');
  const per = new Map<string, number>();
  for (const e of entries) per.set(e.target ?? '', (per.get(e.target ?? '') ?? 0) + 1);
  return per;
}

const waitingIn = async (h: DeskHarness) => (await h.app.store.zRangeByScore(keys.waiting('default'), ALL.min, ALL.max)).map((w) => w.member);

/** Issue 12, acceptance point 2: assignment at scale across replicas, exact and within every seat's max. */
describe('assignment across two replicas sharing Redis', () => {
  describe('200 conversations at once over 10 seats with max=20', () => {
    let a: DeskHarness;
    let b: DeskHarness;
    beforeAll(async () => { ({ a, b } = await startPair(20)); });
    afterAll(async () => { await stopPair(a, b); });

    it('assigns every conversation exactly once, fills every seat to 20 and no further, audits 200 assignments and leaves nothing waiting', async () => {
      const ids = await openAtOnce(a, b, '01');
      await settle(a, b, async () => (await holders(a, ids)).claimed === CONVERSATIONS && (await waitingIn(a)).length === 0);

      const { claimed, perSeat } = await holders(a, ids);
      expect(claimed).toBe(CONVERSATIONS);
      expect([...perSeat.keys()].sort()).toEqual(SEATS.map((u) => `slack-${u}`));
      // 200 over 10 seats of 20: every seat full, none beyond.
      expect([...perSeat.values()]).toEqual(SEATS.map(() => 20));
      // The seats' held-chats sets agree with the leases: each conversation in exactly one of them.
      const held = (await Promise.all(SEATS.map((u) => a.app.store.members(keys.seatChats(`slack-${u}`))))).flat();
      expect(held.sort()).toEqual([...ids].sort());
      const audits = await assignAudits(a);
      expect(audits.size).toBe(CONVERSATIONS);
      expect([...audits.keys()].sort()).toEqual([...ids].sort());
      expect([...audits.values()].every((n) => n === 1)).toBe(true);
      expect(await waitingIn(a)).toEqual([]);
    }, 120_000);
  });

  describe('200 conversations at once over 10 seats with max=15, then room for the rest', () => {
    let a: DeskHarness;
    let b: DeskHarness;
    beforeAll(async () => { ({ a, b } = await startPair(15)); });
    afterAll(async () => { await stopPair(a, b); });

    it('assigns 150, keeps the other 50 waiting with no seat above 15, and assigns those 50 once two seats close chats and the others get max=20', async () => {
      const ids = await openAtOnce(a, b, '02');
      await settle(a, b, async () => (await holders(a, ids)).claimed === 150 && (await waitingIn(a)).length === 50);
      // Still so once both replicas had every chance to run again.
      a.app.desk.kick('default');
      b.app.desk.kick('default');
      await Promise.all([a.app.assignment.idle(), b.app.assignment.idle()]);

      const short = await holders(a, ids);
      expect(short.claimed).toBe(150);
      expect([...short.perSeat.values()]).toEqual(SEATS.map(() => 15));
      const waiting = await waitingIn(a);
      expect(waiting).toHaveLength(50);
      expect(waiting.every((id) => ids.includes(id))).toBe(true);
      expect((await assignAudits(a)).size).toBe(150);

      // Room again: two seats close 5 chats each on replica b, and the eight others go up to max=20 on replica a.
      const closed: string[] = [];
      for (const u of SEATS.slice(0, 2)) {
        const seat = (await b.app.desk.seats.get(`slack-${u}`))!;
        for (const convId of (await b.app.store.members(keys.seatChats(seat.id))).slice(0, 5)) {
          const conv = (await b.app.desk.conversations.get(convId))!;
          expect((await b.app.desk.close(conv, seat)).ok).toBe(true);
          closed.push(convId);
        }
      }
      for (const u of SEATS.slice(2)) await a.app.desk.seats.update(`slack-${u}`, (s) => ({ ...s, maxChats: 20 }));
      const open = ids.filter((id) => !closed.includes(id));
      // 190 still open: 10 + 40 newly assigned fill the room exactly (2 × 5 freed, 8 × 5 added).
      await settle(a, b, async () => (await holders(a, open)).claimed === 190 && (await waitingIn(a)).length === 0);

      const after = await holders(a, open);
      expect(after.claimed).toBe(190);
      for (const u of SEATS.slice(0, 2)) expect(after.perSeat.get(`slack-${u}`)).toBe(15);
      for (const u of SEATS.slice(2)) expect(after.perSeat.get(`slack-${u}`)).toBe(20);
      const audits = await assignAudits(a);
      expect(audits.size).toBe(CONVERSATIONS);
      expect([...audits.values()].every((n) => n === 1)).toBe(true);
      expect(await waitingIn(a)).toEqual([]);
    }, 120_000);
  });
});
