import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, SECRETS, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { makeSeat, unique } from '../support/seat-fixtures.js';
import { messageEvent, postToBot } from '../fakes/slack/index.js';
import type { Conversation, Seat } from '../../src/core/model.js';
import { postApiMessage } from '../fakes/api/send-api-message.js';
import { waitFor } from '../support/wait-until.js';

/** SPEC §7: refunds get their own channel and least-busy assignment; the default queue is claimed by hand. */
const YAML = `queues:
  - name: default
    assignment: manual
  - name: refunds
    slack_channel: C0REFUNDS
    assignment: least_busy
    sticky_days: 7
  - name: vip
    slack_channel: C0VIP
    assignment: manual
routing:
  rules:
    - queue: refunds
      keywords: ["#refund", "退款"]
    - queue: vip
      customer_tags: [vip]
`;

describe.each<StoreKind>(['embedded', 'redis'])('routing and assignment on Slack, %s store', (store) => {
  let h: DeskHarness;
  let alice: Seat;
  let bob: Seat;
  let carol: Seat;
  const p = unique().toUpperCase();

  beforeAll(async () => {
    h = await startDesk({ store, yaml: YAML, slack: { channels: ['C0SUPPORT', 'C0REFUNDS', 'C0VIP'], postRate: false, tierRate: false } });
    const d = h.app.desk;
    // They exist in the workspace too, so private answers reach them.
    for (const [u, name] of [[`UA${p}`, 'Alice'], [`UB${p}`, 'Bob'], [`UC${p}`, 'Carol']] as const) {
      (h.slack.config.users as Record<string, { name: string; real_name: string }>)[u] = { name: name.toLowerCase(), real_name: name };
    }
    // Seat ids sort alice < bob < carol: with equal loads and turns, alice comes first.
    alice = await makeSeat(d, `UA${p}`, ['agent'], { name: 'Alice', queues: ['refunds'], maxChats: 1 });
    bob = await makeSeat(d, `UB${p}`, ['agent'], { name: 'Bob', queues: ['refunds'], maxChats: 1 });
    carol = await makeSeat(d, `UC${p}`, ['agent'], { name: 'Carol', queues: ['refunds'], maxChats: 5, presence: 'paused' });
    await h.app.assignment.idle();
  });
  afterAll(async () => { await h?.close(); });

  /** A customer writes on WhatsApp; resolves with their open conversation once assignment has run. */
  const customerWrites = async (phone: string, text: string): Promise<Conversation> => {
    const res = await actions(h).customerWrites(phone, text, { name: `Customer ${phone.slice(-3)}` });
    expect(res.status).toBe(200);
    await h.app.assignment.idle();
    const d = h.app.desk;
    const conv = await waitFor(async () => {
      const found = await h.app.store.getString(`conv-of:whatsapp:${SECRETS.phoneNumberId}:${phone}`);
      const c = found ? await d.conversations.get(found) : undefined;
      return c?.status === 'open' && c.lastCustomerMessageId === res.id ? c : undefined;
    });
    return conv;
  };

  /** The thread root (header) of a conversation, once the bot has opened it. */
  const threadOf = async (conv: Conversation): Promise<string> =>
    (await waitFor(async () => (await h.app.desk.conversations.get(conv.id))?.thread?.thread));

  /** An agent writes in a conversation's thread in the refunds channel. */
  const agentWrites = async (seat: Seat, conv: Conversation, text: string) => {
    const user = seat.bindings[0]!.userId;
    const thread = await threadOf(conv);
    const { ts } = h.slack.addUserMessage({ channel: 'C0REFUNDS', user, text, thread_ts: thread });
    const res = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, messageEvent({ channel: 'C0REFUNDS', user, text, thread_ts: thread, ts }));
    expect(res.status).toBe(200);
  };

  it('routes #refund to the refunds channel, assigns one each to two agents at max=1, makes the third wait, never gives the paused agent anything, and goes back to the same agent for a returning customer', async () => {
    const d = h.app.desk;
    const a = await customerWrites("15550000101", 'I want a #refund for order 1');
    const b = await customerWrites('15550000202', '请帮我退款');
    expect(a.queue).toBe('refunds');
    expect(b.queue).toBe('refunds');
    expect(await d.conversations.claimer(a.id)).toBe(alice.id);
    expect(await d.conversations.claimer(b.id)).toBe(bob.id);
    // The thread opens in the refunds channel, and the assignee is mentioned in it.
    await h.slack.waitFor((s) => s.messages.find((m) => m.channel === 'C0REFUNDS' && m.text.includes(`<@${alice.bindings[0]!.userId}>`) && m.text.includes('Assigned to Alice')), 5000);
    await h.slack.waitFor((s) => s.messages.find((m) => m.channel === 'C0REFUNDS' && m.text.includes(`<@${bob.bindings[0]!.userId}>`)), 5000);
    expect(h.slack.messages.filter((m) => m.channel === 'C0SUPPORT' && m.text.includes('#refund'))).toEqual([]);

    // Each agent's plain reply reaches only their own customer.
    const before = h.graph.sent.length;
    await agentWrites(alice, a, 'Alice here, refund on its way');
    await agentWrites(bob, b, 'Bob here, 正在处理');
    const sent = await waitFor(async () => (h.graph.sent.length >= before + 2 ? h.graph.sent.slice(before) : undefined));
    expect(sent.map((m) => [m.waId, m.text]).sort()).toEqual([[a.customer.id, 'Alice here, refund on its way'], [b.customer.id, 'Bob here, 正在处理']].sort());

    // A third waits: both are full and Carol is paused.
    const c = await customerWrites('15550000303', '#refund three');
    expect(await d.conversations.claimer(c.id)).toBeUndefined();
    expect((await h.app.store.zRangeByScore('waiting:refunds', 0, Number.MAX_SAFE_INTEGER)).map((w) => w.member)).toEqual([c.id]);

    // Carol (paused) answering it stays internal: a paused seat claims by hand, not by first reply.
    await agentWrites(carol, c, 'I could take this one');
    await h.slack.waitFor((s) => s.ephemerals.find((e) => e.user === carol.bindings[0]!.userId && e.text.includes('Nobody has this conversation')), 5000);
    expect(await d.conversations.claimer(c.id)).toBeUndefined();

    // Alice closes hers: the waiting one is hers now.
    await agentWrites(alice, a, '!close');
    // The lease first, then the waiting entry goes (a crash between leaves a stale entry, skipped later).
    await waitFor(async () => ((await d.conversations.claimer(c.id)) === alice.id && (await h.app.store.zCard('waiting:refunds')) === 0 ? true : undefined));
    expect(await d.conversations.claimer(c.id)).toBe(alice.id);

    // Everyone free again; Bob's turn is older than Alice's, so without stickiness Bob would get the next one.
    await agentWrites(alice, c, '!close');
    await agentWrites(bob, b, '!close');
    await waitFor(async () => ((await d.conversations.get(b.id))?.status === 'closed' && (await d.conversations.get(c.id))?.status === 'closed' ? true : undefined));
    const again = await customerWrites(a.customer.id, '#refund: me again');
    expect(again.id).not.toBe(a.id);
    expect(await d.conversations.claimer(again.id)).toBe(alice.id);
    expect(again.tags).toContain('returning');
    // Carol never got anything.
    expect(await h.app.store.members(`seat-chats:${carol.id}`)).toEqual([]);
  });

  /** The header card's text (Block Kit, flattened) of a conversation, as Slack shows it now. */
  const headerText = (conv: Conversation, channel: string) => {
    const header = h.slack.messages.find((m) => m.channel === channel && m.ts === conv.thread?.header);
    return JSON.stringify(header?.blocks ?? []);
  };

  it("tags: the API's customer.tags and `!tag vip` tag the customer (routing their next conversation to the vip queue), hashtags tag the conversation, and the header shows them", async () => {
    const d = h.app.desk;
    // The API hands in a customer with a tag: routed by it.
    const res = await postApiMessage(h.app.url, SECRETS.apiSecret, { source: 'crm', message_id: `m-${p}`, customer: { id: `c-${p}`, name: 'Dana', tags: ['VIP'] }, text: 'hello' });
    expect(res.status).toBe(202);
    const apiConv = await waitFor(async () => {
      const id = await h.app.store.getString(`conv-of:api:crm:c-${p}`);
      return id ? d.conversations.get(id) : undefined;
    });
    expect(apiConv).toMatchObject({ queue: 'vip', customer: { tags: ['vip'] }, tags: ['new'] });
    const shown = await waitFor(async () => {
      const c = await d.conversations.get(apiConv.id);
      const text = c?.thread ? headerText(c, 'C0VIP') : '';
      return text.includes('vip') ? text : undefined;
    });
    expect(shown).toContain('#new');

    // A WhatsApp customer's hashtag tags the conversation; an agent tags the customer in the thread.
    const conv = await customerWrites('15550000404', 'hello #Urgent please');
    expect(conv).toMatchObject({ queue: 'default', tags: ['new', 'urgent'] });
    const thread = await waitFor(async () => (await d.conversations.get(conv.id))?.thread);
    const { ts } = h.slack.addUserMessage({ channel: 'C0SUPPORT', user: 'U0AGENT', text: '!tag vip', thread_ts: thread.thread });
    expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT', text: '!tag vip', thread_ts: thread.thread, ts }))).status).toBe(200);
    await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts === thread.thread && m.text.includes('tagged vip')), 5000);
    const tagged = await waitFor(async () => {
      const c = await d.conversations.get(conv.id);
      const text = c ? headerText(c, 'C0SUPPORT') : '';
      return text.includes('vip #new #urgent') ? c : undefined;
    });
    expect(tagged.customer.tags).toEqual(['vip']);
    expect(await h.app.store.members(`customer-tags:whatsapp:${SECRETS.phoneNumberId}:15550000404`)).toEqual(['vip']);

    // Closed; the customer's next conversation goes to the vip queue, as a returning customer.
    expect((await d.close(tagged, (await d.seats.ofActor({ platform: 'slack', userId: 'U0AGENT' }))!)).ok).toBe(true);
    const next = await customerWrites('15550000404', 'me again');
    expect(next.id).not.toBe(conv.id);
    expect(next).toMatchObject({ queue: 'vip', tags: ['returning'], customer: { tags: ['vip'] } });
  });
});
