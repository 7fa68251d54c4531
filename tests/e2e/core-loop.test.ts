import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';

/**
 * The core loop, end to end: real HTTP server, real bolt app, real outbox and
 * store, against local fakes of Slack and the Graph API. Run on the embedded
 * store and on Redis.
 */
describe.each<StoreKind>(['embedded', 'redis'])('core loop on the %s store', (store) => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;
  beforeAll(async () => {
    h = await startDesk({ store, slack: { users: { U0AGENT: { name: 'alex', real_name: 'Alex' }, U0OTHER: { name: 'sam', real_name: 'Sam' } } } });
    act = actions(h);
  });
  afterAll(async () => { await h?.close(); });

  it('mirrors a signed WhatsApp message as a header card and a post in its thread', async () => {
    const res = await act.customerWrites('491701234567', 'Hello, my order #118 never arrived', { name: 'Ana' });
    expect(res.status).toBe(200);
    const header = await act.headerFor('my order #118 never arrived');
    expect(header.channel).toBe('C0SUPPORT');
    expect(JSON.stringify(header.blocks)).toContain('Ana');
    expect(JSON.stringify(header.blocks)).toContain('td:claim');
    const replies = h.slack.threadReplies('C0SUPPORT', header.ts);
    expect(replies.map((r) => r.text)).toEqual(['Hello, my order #118 never arrived']);
  });

  it('sends a seat\'s thread reply to the customer, marks it ✓, and claims for the first replier', async () => {
    const header = await act.headerFor('my order #118');
    const reply = await act.slackThreadMessage('U0AGENT', header.ts, 'Sorry Ana, I am checking it right now');
    expect(reply.status).toBe(200);
    const sent = await h.graph.waitFor((g) => g.sent.find((s) => s.text === 'Sorry Ana, I am checking it right now'), 5000);
    expect(sent.to).toBe('491701234567');
    await h.slack.waitFor((s) => s.reactions.find((r) => r.ts === reply.payload.event.ts && r.name === 'white_check_mark'), 5000);
    // The header now shows the claim.
    await h.slack.waitFor((s) => JSON.stringify(s.message('C0SUPPORT', header.ts)?.blocks).includes('Claimed by'), 5000);
  });

  it('keeps notes and commands internal', async () => {
    const header = await act.headerFor('my order #118');
    const before = h.graph.sent.length;
    await act.slackThreadMessage('U0AGENT', header.ts, '// customer sounds upset, be gentle');
    await act.slackThreadMessage('U0AGENT', header.ts, 'note: refund approved by finance');
    await act.slackThreadMessage('U0AGENT', header.ts, '!claim');
    // Something that is sent afterwards shows the outbox moved past the notes.
    await act.slackThreadMessage('U0AGENT', header.ts, 'A refund is on its way.');
    await h.graph.waitFor((g) => g.sent.find((s) => s.text === 'A refund is on its way.'), 5000);
    expect(h.graph.sent.slice(before).map((s) => s.text)).toEqual(['A refund is on its way.']);
    // `!claim` by the holder is answered privately, not sent.
    await h.slack.waitFor((s) => s.ephemerals.find((e) => e.user === 'U0AGENT' && e.text.includes('already have this conversation')), 5000);
  });

  it('keeps a non-claimer\'s message internal and tells them privately how to claim', async () => {
    const header = await act.headerFor('my order #118');
    const before = h.graph.sent.length;
    await act.slackThreadMessage('U0OTHER', header.ts, 'I can take this one');
    await h.slack.waitFor((s) => s.ephemerals.find((e) => e.user === 'U0OTHER' && e.text.includes('not a seat')), 5000);
    expect(h.graph.sent.length).toBe(before);
  });

  it('ignores the bot\'s own messages and other bots (no echo loop)', async () => {
    const header = await act.headerFor('my order #118');
    const sentBefore = h.graph.sent.length;
    const postsBefore = h.slack.callsTo('chat.postMessage').length;
    await act.slackThreadMessage('U0BOT', header.ts, 'Hello, my order #118 never arrived', { botId: 'B0BOT' });
    await act.slackThreadMessage(undefined, header.ts, 'deploy finished', { botId: 'B0OTHERBOT' });
    // A later reply goes out, so the two above were processed (and dropped) before it.
    await act.slackThreadMessage('U0AGENT', header.ts, 'Anything else I can do?');
    await h.graph.waitFor((g) => g.sent.find((s) => s.text === 'Anything else I can do?'), 5000);
    expect(h.graph.sent.slice(sentBefore).map((s) => s.text)).toEqual(['Anything else I can do?']);
    expect(h.slack.callsTo('chat.postMessage').length).toBe(postsBefore);
  });

  it('processes a retried Slack event and a repeated wamid once', async () => {
    const header = await act.headerFor('my order #118');
    const first = await act.slackThreadMessage('U0AGENT', header.ts, 'Only once please', { eventId: 'EvRETRY0001' });
    const again = await act.slackThreadMessage('U0AGENT', header.ts, 'Only once please', { eventId: 'EvRETRY0001', retryNum: 1, ts: first.payload.event.ts });
    expect([first.status, again.status]).toEqual([200, 200]);
    const wamid = 'wamid.HBgMNDkxNzAxMjM0NTY3FQIAEhggREPEAT';
    const a = await act.customerWrites('491701234567', 'Are you there?', { id: wamid });
    const b = await act.customerWrites('491701234567', 'Are you there?', { id: wamid });
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.graph.waitFor((g) => g.sent.find((s) => s.text === 'Only once please'), 5000);
    await h.slack.waitFor((s) => s.threadReplies('C0SUPPORT', header.ts).find((m) => m.text.includes('Are you there?')), 5000);
    // Let anything duplicated surface before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.graph.sent.filter((s) => s.text === 'Only once please')).toHaveLength(1);
    expect(h.slack.threadReplies('C0SUPPORT', header.ts).filter((m) => m.text.includes('Are you there?'))).toHaveLength(1);
  });

  it('refuses bad signatures with 401 and no effect', async () => {
    const header = await act.headerFor('my order #118');
    const postsBefore = h.slack.calls.length;
    const sentBefore = h.graph.sent.length;
    const wa = await act.customerWrites('491700000001', 'forged', { signature: 'sha256=' + '0'.repeat(64) });
    const waMissing = await act.customerWrites('491700000002', 'unsigned', { signature: null });
    const sl = await act.slackThreadMessage('U0AGENT', header.ts, 'forged reply', { signature: 'v0=' + 'f'.repeat(64) });
    expect([wa.status, waMissing.status, sl.status]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.slack.calls.length).toBe(postsBefore);
    expect(h.graph.sent.length).toBe(sentBefore);
  });

  it('refuses a reply after 24 hours with a message in the thread, and sends nothing', async () => {
    await act.customerWrites('491709999999', 'Late question about my invoice', { name: 'Bo' });
    const header = await act.headerFor('Late question about my invoice');
    h.clock.advance(24 * 3600_000 + 60_000);
    try {
      const sentBefore = h.graph.sent.length;
      await act.slackThreadMessage('U0AGENT', header.ts, 'Here is your invoice');
      await h.slack.waitFor((s) => s.threadReplies('C0SUPPORT', header.ts).find((m) => m.text.includes('24 hours')), 5000);
      expect(h.graph.sent.length).toBe(sentBefore);
    } finally {
      h.clock.advance(-(24 * 3600_000 + 60_000));
    }
  });
});
