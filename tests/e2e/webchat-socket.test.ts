import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUserId } from '../../src/channels/webchat/identity.js';
import { actions } from '../support/actions.js';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { openWidgetSocket, texts } from '../support/webchat-client.js';
import { deleteRedisKeys } from '../store/store-harnesses.js';

const SITE = 'http://shop.test:8080';
const IDENTITY_SECRET = 'webchat-identity-secret-0123';

/** The live channel over a plain WebSocket client, on both stores: the browser test covers the widget itself. */
describe.each<StoreKind>(['embedded', 'redis'])('web chat socket on the %s store', (store) => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;
  beforeAll(async () => {
    h = await startDesk({ store, slack: { postRate: false }, env: { WEBCHAT_ORIGINS: `${SITE},https://*.example.com`, WEBCHAT_IDENTITY_SECRET: IDENTITY_SECRET } });
    act = actions(h);
    const admin = (await h.app.desk.seats.list())[0]!;
    await h.app.desk.seats.update(admin.id, (s) => ({ ...s, name: 'Ana' }));
  });
  afterAll(async () => {
    await h?.close();
    // This file's keys on the shared Redis go with it.
    if (h && store === 'redis') await deleteRedisKeys(h.prefix);
  });

  it('takes a visitor message into a thread, returns the agent reply with the agent name, and resumes after the last id', async () => {
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello', queue: 'default', lastSeen: 0 });
    const ready = await w.waitFor((f) => f.find((x) => x.type === 'ready'));
    expect(ready.token).toMatch(/^[0-9a-f]{64}$/);
    w.send({ type: 'send', clientId: 'c1', text: `Hello from the socket ${store}` });
    await w.waitFor((f) => f.find((x) => x.type === 'ack' && x.clientId === 'c1'));
    const header = await act.headerFor(`Hello from the socket ${store}`);
    expect(JSON.stringify(header.blocks)).toContain('Web chat');
    await act.slackThreadMessage('U0AGENT', header.ts, 'Hi, Ana here');
    const reply = await w.waitFor((f) => f.find((x) => x.type === 'message' && x.author === 'agent'), 8000);
    expect(reply).toMatchObject({ text: 'Hi, Ana here', name: 'Ana', id: 2 });
    await w.close();

    // The same token later: nothing shown twice after id 1, everything after it once.
    const again = await openWidgetSocket(h.app.url, SITE);
    again.send({ type: 'hello', queue: 'default', token: ready.token, lastSeen: 1 });
    await again.waitFor((f) => f.find((x) => x.type === 'ready'));
    await again.waitFor((f) => (texts(f).length ? f : undefined));
    expect(texts(again.frames)).toEqual(['Hi, Ana here']);
    expect(again.frames.find((x) => x.type === 'ready')?.token).toBeUndefined();
    // A resend of c1 (its ack lost) is acknowledged and not stored again.
    again.send({ type: 'send', clientId: 'c1', text: `Hello from the socket ${store}` });
    await again.waitFor((f) => f.find((x) => x.type === 'ack' && x.clientId === 'c1'));
    await new Promise((r) => setTimeout(r, 200));
    expect(h.slack.threadReplies('C0SUPPORT', header.ts).filter((m) => m.text.includes('Hello from the socket'))).toHaveLength(1);
    expect(texts(again.frames)).toEqual(['Hi, Ana here']);
    await again.close();
  });

  it('refuses an origin outside WEBCHAT_ORIGINS and accepts a wildcard subdomain', async () => {
    await expect(openWidgetSocket(h.app.url, 'https://evil.test')).rejects.toThrow('refused: 403');
    await expect(openWidgetSocket(h.app.url, 'http://shop.test:8081')).rejects.toThrow('refused: 403');
    const ok = await openWidgetSocket(h.app.url, 'https://help.example.com');
    await ok.close();
  });

  it('joins a logged-in visitor to one history from two devices and refuses a wrong hash', async () => {
    const userId = `user-${store}`;
    const phone = await openWidgetSocket(h.app.url, SITE);
    phone.send({ type: 'hello', userId, userHash: signUserId(userId, IDENTITY_SECRET), userName: 'Lee' });
    await phone.waitFor((f) => f.find((x) => x.type === 'ready'));
    phone.send({ type: 'send', clientId: 'p1', text: `From my phone ${store}` });
    await phone.waitFor((f) => f.find((x) => x.type === 'ack'));
    const laptop = await openWidgetSocket(h.app.url, SITE);
    laptop.send({ type: 'hello', userId, userHash: signUserId(userId, IDENTITY_SECRET) });
    await laptop.waitFor((f) => (texts(f).includes(`From my phone ${store}`) ? true : undefined));
    const header = await act.headerFor(`From my phone ${store}`);
    expect(JSON.stringify(header.blocks)).toContain('Lee');

    const forger = await openWidgetSocket(h.app.url, SITE);
    forger.send({ type: 'hello', userId, userHash: signUserId(userId, 'a-guessed-secret-000000') });
    await forger.waitFor((f) => f.find((x) => x.type === 'error' && x.code === 'identity_refused'));
    await forger.waitFor(() => forger.closed);
    expect(forger.closed?.code).toBe(4001);
    expect(texts(forger.frames)).toEqual([]);
    await Promise.all([phone.close(), laptop.close()]);
  });

  it('tells the visitor when a message is too long or too fast, and stores neither', async () => {
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello' });
    await w.waitFor((f) => f.find((x) => x.type === 'ready'));
    w.send({ type: 'send', clientId: 'long', text: 'x'.repeat(4001) });
    expect(await w.waitFor((f) => f.find((x) => x.type === 'notice'))).toMatchObject({ code: 'too_long', clientId: 'long' });
    for (let i = 0; i < 11; i++) w.send({ type: 'send', clientId: `r${i}`, text: `burst ${store} ${i}` });
    const notice = await w.waitFor((f) => f.find((x) => x.type === 'notice' && x.code === 'rate_visitor'));
    expect(notice.clientId).toBe('r10');
    expect(notice.retryInMs).toBeGreaterThan(0);
    await w.waitFor((f) => (texts(f).length === 10 ? true : undefined));
    expect(texts(w.frames)).toEqual(Array.from({ length: 10 }, (_, i) => `burst ${store} ${i}`));
    await w.close();
  });

  it('takes a visitor\'s image upload into the thread, shows it back, and keeps files to their owner', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2000, 7)]);
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello' });
    const token = String((await w.waitFor((f) => f.find((x) => x.type === 'ready'))).token);
    const upload = (body: Buffer, headers: Record<string, string>) => fetch(`${h.app.url}/chat/upload`, { method: 'POST', body: new Uint8Array(body), headers: { origin: SITE, 'content-type': 'image/png', 'x-td-file-name': encodeURIComponent('broken part.png'), ...headers } });
    expect((await upload(png, {})).status).toBe(401);
    expect((await upload(png, { 'x-td-token': token, origin: 'https://evil.test' })).status).toBe(403);
    expect((await upload(Buffer.alloc(10 * 1024 * 1024 + 1), { 'x-td-token': token })).status).toBe(413);
    const res = await upload(png, { 'x-td-token': token });
    expect(res.status).toBe(201);
    const { file } = await res.json() as { file: { id: string; name: string; mime: string; size: number } };
    expect(file).toMatchObject({ name: 'broken part.png', mime: 'image/png', size: png.length });

    w.send({ type: 'send', clientId: 'img1', text: `Photo of the part ${store}`, files: [file.id] });
    const line = await w.waitFor((f) => f.find((x) => x.type === 'message' && x.clientId === 'img1'));
    expect(line.files).toEqual([file]);
    const uploaded = await h.slack.waitFor((s) => s.files.find((f) => f.filename === 'broken part.png' && f.completed && f.thread_ts), 8000);
    expect(uploaded.bytes?.equals(png)).toBe(true);
    const served = await fetch(`${h.app.url}/chat/file?id=${file.id}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);

    // Another visitor cannot send the first one's file as theirs.
    const other = await openWidgetSocket(h.app.url, SITE);
    other.send({ type: 'hello' });
    await other.waitFor((f) => f.find((x) => x.type === 'ready'));
    other.send({ type: 'send', clientId: 'steal', text: '', files: [file.id] });
    expect(await other.waitFor((f) => f.find((x) => x.type === 'notice'))).toMatchObject({ code: 'unknown_file' });
    expect(texts(other.frames)).toEqual([]);
    await Promise.all([w.close(), other.close()]);
  });

  it('marks the newest agent reply the visitor saw as read in the thread (👀 beside ✓), once, without a post', async () => {
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello' });
    await w.waitFor((f) => f.find((x) => x.type === 'ready'));
    w.send({ type: 'send', clientId: 's1', text: `Seen test ${store}` });
    await w.waitFor((f) => f.find((x) => x.type === 'ack'));
    const header = await act.headerFor(`Seen test ${store}`);
    const first = await act.slackThreadMessage('U0AGENT', header.ts, 'First answer');
    const second = await act.slackThreadMessage('U0AGENT', header.ts, 'Second answer');
    const lines = await w.waitFor((f) => (texts(f).includes('Second answer') ? f.filter((x) => x.type === 'message') : undefined), 8000);
    // The desk's own references to the thread never reach the widget.
    expect(lines.every((l) => l.ref === undefined && l.convId === undefined)).toBe(true);
    const posts = () => h.slack.threadReplies('C0SUPPORT', header.ts).length;
    await h.slack.waitFor((st) => st.reactions.filter((r) => r.name === 'white_check_mark').length >= 2, 8000);
    const before = posts();
    const eyes = () => h.slack.reactions.filter((r) => r.name === 'eyes');
    const eyesBefore = eyes().length;
    // Both replies shown at once: one seen frame with the highest id marks only the newest.
    w.send({ type: 'seen', id: Number(lines[lines.length - 1]!.id) });
    await h.slack.waitFor(() => eyes().length > eyesBefore, 8000);
    expect(eyes().slice(eyesBefore).map((r) => r.ts)).toEqual([second.payload.event.ts]);
    expect(eyes().some((r) => r.ts === first.payload.event.ts)).toBe(false);
    // Seen again (a second tab, a reload): nothing more.
    w.send({ type: 'seen', id: Number(lines[lines.length - 1]!.id) });
    w.send({ type: 'seen', id: 1 });
    w.send({ type: 'ping' });
    await w.waitFor((f) => f.find((x) => x.type === 'pong'));
    await new Promise((r) => setTimeout(r, 300));
    expect(eyes().length).toBe(eyesBefore + 1);
    expect(posts()).toBe(before);
    await w.close();
  });

  it('closes the socket on a frame that is not the protocol', async () => {
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'send', clientId: 'before-hello', text: 'x' });
    await w.waitFor(() => w.closed);
    expect(w.closed?.code).toBe(4002);
  });
});

describe('web chat welcome', () => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDesk({
      store: 'embedded', slack: { postRate: false }, env: { WEBCHAT_ORIGINS: SITE },
      yaml: 'queues:\n  - name: default\n    assignment: manual\n    welcome:\n      - text: "Hi, an agent will be with you shortly."\n',
    });
  });
  afterAll(async () => { await h?.close(); });

  it('shows the queue\'s welcome as the desk\'s own line after the visitor\'s first message, once', async () => {
    const w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello', queue: 'default' });
    await w.waitFor((f) => f.find((x) => x.type === 'ready'));
    w.send({ type: 'send', clientId: 'w1', text: 'Hello?' });
    const welcome = await w.waitFor((f) => f.find((x) => x.type === 'message' && x.author === 'system'), 8000);
    expect(welcome).toMatchObject({ text: 'Hi, an agent will be with you shortly.', id: 2 });
    w.send({ type: 'send', clientId: 'w2', text: 'Anyone?' });
    await w.waitFor((f) => (texts(f).includes('Anyone?') ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(w.frames)).toEqual(['Hello?', 'Hi, an agent will be with you shortly.', 'Anyone?']);
    await w.close();
  });
});
