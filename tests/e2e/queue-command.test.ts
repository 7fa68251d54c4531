import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, SECRETS, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { makeSeat, unique } from '../support/seat-fixtures.js';
import { blockActions, postToBot, slashCommand } from '../fakes/slack/index.js';
import type { Conversation, Seat } from '../../src/core/model.js';
import { waitFor } from '../support/wait-until.js';

/** SPEC §7 `/queue`: refunds (its own department and channel) is claimed by hand, so conversations wait there. */
const YAML = `queues:
  - name: default
    assignment: manual
  - name: refunds
    department: after-sales
    slack_channel: C0REFUNDS
    assignment: manual
routing:
  rules:
    - queue: refunds
      keywords: ["#refund"]
`;

type SlackAnswer = { response_type?: string; text?: string; blocks?: { type: string; text?: { text: string }; accessory?: { action_id: string; value: string }; elements?: { text: string }[] }[] };

describe.each<StoreKind>(['embedded', 'redis'])('/queue on Slack, %s store', (store) => {
  let h: DeskHarness;
  let ann: Seat;
  let sam: Seat;
  let waiting: Conversation[];
  const p = unique().toUpperCase();

  beforeAll(async () => {
    h = await startDesk({ store, yaml: YAML, slack: { channels: ['C0SUPPORT', 'C0REFUNDS'], postRate: false, tierRate: false } });
    const d = h.app.desk;
    ann = await makeSeat(d, `UA${p}`, ['agent'], { name: 'Ann', queues: ['refunds'], departments: ['after-sales'], maxChats: 3 });
    await makeSeat(d, `UB${p}`, ['agent'], { name: 'Ben', queues: ['refunds'], departments: ['after-sales'], maxChats: 2, presence: 'paused' });
    sam = await makeSeat(d, `US${p}`, ['agent'], { name: 'Sam', queues: ['default'] });
    // Three customers, 40, 25 and 10 minutes ago: the oldest first in the list.
    waiting = [];
    for (const [phone, name] of [['15550001001', 'Olga'], ['15550001002', 'Mia'], ['15550001003', 'Nat']] as const) {
      const res = await actions(h).customerWrites(phone, `#refund please (${name})`, { name });
      expect(res.status).toBe(200);
      const conv = await waitFor(async () => {
        const id = await h.app.store.getString(`conv-of:whatsapp:${SECRETS.phoneNumberId}:${phone}`);
        return id ? h.app.desk.conversations.get(id) : undefined;
      });
      waiting.push(conv);
      h.clock.advance(15 * 60_000);
    }
    h.clock.advance(-5 * 60_000);
  });
  afterAll(async () => { await h?.close(); });

  const slash = async (user: string, text: string): Promise<SlackAnswer> => {
    const res = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, slashCommand({ command: '/queue', text, user_id: user, channel_id: 'C0SUPPORT' }));
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as SlackAnswer;
  };

  it('answers /queue refunds privately: the waiting conversations oldest first with how long, a Claim button each, and who is online', async () => {
    const answer = await slash(ann.bindings[0]!.userId, 'refunds');
    expect(answer.response_type).toBe('ephemeral');
    const rows = answer.blocks!.filter((b) => b.accessory?.action_id === 'td:claim');
    expect(rows.map((b) => b.accessory!.value)).toEqual(waiting.map((c) => c.id));
    expect(rows.map((b) => b.text!.text)).toEqual(['Olga · WhatsApp · waiting 40 minutes', 'Mia · WhatsApp · waiting 25 minutes', 'Nat · WhatsApp · waiting 10 minutes']);
    const all = JSON.stringify(answer.blocks);
    expect(all).toContain('Queue refunds (after-sales)');
    expect(all).toContain('Ann: 0/3 chats');
    expect(all).toContain('1 paused · 0 away');
    expect(answer.text).toContain('3 conversations wait, oldest first:');
  });

  it('claims the conversation whose Claim is pressed under the private list, outside its thread: claimer set, header updated', async () => {
    const target = waiting[1]!;
    const header = await waitFor(async () => (await h.app.desk.conversations.get(target.id))?.thread);
    // A button on an ephemeral message: Slack sends the container, not the message.
    const req = blockActions({ user: ann.bindings[0]!.userId, channel: 'C0SUPPORT', message_ts: '1700000000.000100', action_id: 'td:claim', value: target.id });
    const payload = req.payload as Record<string, unknown>;
    delete payload.message;
    payload.container = { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SUPPORT', is_ephemeral: true };
    const res = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, { ...req, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() });
    expect(res.status).toBe(200);
    await waitFor(async () => ((await h.app.desk.conversations.claimer(target.id)) === ann.id ? true : undefined));
    await h.slack.waitFor((s) => {
      const m = s.message(header.channel, header.header);
      return m && JSON.stringify(m.blocks ?? m.text).includes('Ann') ? m : undefined;
    }, 5000);
    // The claim is told in the conversation's own thread, behind the channel's other posts at Slack's
    // 1 post/s (the customers' messages and the first-response pings of conversations waiting 10–40 minutes).
    await h.slack.waitFor((s) => s.messages.find((m) => m.channel === 'C0REFUNDS' && m.thread_ts === header.thread && m.text.includes('Ann')), 15_000);
    // And the list no longer offers it; Ann holds one chat now.
    const after = await slash(ann.bindings[0]!.userId, '');
    expect(after.blocks!.filter((b) => b.accessory?.action_id === 'td:claim').map((b) => b.accessory!.value)).toEqual([waiting[0]!.id, waiting[2]!.id]);
    expect(JSON.stringify(after.blocks)).toContain('Ann: 1/3 chats');
  });

  it('refuses a stranger, a seat without access to the queue, and an unknown queue, each saying why', async () => {
    const stranger = await slash(`UX${p}`, 'refunds');
    expect(stranger.blocks).toBeUndefined();
    expect(stranger.text).toMatch(/seat/i);
    const outside = await slash(sam.bindings[0]!.userId, 'refunds');
    expect(outside.blocks).toBeUndefined();
    expect(outside.text).toContain('after-sales');
    const unknown = await slash(ann.bindings[0]!.userId, 'nope');
    expect(unknown.text).toContain('There is no queue "nope"');
    // Refusals of who asked are in the audit log.
    const denied = await h.app.desk.auditLog.list(50, (e) => e.action === 'command.queue' && e.outcome === 'denied');
    expect(denied.map((e) => e.detail).sort()).toEqual(['not_a_seat', 'outside_department']);
    // Claim from a list keeps every check of a claim: Sam's press on a refunds conversation is refused.
    const press = blockActions({ user: sam.bindings[0]!.userId, channel: 'C0SUPPORT', message_ts: '1700000000.000200', action_id: 'td:claim', value: waiting[0]!.id });
    expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, press)).status).toBe(200);
    await waitFor(async () => ((await h.app.desk.auditLog.list(50, (e) => e.action === 'command.claim' && e.outcome === 'denied' && e.target === waiting[0]!.id)).length ? true : undefined));
    expect(await h.app.desk.conversations.claimer(waiting[0]!.id)).toBeUndefined();
    // Sam may still see his own queue: nothing waits in default.
    const own = await slash(sam.bindings[0]!.userId, '');
    expect(own.text).toContain('Queue default (default)');
    expect(own.text).toContain('Nothing waits.');
  });
});
