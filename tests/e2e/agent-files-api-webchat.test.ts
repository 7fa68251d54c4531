import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { messageEvent, postToBot } from '../fakes/slack/index.js';
import { postApiMessage } from '../fakes/api/send-api-message.js';
import { openWidgetSocket } from '../support/webchat-client.js';
import { deleteRedisKeys } from '../store/store-harnesses.js';

/**
 * An agent's file to a customer of the HTTP API: the signed callback carries
 * `files[]`, each with a sealed link on the bot's own origin that the
 * receiver can GET for an hour; the bot streams the file from Slack then.
 * A changed link and an expired one answer 403. A web chat visitor gets the
 * files in their history, kept as their own uploads are: an image shown
 * inline, other files as a download (issue 16, point 1).
 */
const CHANNEL = 'C0SUPPORT';
const SITE = 'http://shop.test:8080';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(5_000)]);
const ZIP = Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(40_000)]);

interface CallbackFile { name: string; mime_type: string; size?: number; url: string; expires_at: string }

describe.each(['embedded', 'redis'] as StoreKind[])('an agent\'s file to an API customer on the %s store', (store) => {
  let h: DeskHarness;
  let thread: string;
  let file: CallbackFile;
  const absolute = (url: string) => new URL(url, h.app.url).toString();

  beforeAll(async () => {
    h = await startDesk({ store, slack: { users: { U0AGENT: { name: 'alex', real_name: 'Alex' } } }, env: { WEBCHAT_ORIGINS: SITE } });
    const body = { source: 'crm', message_id: `crm-files-${store}`, customer: { id: 'cust-files' }, text: 'Please send the invoice archive' };
    expect((await postApiMessage(h.app.url, SECRETS.apiSecret, body)).status).toBe(202);
    thread = (await actions(h).headerFor('Please send the invoice archive')).ts;
    const shared = h.slack.addUserFile({ filename: 'invoices.zip', bytes: ZIP, user: 'U0AGENT', mimetype: 'application/zip' });
    const ts = h.slack.addUserMessage({ channel: CHANNEL, user: 'U0AGENT', text: 'All of 2026', thread_ts: thread }).ts;
    const req = messageEvent({ channel: CHANNEL, user: 'U0AGENT', text: 'All of 2026', thread_ts: thread, ts, subtype: 'file_share', files: [shared] });
    expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, req)).status).toBe(200);
    const cb = await h.callbacks.waitFor((c) => c.received.find((r) => (r.body as { files?: unknown[] })?.files), 10_000);
    expect(cb.signatureValid).toBe(true);
    expect(cb.body).toMatchObject({ type: 'agent_reply', text: 'All of 2026', customer_id: 'cust-files' });
    file = (cb.body as { files: CallbackFile[] }).files[0]!;
  });
  afterAll(async () => {
    await h?.close();
    if (h && store === 'redis') await deleteRedisKeys(h.prefix);
  });

  it('gives the file\'s name, type, size and a link that expires in an hour', () => {
    expect(file).toMatchObject({ name: 'invoices.zip', mime_type: 'application/zip', size: ZIP.length });
    expect(new URL(absolute(file.url)).pathname).toBe('/api/files');
    const left = Date.parse(file.expires_at) - h.clock.now();
    expect(left).toBeGreaterThan(59 * 60_000);
    expect(left).toBeLessThanOrEqual(60 * 60_000);
  });

  it('serves the file through the link, streamed from Slack, as a download', async () => {
    const res = await fetch(absolute(file.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''invoices.zip");
    expect(Buffer.from(await res.arrayBuffer()).equals(ZIP)).toBe(true);
  });

  it('answers 403 to a changed link and to one past its hour', async () => {
    const url = new URL(absolute(file.url));
    const token = url.searchParams.get('t')!;
    const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    url.searchParams.set('t', flipped);
    const forged = await fetch(url);
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ error: 'bad_link' });
    h.clock.advance(61 * 60_000);
    try {
      const expired = await fetch(absolute(file.url));
      expect(expired.status).toBe(403);
      expect(await expired.json()).toMatchObject({ error: 'link_expired' });
    } finally {
      h.clock.advance(-61 * 60_000);
    }
  });

  it('gives a web chat visitor the image inline and the archive as a download, in their history', async () => {
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello', queue: 'default', lastSeen: 0 });
    await w.waitFor((f) => f.find((x) => x.type === 'ready'));
    w.send({ type: 'send', clientId: 'f1', text: `Can I see the product? ${store}` });
    const header = await actions(h).headerFor(`Can I see the product? ${store}`);
    const files = [
      h.slack.addUserFile({ filename: 'front.png', bytes: PNG, user: 'U0AGENT', mimetype: 'image/png' }),
      h.slack.addUserFile({ filename: 'specs.zip', bytes: ZIP, user: 'U0AGENT', mimetype: 'application/zip' }),
    ];
    const ts = h.slack.addUserMessage({ channel: CHANNEL, user: 'U0AGENT', text: 'Front view and the specs', thread_ts: header.ts }).ts;
    const req = messageEvent({ channel: CHANNEL, user: 'U0AGENT', text: 'Front view and the specs', thread_ts: header.ts, ts, subtype: 'file_share', files });
    expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, req)).status).toBe(200);
    const line = await w.waitFor((f) => f.find((x) => x.type === 'message' && x.author === 'agent'), 10_000);
    expect(line.text).toBe('Front view and the specs');
    const kept = line.files as { id: string; name: string; mime: string; size: number }[];
    expect(kept.map((f) => [f.name, f.mime, f.size])).toEqual([['front.png', 'image/png', PNG.length], ['specs.zip', 'application/zip', ZIP.length]]);
    const image = await fetch(`${h.app.url}/chat/file?id=${kept[0]!.id}`);
    expect(image.headers.get('content-disposition')).toMatch(/^inline/);
    expect(Buffer.from(await image.arrayBuffer()).equals(PNG)).toBe(true);
    const archive = await fetch(`${h.app.url}/chat/file?id=${kept[1]!.id}`);
    expect(archive.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await archive.arrayBuffer()).equals(ZIP)).toBe(true);
    await w.close();
  });
});
