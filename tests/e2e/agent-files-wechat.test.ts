import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreKind } from '../support/start-desk.js';
import { SECRETS } from '../support/start-desk.js';
import { startWechatDesk, type WechatDesk } from '../support/start-wechat-desk.js';
import { kfMessage } from '../fakes/wecom/index.js';
import { messageEvent, postToBot } from '../fakes/slack/index.js';

/**
 * An agent's image and document to a WeChat customer (issue 16, point 1):
 * the text first (WeChat messages have no caption), then each file streamed
 * into the WeCom fake's `media/upload` and sent by send_msg as image/file
 * with that media_id. A file over WeChat's limit is refused in the thread.
 */
const CUSTOMER = 'wmFilesExternalUser0001';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(8_000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(6_000)]);

describe.each<StoreKind>(['embedded', 'redis'])('an agent\'s files to a WeChat customer on the %s store', (store) => {
  let w: WechatDesk;
  let thread: { channel: string; thread: string };
  const threadTexts = () => w.h.slack.threadReplies(thread.channel, thread.thread).map((m) => m.text ?? '');

  async function share(text: string, files: Record<string, unknown>[]): Promise<void> {
    const ts = w.h.slack.addUserMessage({ channel: thread.channel, user: 'U0AGENT', text, thread_ts: thread.thread }).ts;
    const req = messageEvent({ channel: thread.channel, user: 'U0AGENT', text, thread_ts: thread.thread, ts, subtype: 'file_share', files });
    expect((await postToBot(`${w.h.app.url}/slack/events`, SECRETS.slackSigning, req)).status).toBe(200);
  }

  beforeAll(async () => {
    w = await startWechatDesk({ store });
    w.fake.push(kfMessage.text(w.fake.base(CUSTOMER), 'Please send a photo and the manual'));
    expect((await w.fake.deliverKfCallback()).status).toBe(200);
    thread = await w.threadOf(CUSTOMER);
  });
  afterAll(async () => { await w?.close(); });

  it('sends the text, then the image and the document by their uploaded media_ids', async () => {
    await share('Here you are', [
      w.h.slack.addUserFile({ filename: 'photo.png', bytes: PNG, user: 'U0AGENT', mimetype: 'image/png' }),
      w.h.slack.addUserFile({ filename: 'manual.pdf', bytes: PDF, user: 'U0AGENT', mimetype: 'application/pdf' }),
    ]);
    await expect.poll(() => w.fake.sent.filter((s) => s.touser === CUSTOMER).length, { timeout: 10_000 }).toBe(3);
    const sent = w.fake.sent.filter((s) => s.touser === CUSTOMER);
    expect(sent.map((s) => s.msgtype)).toEqual(['text', 'image', 'file']);
    expect(sent[0]!.content).toBe('Here you are');
    const uploads = w.fake.uploads();
    expect(uploads.map((u) => [u.type, u.filename, u.bytes.length])).toEqual([['image', 'photo.png', PNG.length], ['file', 'manual.pdf', PDF.length]]);
    expect(sent[1]!.mediaId).toBe(uploads[0]!.mediaId);
    expect(sent[2]!.mediaId).toBe(uploads[1]!.mediaId);
  });

  it('refuses a video over WeChat\'s 10 MB in the thread and sends nothing', async () => {
    const before = w.fake.sent.length;
    const big = { ...w.h.slack.addUserFile({ filename: 'demo.mp4', bytes: randomBytes(100), user: 'U0AGENT', mimetype: 'video/mp4' }), size: 12 * 1024 * 1024 };
    await share('', [big]);
    await expect.poll(() => threadTexts().join('\n'), { timeout: 8000 }).toContain('demo.mp4 is 12 MB, over the 10 MB WeChat takes for a video');
    expect(w.fake.sent.length).toBe(before);
  });
});
