import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { waitFor } from '../support/wait-until.js';
import { postApiMessage } from '../fakes/api/send-api-message.js';
import { blockActions, postToBot } from '../fakes/slack/index.js';
import { SECRETS } from '../support/start-desk.js';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';

const DAY = 24 * 3600_000;
const THREAD_CHANNEL = 'C0SUPPORT';
/**
 * The channel keeps Slack's 1 post/s spacing here, and one test's posts
 * (header, claim notice, refusals, the customer's texts) can still be queued
 * when the next test begins: a wait covers a few seconds of that backlog.
 */
const WAIT_MS = 15_000;

/**
 * WhatsApp templates end to end (SPEC §13): the real app lists the approved
 * templates from the Graph fake with WHATSAPP_BUSINESS_ACCOUNT_ID, offers them
 * when the 24-hour window closed, checks `!template` against them before
 * anything is sent, and keeps them from a customer who wrote STOP.
 */
describe.each(['embedded', 'redis'] as StoreKind[])('WhatsApp templates on the %s store', (store) => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;
  const botTexts = (thread: string) => h.slack.threadReplies(THREAD_CHANNEL, thread).filter((m) => m.bot_id).map((m) => m.text).join('\n');
  const privately = () => h.slack.ephemerals.filter((e) => e.user === 'U0AGENT').map((e) => e.text).join('\n');
  const templatesSent = () => h.graph.sent.filter((m) => m.type === 'template');

  beforeAll(async () => {
    h = await startDesk({
      store,
      graph: {
        templates: [
          { name: 'order_update', language: 'en', body: 'Your order {{1}} has shipped.' },
          { name: 'welcome_back', language: 'en', body: 'Hi again! Reply to go on.' },
          { name: 'welcome_back', language: 'zh_CN', body: '您好！回复即可继续。' },
          { name: 'draft_offer', language: 'en', body: 'Not approved yet {{1}}', status: 'PENDING' },
        ],
      },
      env: { WHATSAPP_BUSINESS_ACCOUNT_ID: '102290129340398' },
    });
    act = actions(h);
    // The list is read at start; the tests need it.
    await waitFor(() => (h.logs.some((l) => l.includes('WhatsApp message templates listed')) ? true : undefined));
  });
  afterAll(async () => { await h?.close(); });

  /** A conversation claimed by U0AGENT whose window has closed (the desk's clock moved past 24 h). */
  async function closedWindow(customer: string, first: string): Promise<string> {
    await act.customerWrites(customer, first, { name: 'Ana' });
    const header = await act.headerFor(first, WAIT_MS);
    await act.slackThreadMessage('U0AGENT', header.ts, '!claim');
    await h.slack.waitFor((s) => s.threadReplies(THREAD_CHANNEL, header.ts).some((m) => m.bot_id && m.text.includes('claimed')), WAIT_MS);
    h.clock.advance(DAY + 60_000);
    return header.ts;
  }

  it('offers the approved templates when a reply is refused for the closed window', async () => {
    const thread = await closedWindow('491701110001', 'Where is my parcel?');
    await act.slackThreadMessage('U0AGENT', thread, 'It left the warehouse today');
    await expect.poll(() => botTexts(thread), { timeout: WAIT_MS }).toContain('order_update (en, 1); welcome_back (en/zh_CN, 0)');
    expect(botTexts(thread)).not.toContain('draft_offer');
    expect(h.graph.sent.filter((m) => m.to === '491701110001')).toEqual([]);
  });

  it('offers the templates as a picker to the agent whose reply was refused: one without values is sent at once, one with values says the line to type', async () => {
    const thread = await closedWindow('491701110006', 'Is the parcel lost?');
    await act.slackThreadMessage('U0AGENT', thread, 'Let me check');
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', THREAD_CHANNEL, thread))!;
    // Earlier tests' refusals offered pickers too: this conversation's is the one naming it.
    const picker = await h.slack.waitFor((s) => s.ephemerals.find((e) => e.user === 'U0AGENT' && JSON.stringify(e.blocks ?? []).includes(`${conv.id} welcome_back`)), WAIT_MS);
    const select = (picker.blocks as { accessory?: { type: string; action_id: string; options: { text: { text: string }; value: string }[] } }[]).find((b) => b.accessory)!.accessory!;
    expect(select.type).toBe('static_select');
    expect(select.options.map((o) => o.text.text)).toEqual(['order_update (en) · 1 value', 'welcome_back (en) · no values', 'welcome_back (zh_CN) · no values']);
    const pick = async (label: string) => {
      const option = select.options.find((o) => o.text.text === label)!;
      expect(option.value).toBe(`${conv.id} ${label.split(' ')[0]} ${/\((\w+)\)/.exec(label)![1]}`);
      const req = blockActions({ user: 'U0AGENT', channel: THREAD_CHANNEL, message_ts: picker.ts, action_id: 'td:template' });
      // A select on an ephemeral message: Slack sends the container and the option, not the message.
      const payload = req.payload as { message?: unknown; container: unknown; actions: Record<string, unknown>[] };
      delete payload.message;
      payload.container = { type: 'message', message_ts: picker.ts, channel_id: THREAD_CHANNEL, is_ephemeral: true };
      payload.actions = [{ type: 'static_select', action_id: 'td:template', block_id: 'b1', selected_option: option, action_ts: `${Date.now() / 1000}` }];
      expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, { ...req, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() })).status).toBe(200);
    };
    await pick('order_update (en) · 1 value');
    await expect.poll(privately, { timeout: WAIT_MS }).toContain('order_update (en) takes 1 value. Type this in the thread with the value in place of the numbers: `!template order_update en <1>`');
    expect(h.graph.sent.filter((m) => m.to === '491701110006')).toEqual([]);
    await pick('welcome_back (en) · no values');
    const sent = await h.graph.waitFor((g) => g.sent.find((m) => m.to === '491701110006' && m.type === 'template'), WAIT_MS);
    expect(sent.template).toEqual({ name: 'welcome_back', language: { code: 'en' } });
    await expect.poll(() => botTexts(thread), { timeout: WAIT_MS }).toContain('sent the template welcome_back (en)');
  });

  it('sends `!template order_update en 1234` as a template message with that body value', async () => {
    const thread = await closedWindow('491701110002', 'Any news on order 1234?');
    await act.slackThreadMessage('U0AGENT', thread, '!template order_update en 1234');
    const sent = await h.graph.waitFor((g) => g.sent.find((m) => m.to === '491701110002' && m.type === 'template'), WAIT_MS);
    expect(sent.body.template).toEqual({ name: 'order_update', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '1234' }] }] });
    await expect.poll(() => botTexts(thread), { timeout: WAIT_MS }).toContain('sent the template order_update (en)');
  });

  it('refuses a wrong value count, an unknown name and a missing language before sending, saying what to type', async () => {
    const thread = await closedWindow('491701110003', 'Hello again');
    const before = templatesSent().length;
    await act.slackThreadMessage('U0AGENT', thread, '!template order_update en');
    await expect.poll(privately, { timeout: WAIT_MS }).toContain('the template order_update (en) takes 1 value, and none was given. Type `!template order_update en` followed by its value.');
    await act.slackThreadMessage('U0AGENT', thread, '!template order_updat en 1');
    await expect.poll(privately, { timeout: WAIT_MS }).toContain('there is no approved template named order_updat');
    await act.slackThreadMessage('U0AGENT', thread, '!template welcome_back');
    await expect.poll(privately, { timeout: WAIT_MS }).toContain('the template welcome_back exists in en, zh_CN');
    // The Chinese alias, with the language named: this one goes.
    await act.slackThreadMessage('U0AGENT', thread, '!模板 welcome_back zh-CN');
    const sent = await h.graph.waitFor((g) => g.sent.find((m) => m.to === '491701110003' && m.type === 'template'), WAIT_MS);
    expect(sent.template).toEqual({ name: 'welcome_back', language: { code: 'zh_CN' } });
    expect(templatesSent().length).toBe(before + 1);
  });

  it('keeps templates from a customer who wrote STOP (any width or case) until they write again, and shows it on the header', async () => {
    const thread = await closedWindow('491701110004', 'Please stop sending me offers');
    h.clock.advance(-(DAY + 60_000));
    await act.customerWrites('491701110004', ' ｓｔｏｐ ');
    await expect.poll(() => JSON.stringify(h.slack.message(THREAD_CHANNEL, thread)?.blocks ?? ''), { timeout: WAIT_MS }).toContain('#opted-out');
    h.clock.advance(DAY + 60_000);
    await act.slackThreadMessage('U0AGENT', thread, '!template order_update en 77');
    await expect.poll(privately, { timeout: WAIT_MS }).toContain('the customer opted out of templates');
    await act.slackThreadMessage('U0AGENT', thread, 'Sorry to hear that');
    await expect.poll(() => botTexts(thread), { timeout: WAIT_MS }).toContain('The customer opted out of templates (they wrote STOP or 退订)');
    expect(h.graph.sent.filter((m) => m.to === '491701110004')).toEqual([]);
    // Writing again is asking to be answered: the opt-out ends and the header says so.
    await act.customerWrites('491701110004', 'Actually, where is my refund?');
    await expect.poll(() => JSON.stringify(h.slack.message(THREAD_CHANNEL, thread)?.blocks ?? ''), { timeout: WAIT_MS }).not.toContain('#opted-out');
    h.clock.advance(DAY + 60_000);
    await act.slackThreadMessage('U0AGENT', thread, '!template order_update en 77');
    await h.graph.waitFor((g) => g.sent.find((m) => m.to === '491701110004' && m.type === 'template'), WAIT_MS);
  });

  it('refuses a template on a channel that has none, saying where templates exist', async () => {
    await postApiMessage(h.app.url, SECRETS.apiSecret, { source: 'crm', message_id: `tpl-${store}`, customer: { id: 'cust-9' }, text: 'API customer here' });
    const header = await act.headerFor('API customer here', WAIT_MS);
    await act.slackThreadMessage('U0AGENT', header.ts, '!claim');
    await act.slackThreadMessage('U0AGENT', header.ts, '!template order_update en 1');
    await expect.poll(privately, { timeout: WAIT_MS }).toContain('no message templates are known for API. Templates exist on WhatsApp only');
  });

  it('marks the customer opted out when WhatsApp reports 131050 for a template, and says so in the thread', async () => {
    const thread = await closedWindow('491701110005', 'Just checking');
    h.graph.stopMarketing('491701110005');
    await act.slackThreadMessage('U0AGENT', thread, '!template welcome_back en');
    await h.graph.waitFor((g) => g.sent.find((m) => m.to === '491701110005' && m.type === 'template'), WAIT_MS);
    await expect.poll(() => botTexts(thread), { timeout: WAIT_MS }).toContain('WhatsApp said they stopped such messages');
    await expect.poll(() => JSON.stringify(h.slack.message(THREAD_CHANNEL, thread)?.blocks ?? ''), { timeout: WAIT_MS }).toContain('#opted-out');
  });
});
