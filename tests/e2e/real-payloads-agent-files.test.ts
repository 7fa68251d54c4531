import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { messageEvent, postToBot } from '../fakes/slack/index.js';

/**
 * An agent's file share in a conversation's Slack thread, as Slack delivers
 * it (`subtype:"file_share"` with `files[]`), reaches the WhatsApp customer:
 * the file is fetched from Slack with the bot token, streamed into Graph's
 * media upload, and sent as an image/document message with the text as its
 * caption (issue 16, point 1). A file WhatsApp does not take (its type, or
 * over its size) is refused in the thread with the limit, before anything is
 * queued: nothing sent, nothing claimed, never ✓.
 */
const CHANNEL = 'C0SUPPORT';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(20_000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(30_000)]);

describe.each(['embedded', 'redis'] as StoreKind[])('an agent\'s Slack file share on the %s store', (store) => {
  let h: DeskHarness;
  let thread: string;
  const customer = store === 'embedded' ? '4917650000001' : '4917660000001';
  const isMarkedDelivered = (ts: string) => h.slack.reactions.some((r) => r.ts === ts && r.name === 'white_check_mark');
  const notices = () => h.slack.threadReplies(CHANNEL, thread).filter((m) => m.bot_id).map((m) => m.text ?? '');

  /** A file a person shared, as Slack puts it on the event (hosted by the fake, behind the bot token). */
  function slackFile(filename: string, bytes: Buffer, mimetype: string, size = bytes.length): Record<string, unknown> {
    const f = h.slack.addUserFile({ filename, bytes, user: 'U0AGENT', mimetype });
    return { ...f, created: 1_777_000_000, timestamp: 1_777_000_000, pretty_type: mimetype, mode: 'hosted', editable: false, is_external: false, external_type: '', size };
  }

  async function shareFile(text: string, files: Record<string, unknown>[]): Promise<string> {
    const ts = h.slack.addUserMessage({ channel: CHANNEL, user: 'U0AGENT', text, thread_ts: thread }).ts;
    const req = messageEvent({ channel: CHANNEL, user: 'U0AGENT', text, thread_ts: thread, ts, subtype: 'file_share', files, extra: { upload: false, display_as_bot: false } });
    expect((await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, req)).status).toBe(200);
    return ts;
  }

  beforeAll(async () => {
    h = await startDesk({ store, slack: { users: { U0AGENT: { name: 'alex', real_name: 'Alex' } } } });
    await actions(h).customerWrites(customer, 'Can you send me the return label?', { name: 'Mira' });
    const post = await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.bot_id && m.text === 'Can you send me the return label?'), 5000);
    thread = post.thread_ts!;
  });
  afterAll(async () => { await h?.close(); });

  it('refuses a file over WhatsApp\'s image limit with the limit named, sends nothing and claims nothing', async () => {
    const sentBefore = h.graph.sent.length;
    const ts = await shareFile('Here is the big scan', [slackFile('scan.png', PNG, 'image/png', 7 * 1024 * 1024)]);
    await expect.poll(() => notices().join('\n'), { timeout: 5000 }).toContain('scan.png is 7 MB, over the 5 MB WhatsApp takes for an image');
    expect(notices().find((t) => t.includes('scan.png is 7 MB'))).toContain('Its text did not go either');
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', CHANNEL, thread))!;
    expect(await h.app.desk.conversations.claimer(conv.id)).toBeUndefined();
    await actions(h).slackThreadMessage('U0AGENT', thread, 'The label is on its way');
    await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'The label is on its way'), 5000);
    expect(h.graph.sent.slice(sentBefore).map((m) => m.text)).toEqual(['The label is on its way']);
    expect(h.graph.uploads).toHaveLength(0);
    expect(isMarkedDelivered(ts)).toBe(false);
  });

  it('refuses a type WhatsApp does not take, naming what it takes', async () => {
    const sentBefore = h.graph.sent.length;
    await shareFile('', [slackFile('clip.mov', randomBytes(2000), 'video/quicktime')]);
    await expect.poll(() => notices().join('\n'), { timeout: 5000 }).toContain('WhatsApp does not take video/quicktime files like clip.mov');
    expect(notices().find((t) => t.includes('clip.mov'))).toContain('video/mp4, video/3gpp (16 MB)');
    expect(h.graph.sent.length).toBe(sentBefore);
    expect(h.graph.uploads).toHaveLength(0);
  });

  it('sends an image with its caption: uploaded to Graph, then an image message with that media id, marked ✓', async () => {
    const ts = await shareFile('Here is your label', [slackFile('label.png', PNG, 'image/png')]);
    const msg = await h.graph.waitFor((g) => g.sent.find((m) => m.type === 'image'), 10_000);
    const upload = h.graph.uploads.at(-1)!;
    expect(upload.mimeType).toBe('image/png');
    expect(upload.fileName).toBe('label.png');
    expect(upload.bytes.equals(PNG)).toBe(true);
    // Slack's download said its length, so the upload said its own (no chunked transfer).
    expect(upload.chunked).toBe(false);
    expect(msg.to).toBe(customer);
    expect(msg.body.image).toEqual({ id: upload.id, caption: 'Here is your label' });
    await expect.poll(() => isMarkedDelivered(ts), { timeout: 5000 }).toBe(true);
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', CHANNEL, thread))!;
    expect(await h.app.desk.conversations.claimer(conv.id)).toBeDefined();
  });

  it('sends a document with its file name, and a text before it when the text is too long for a caption', async () => {
    const long = `Terms of the return: ${'please read. '.repeat(90)}`.trim();
    const sentBefore = h.graph.sent.length;
    await shareFile(long, [slackFile('terms.pdf', PDF, 'application/pdf')]);
    const doc = await h.graph.waitFor((g) => g.sent.slice(sentBefore).find((m) => m.type === 'document'), 10_000);
    const upload = h.graph.uploads.at(-1)!;
    expect(upload.bytes.equals(PDF)).toBe(true);
    expect(doc.body.document).toEqual({ id: upload.id, filename: 'terms.pdf' });
    expect(h.graph.sent.slice(sentBefore).map((m) => m.type)).toEqual(['text', 'document']);
    expect(h.graph.sent[sentBefore]!.text).toBe(long);
  });

  it('says in the thread when Slack does not give the file, with what to check, and sends nothing of that reply', async () => {
    const sentBefore = h.graph.sent.length;
    const gone = { ...slackFile('gone.png', PNG, 'image/png') };
    // A file Slack does not give (deleted before the reply went out; or, without files:read, a redirect to the sign-in page).
    gone.url_private_download = String(gone.url_private_download).replace('/files-pri/', '/files-pri-nope/');
    const ts = await shareFile('The receipt', [gone]);
    await expect.poll(() => notices().join('\n'), { timeout: 10_000 }).toContain('gone.png could not be fetched from the thread');
    expect(notices().find((t) => t.includes('gone.png could not'))).toContain('files:read');
    expect(h.graph.sent.length).toBe(sentBefore);
    expect(isMarkedDelivered(ts)).toBe(false);
  });

  it('keeps a file in a note internal, as any note', async () => {
    const sentBefore = h.graph.sent.length;
    const uploadsBefore = h.graph.uploads.length;
    await shareFile('// screenshot of the courier page', [slackFile('courier.png', PNG, 'image/png')]);
    await actions(h).slackThreadMessage('U0AGENT', thread, 'Checking with the courier now');
    await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Checking with the courier now'), 5000);
    expect(h.graph.sent.slice(sentBefore).map((m) => m.text)).toEqual(['Checking with the courier now']);
    expect(h.graph.uploads).toHaveLength(uploadsBefore);
  });
});
