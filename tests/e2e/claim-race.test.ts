import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRETS, startDesk, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { dispatch } from '../../src/handlers/dispatch.js';
import { keys } from '../../src/core/keys.js';
import type { Update } from '../../src/handlers/context.js';

const CLAIMERS = Array.from({ length: 20 }, (_, i) => `U0SEAT${String(i).padStart(2, '0')}`);
const REPETITIONS = 100;

/**
 * Claim race (issue acceptance): 20 simultaneous claims on one conversation,
 * spread over two bot instances sharing one Redis, give exactly one winner,
 * every time over 100 repetitions; the losers are told who holds it.
 */
describe('claims across two replicas sharing Redis', () => {
  let a: DeskHarness;
  let b: DeskHarness;
  beforeAll(async () => {
    const env = { BOOTSTRAP_ADMINS: CLAIMERS.map((u) => `slack:${u}`).join(',') };
    const users = Object.fromEntries(CLAIMERS.map((u) => [u, { name: u.toLowerCase(), real_name: u }]));
    a = await startDesk({ store: 'redis', env, slack: { postRate: false, tierRate: false, users } });
    b = await startDesk({ store: 'redis', env, reuse: { slack: a.slack, graph: a.graph, callbacks: a.callbacks, prefix: a.prefix } });
    // Room for a win in every repetition: a seat's max holds on every claim, and this race is about the lease.
    for (const u of CLAIMERS) await a.app.desk.seats.update(`slack-${u}`, (s) => ({ ...s, maxChats: 500 }));
  });
  afterAll(async () => {
    await b?.close({ keepFakes: true });
    await a?.close();
  });

  // First, while the channel's queue is empty: the 100 repetitions below queue 200 posts at Slack's 1/s.
  it('tells losers through the real Slack path too (buttons pressed on both replicas)', async () => {
    const act = actions(a);
    await act.customerWrites('4917111111111', 'race over HTTP');
    const header = await act.headerFor('race over HTTP');
    const convId = (await a.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!.id;
    const presses = CLAIMERS.slice(0, 6).map((u, i) => actions(i % 2 ? b : a).pressButton(u, header.ts, 'claim', convId));
    expect((await Promise.all(presses)).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const holder = (await a.app.desk.conversations.claimer(convId))!;
    const losers = CLAIMERS.slice(0, 6).filter((u) => `slack-${u}` !== holder);
    expect(losers).toHaveLength(5);
    await a.slack.waitFor((s) => losers.every((u) => s.ephemerals.some((e) => e.user === u && e.text.includes('already has this conversation'))), 10_000);
    await a.slack.waitFor((s) => s.threadReplies('C0SUPPORT', header.ts).filter((m) => m.text.includes('claimed this conversation')).length === 1, 5000);
  });

  it('gives exactly one winner of 20 simultaneous claims, 100 times, and tells every loser who has it', async () => {
    const act = actions(a);
    const convIds: string[] = [];
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const customer = `4917000${String(rep).padStart(5, '0')}`;
      expect((await act.customerWrites(customer, `race ${rep}`)).status).toBe(200);
      const convId = await a.app.store.getString(keys.customerConversation('whatsapp', SECRETS.phoneNumberId, customer));
      expect(convId).toBeTruthy();
      convIds.push(convId!);
      const told = new Map<string, string[]>();
      const results = await Promise.all(
        CLAIMERS.map((user, i) => {
          const replica = i % 2 === 0 ? a : b;
          const update: Update = { kind: 'action', actor: { platform: 'slack', userId: user }, location: { workspace: 'T0001', channel: 'C0SUPPORT' }, name: 'claim', convId: convId! };
          return dispatch(replica.app.desk, update, {
            replyPrivately: async (text) => { told.set(user, [...(told.get(user) ?? []), text]); },
            reply: async () => {},
          });
        }),
      );
      expect(results).toHaveLength(20);
      const holder = await a.app.store.getString(keys.claim(convId!));
      const winners = CLAIMERS.filter((u) => !told.has(u));
      expect(winners, `repetition ${rep}`).toEqual([holder!.replace(/^slack-/, '')]);
      const holderName = `slack:${winners[0]}`;
      for (const loser of CLAIMERS.filter((u) => u !== winners[0])) {
        expect(told.get(loser), `loser ${loser} in repetition ${rep}`).toEqual([expect.stringContaining(`${holderName} already has this conversation`)]);
      }
    }
    // Every claim is audited once per conversation: one winner each.
    const raced = new Set(convIds);
    const claims = await a.app.desk.auditLog.list(10_000, (e) => e.action === 'chat.claim' && e.outcome === 'ok' && raced.has(e.target ?? ''));
    expect(claims).toHaveLength(REPETITIONS);
  }, 240_000);
});
