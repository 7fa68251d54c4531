import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, type StoreKind } from '../support/start-desk.js';
import { startWechatDesk, type WechatDesk } from '../support/start-wechat-desk.js';
import { kfMessage, startWecomFake } from '../fakes/wecom/index.js';
import { messageChanged, messageDeleted, postToBot } from '../fakes/slack/index.js';

const CUSTOMER = 'wmRecallExternalUser0001';

/**
 * An agent's delete of a reply to a WeChat customer (SPEC §13): within 2
 * minutes of sending it is recalled at the WeCom fake (kf/recall_msg with the
 * msgid send_msg returned), once however often Slack repeats the event;
 * later, or an edit, is answered in the thread and nothing is recalled.
 */
describe.each<StoreKind>(['embedded', 'redis'])('WeChat recall of a reply on the %s store', (store) => {
  let w: WechatDesk;
  let thread: { channel: string; thread: string };
  const events = () => `${w.h.app.url}/slack/events`;
  const threadTexts = () => w.h.slack.threadReplies(thread.channel, thread.thread).map((m) => m.text ?? '').join('\n');
  const sent = (content: string) => w.fake.sent.find((m) => m.touser === CUSTOMER && m.content === content);
  const recallCalls = () => w.fake.sent.filter((m) => m.recalled).length;

  beforeAll(async () => {
    // The fake reads the desk's clock, so moving it past the 2 minutes moves both.
    const fake = await startWecomFake({ now: () => (w ? w.h.clock.now() : Date.now()) });
    w = await startWechatDesk({ store, fake });
    w.fake.push(kfMessage.text(w.fake.base(CUSTOMER), 'How much is the red bag?'));
    expect((await w.fake.deliverKfCallback()).status).toBe(200);
    thread = await w.threadOf(CUSTOMER);
  });
  afterAll(async () => { await w?.close(); });

  async function deliveredReply(text: string): Promise<string> {
    const res = await actions(w.h).slackThreadMessage('U0AGENT', thread.thread, text);
    const ts = res.payload.event.ts;
    await w.h.slack.waitFor((s) => s.reactions.some((r) => r.ts === ts && r.name === 'white_check_mark'), 8000);
    expect(sent(text)).toBeDefined();
    return ts;
  }

  it('recalls a reply deleted within 2 minutes, once', async () => {
    const ts = await deliveredReply('It is 20 euros');
    const gone = w.h.slack.userDeletesMessage(thread.channel, ts);
    expect((await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone))).status).toBe(200);
    await expect.poll(() => sent('It is 20 euros')?.recalled, { timeout: 8000 }).toBe(true);
    await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone));
    await new Promise((r) => setTimeout(r, 400));
    expect(recallCalls()).toBe(1);
    expect(w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/recall_msg')).toHaveLength(1);
    expect(threadTexts()).not.toContain('still sees');
  });

  it('answers an edit in the thread: WeChat cannot change a sent message, and nothing is recalled', async () => {
    const ts = await deliveredReply('It is 25 euros');
    const { message, previousText } = w.h.slack.userEditsMessage(thread.channel, ts, 'It is 30 euros');
    await postToBot(events(), SECRETS.slackSigning, messageChanged(message, previousText));
    await expect.poll(threadTexts, { timeout: 8000 }).toContain('✏️ You edited a reply, but WeChat cannot change a sent message (it lets one be recalled only within 2 minutes of sending); the customer still sees it. Send the correction as a new reply.');
    expect(sent('It is 25 euros')?.recalled).toBeUndefined();
  });

  it('answers a delete later than 2 minutes in the thread and recalls nothing', async () => {
    const ts = await deliveredReply('It is 35 euros');
    w.h.clock.advance(2 * 60_000 + 1000);
    const gone = w.h.slack.userDeletesMessage(thread.channel, ts);
    await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone));
    await expect.poll(threadTexts, { timeout: 8000 }).toContain('🗑️ You deleted a reply, but WeChat lets a message be recalled only within 2 minutes of sending; the customer still sees it.');
    expect(sent('It is 35 euros')?.recalled).toBeUndefined();
    expect(w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/recall_msg')).toHaveLength(1);
  });
});
