import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { messageChanged, messageDeleted, postToBot } from '../fakes/slack/index.js';
import { openWidgetSocket, type DeskFrame } from '../support/webchat-client.js';
import { deleteRedisKeys } from '../store/store-harnesses.js';

const SITE = 'http://shop.test:8080';
const CHANNEL = 'C0SUPPORT';
const changes = (frames: DeskFrame[]) => frames.filter((f) => f.type === 'message' && f.changes !== undefined);

/**
 * An agent's edit and delete of a reply a web chat visitor got (SPEC §13):
 * a history line naming the reply's id, on the open socket and again, once,
 * to a socket that resumes from the start; Slack's retries add nothing.
 */
describe.each<StoreKind>(['embedded', 'redis'])('web chat reply changes on the %s store', (store) => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;
  const events = () => `${h.app.url}/slack/events`;
  beforeAll(async () => {
    h = await startDesk({ store, slack: { postRate: false }, env: { WEBCHAT_ORIGINS: SITE } });
    act = actions(h);
  });
  afterAll(async () => {
    await h?.close();
    if (h && store === 'redis') await deleteRedisKeys(h.prefix);
  });

  it('carries an edit, then a delete, of a delivered reply to the visitor once each, and a resumed socket shows them once', async () => {
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello', queue: 'default' });
    const token = String((await w.waitFor((f) => f.find((x) => x.type === 'ready'))).token);
    w.send({ type: 'send', clientId: 'q1', text: `Where is my parcel ${store}?` });
    const header = await act.headerFor(`Where is my parcel ${store}?`);
    const sent = await act.slackThreadMessage('U0AGENT', header.ts, 'It left on Monday');
    const ts = sent.payload.event.ts;
    const reply = await w.waitFor((f) => f.find((x) => x.type === 'message' && x.text === 'It left on Monday'), 8000);
    await h.slack.waitFor((s) => s.reactions.some((r) => r.ts === ts && r.name === 'white_check_mark'), 8000);

    const { message, previousText } = h.slack.userEditsMessage(CHANNEL, ts, 'It left on Tuesday');
    const edit = messageChanged(message, previousText, { eventId: `EvWEBEDIT${store}` });
    expect((await postToBot(events(), SECRETS.slackSigning, edit)).status).toBe(200);
    const edited = await w.waitFor((f) => changes(f)[0], 8000);
    expect(edited).toMatchObject({ author: 'agent', text: 'It left on Tuesday', changes: reply.id });
    expect(edited.deleted).toBeUndefined();
    await postToBot(events(), SECRETS.slackSigning, edit, { retryNum: 1, retryReason: 'http_timeout' });

    const gone = h.slack.userDeletesMessage(CHANNEL, ts);
    await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone));
    const deleted = await w.waitFor((f) => changes(f)[1], 8000);
    expect(deleted).toMatchObject({ changes: reply.id, deleted: true, text: '' });
    await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone));
    await new Promise((r) => setTimeout(r, 400));
    expect(changes(w.frames)).toHaveLength(2);
    await w.close();

    // A reload: the whole history once, the two changes after the reply they name.
    const again = await openWidgetSocket(h.app.url, SITE);
    again.send({ type: 'hello', queue: 'default', token, lastSeen: 0 });
    await again.waitFor((f) => (changes(f).length === 2 ? true : undefined), 8000);
    await new Promise((r) => setTimeout(r, 300));
    const shown = again.frames.filter((f) => f.type === 'message');
    expect(shown.map((f) => [f.text, f.changes ?? null])).toEqual([
      [`Where is my parcel ${store}?`, null], ['It left on Monday', null], ['It left on Tuesday', reply.id], ['', reply.id],
    ]);
    expect(h.slack.threadReplies(CHANNEL, header.ts).map((m) => m.text).join('\n')).not.toContain('still sees the original');
    await again.close();
  });
});
