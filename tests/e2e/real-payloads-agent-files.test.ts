import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { messageEvent, postToBot } from '../fakes/slack/index.js';

/**
 * An agent's file share in a conversation's Slack thread, as Slack delivers
 * it (`subtype:"file_share"` with `files[]`): refused in the thread with what
 * to do instead, never sent as its text alone, never an empty message, never
 * marked ✓ (issue 9, point 4). Telegram's topic photos: real-payloads-telegram.
 */
const CHANNEL = 'C0SUPPORT';
const REFUSAL = "Files can't be sent to the customer yet; send a link or describe it";

/** A file of a `file_share` event (the fields Slack sends for a hosted upload). */
function slackFile(name: string, id: string): Record<string, unknown> {
  return {
    id, created: 1_777_000_000, timestamp: 1_777_000_000, name, title: name, mimetype: 'image/png', filetype: 'png', pretty_type: 'PNG',
    user: 'U0AGENT', mode: 'hosted', editable: false, is_external: false, external_type: '', size: 20_480,
    url_private: `https://files.slack.com/files-pri/T0001-${id}/${name}`, url_private_download: `https://files.slack.com/files-pri/T0001-${id}/download/${name}`,
    permalink: `https://example.slack.com/files/U0AGENT/${id}/${name}`,
  };
}

describe.each(['embedded', 'redis'] as StoreKind[])('an agent\'s Slack file share on the %s store', (store) => {
  let h: DeskHarness;
  let thread: string;
  const customer = store === 'embedded' ? '4917650000001' : '4917660000001';
  const isMarkedDelivered = (ts: string) => h.slack.reactions.some((r) => r.ts === ts && r.name === 'white_check_mark');
  const notices = () => h.slack.threadReplies(CHANNEL, thread).filter((m) => m.bot_id).map((m) => m.text);

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

  it('refuses a file share with text in the thread, sends nothing to the customer and claims nothing', async () => {
    const sentBefore = h.graph.sent.length;
    const ts = await shareFile('Here is your label', [slackFile('label.png', 'F0LABEL01')]);
    await expect.poll(() => notices().join('\n'), { timeout: 5000 }).toContain(REFUSAL);
    const refusal = notices().find((t) => t.includes(REFUSAL))!;
    expect(refusal).toContain('label.png');
    expect(refusal).toContain('send the text again without the file');
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', CHANNEL, thread))!;
    expect(await h.app.desk.conversations.claimer(conv.id)).toBeUndefined();
    // A plain reply afterwards goes out, so the file share was processed (and sent nothing) before it.
    await actions(h).slackThreadMessage('U0AGENT', thread, 'The label is at https://example.com/label/118');
    await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'The label is at https://example.com/label/118'), 5000);
    expect(h.graph.sent.slice(sentBefore).map((m) => m.text)).toEqual(['The label is at https://example.com/label/118']);
    expect(isMarkedDelivered(ts)).toBe(false);
  });

  it('refuses a file share without text too: never an empty message to the customer, never ✓', async () => {
    const sentBefore = h.graph.sent.length;
    const rejectedBefore = h.graph.rejected.length;
    const refusalsBefore = notices().filter((t) => t.includes(REFUSAL)).length;
    const ts = await shareFile('', [slackFile('photo.jpg', 'F0PHOTO01'), slackFile('scan.pdf', 'F0SCAN001')]);
    await expect.poll(() => notices().filter((t) => t.includes(REFUSAL)).length, { timeout: 5000 }).toBe(refusalsBefore + 1);
    expect(notices().filter((t) => t.includes(REFUSAL)).at(-1)).toContain('photo.jpg, scan.pdf');
    await actions(h).slackThreadMessage('U0AGENT', thread, 'Anything else?');
    await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Anything else?'), 5000);
    expect(h.graph.sent.slice(sentBefore).map((m) => m.text)).toEqual(['Anything else?']);
    expect(h.graph.rejected).toHaveLength(rejectedBefore);
    expect(isMarkedDelivered(ts)).toBe(false);
  });

  it('keeps a file in a note internal, as any note', async () => {
    const sentBefore = h.graph.sent.length;
    const refusalsBefore = notices().filter((t) => t.includes(REFUSAL)).length;
    await shareFile('// screenshot of the courier page', [slackFile('courier.png', 'F0COURIER')]);
    await actions(h).slackThreadMessage('U0AGENT', thread, 'Checking with the courier now');
    await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Checking with the courier now'), 5000);
    expect(h.graph.sent.slice(sentBefore).map((m) => m.text)).toEqual(['Checking with the courier now']);
    expect(notices().filter((t) => t.includes(REFUSAL))).toHaveLength(refusalsBefore);
  });
});
