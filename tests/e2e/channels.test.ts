import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, SECRETS, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { postApiMessage } from '../fakes/api/send-api-message.js';
import { mediaMessageWebhook, postWebhook, statusWebhook } from '../fakes/whatsapp/webhooks.js';

/** The generic API channel, WhatsApp media and failure statuses, and the header buttons. */
describe('customer channels and header buttons', () => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;
  beforeAll(async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false } });
    act = actions(h);
  });
  afterAll(async () => { await h?.close(); });

  it('takes a signed API message into a thread and returns the agent\'s reply by a signed callback', async () => {
    const body = { source: 'crm', message_id: 'crm-1', customer: { id: 'cust-42', name: 'Dana' }, text: 'Where is my parcel?' };
    const res = await postApiMessage(h.app.url, SECRETS.apiSecret, body);
    expect(res.status).toBe(202);
    const again = await postApiMessage(h.app.url, SECRETS.apiSecret, body);
    expect(again.status).toBe(200);
    const header = await act.headerFor('Where is my parcel?');
    expect(JSON.stringify(header.blocks)).toContain('API (crm)');
    expect(h.slack.threadReplies('C0SUPPORT', header.ts).filter((m) => m.text === 'Where is my parcel?')).toHaveLength(1);

    await act.slackThreadMessage('U0AGENT', header.ts, 'It left the warehouse today, <https://track.example/1|track it here>');
    const cb = await h.callbacks.waitFor((c) => c.received.find((r) => r.body && (r.body as { text?: string }).text?.startsWith('It left')), 5000);
    expect(cb.signatureValid).toBe(true);
    expect(cb.body).toMatchObject({ type: 'agent_reply', source: 'crm', customer_id: 'cust-42', text: 'It left the warehouse today, track it here (https://track.example/1)' });
  });

  it('retries an API callback that answers 503 and delivers it once', async () => {
    const body = { source: 'crm', message_id: 'crm-2', customer: { id: 'cust-43' }, text: 'Second customer here' };
    expect((await postApiMessage(h.app.url, SECRETS.apiSecret, body)).status).toBe(202);
    const header = await act.headerFor('Second customer here');
    h.callbacks.failNext(1, { status: 503 });
    await act.slackThreadMessage('U0AGENT', header.ts, 'Retry me');
    await h.callbacks.waitFor((c) => c.received.filter((r) => (r.body as { text?: string })?.text === 'Retry me' && r.responseStatus === 200).length === 1, 8000);
    expect(h.callbacks.received.filter((r) => (r.body as { text?: string })?.text === 'Retry me').map((r) => r.responseStatus)).toEqual([503, 200]);
  });

  it('uploads a customer\'s WhatsApp image into the thread', async () => {
    const bytes = Buffer.from('\x89PNG fake image bytes');
    h.graph.addMedia('media-777', bytes, 'image/png');
    h.graph.customerWrote('491700007777');
    const body = mediaMessageWebhook({ phoneNumberId: SECRETS.phoneNumberId }, { from: '491700007777', name: 'Ira', type: 'image', media: { id: 'media-777', mime_type: 'image/png', sha256: 'x', caption: 'the broken part' } });
    expect((await postWebhook(h.app.url, SECRETS.waAppSecret, body)).status).toBe(200);
    const post = await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.files?.length), 8000);
    expect(post.channel).toBe('C0SUPPORT');
    expect(post.text).toContain('the broken part');
    const header = h.slack.message('C0SUPPORT', post.thread_ts!);
    expect(JSON.stringify(header?.blocks)).toContain('Ira');
    expect(h.slack.files).toHaveLength(1);
  });

  it('says in the thread when WhatsApp reports a reply failed because the 24-hour window closed', async () => {
    await act.customerWrites('491700008888', 'Window test', { name: 'Wen' });
    const header = await act.headerFor('Window test');
    // The platform, not the desk, decides here: the fake closes this customer's window.
    h.graph.windowOpen('491700008888', false);
    await act.slackThreadMessage('U0AGENT', header.ts, 'Too late?');
    await h.graph.waitFor((g) => g.sent.find((s) => s.text === 'Too late?'), 5000);
    await h.slack.waitFor((s) => s.threadReplies('C0SUPPORT', header.ts).find((m) => m.text.includes('24 hours')), 8000);
  });

  it("marks the agent's message read in the thread when WhatsApp reports it read, once however often it is reported", async () => {
    await act.customerWrites('491700006666', 'Did you read this?', { name: 'Rea' });
    const header = await act.headerFor('Did you read this?');
    const reply = await act.slackThreadMessage('U0AGENT', header.ts, 'Yes, on it');
    const sent = await h.graph.waitFor((g) => g.sent.find((s) => s.text === 'Yes, on it'), 5000);
    await h.slack.waitFor((st) => st.reactions.some((r) => r.ts === reply.payload.event.ts && r.name === 'white_check_mark'), 8000);
    const eyes = () => h.slack.reactions.filter((r) => r.ts === reply.payload.event.ts && r.name === 'eyes');
    expect(eyes()).toHaveLength(0);
    const posts = h.slack.threadReplies('C0SUPPORT', header.ts).length;
    const read = statusWebhook({ phoneNumberId: SECRETS.phoneNumberId }, [{ id: sent.wamid, status: 'read', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '491700006666' }]);
    for (let i = 0; i < 3; i++) expect((await postWebhook(h.app.url, SECRETS.waAppSecret, read)).status).toBe(200);
    await h.slack.waitFor(() => eyes().length > 0, 8000);
    await new Promise((r) => setTimeout(r, 500));
    expect(eyes()).toHaveLength(1);
    // A mark, not a post.
    expect(h.slack.threadReplies('C0SUPPORT', header.ts)).toHaveLength(posts);
  });

  it('records delivery statuses reported by WhatsApp', async () => {
    const body = statusWebhook({ phoneNumberId: SECRETS.phoneNumberId }, [{ id: 'wamid.unknown', status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '491700000000' }]);
    expect((await postWebhook(h.app.url, SECRETS.waAppSecret, body)).status).toBe(200);
    expect(await h.app.store.get<{ status: string }>('msg-status:whatsapp:wamid.unknown')).toMatchObject({ status: 'delivered' });
  });

  it('claims, releases, closes and reopens from the header buttons, editing the header each time', async () => {
    await act.customerWrites('491700009999', 'Buttons please', { name: 'Bea' });
    const header = await act.headerFor('Buttons please');
    const convId = (await h.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!.id;
    const headerText = () => JSON.stringify(h.slack.message('C0SUPPORT', header.ts)?.blocks);
    for (const [action, expected] of [['claim', 'Claimed by'], ['release', 'Waiting for an agent'], ['close', 'Closed'], ['reopen', 'Waiting for an agent']] as const) {
      expect((await act.pressButton('U0AGENT', header.ts, action, convId)).status).toBe(200);
      await h.slack.waitFor(() => headerText().includes(expected), 8000);
    }
    const notices = h.slack.threadReplies('C0SUPPORT', header.ts).map((m) => m.text);
    expect(notices.some((t) => t.includes('claimed this conversation'))).toBe(true);
    expect(notices.some((t) => t.includes('closed this conversation'))).toBe(true);
  });
});
