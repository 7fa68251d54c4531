import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { actions } from '../support/actions.js';
import { messageChanged, messageDeleted, postToBot } from '../fakes/slack/index.js';
import { launchChromium } from '../support/chromium.js';
import { startHostSite, type HostSite } from '../support/host-site.js';
import { SECRETS, startDesk, type DeskHarness } from '../support/start-desk.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/**
 * The widget in a real headless Chromium (Debian's, driven by playwright-core):
 * a shop page on http://shop.test embeds the script served by the desk on
 * http://desk.test (another origin and site), reached through a TCP proxy the
 * test can cut to take the network away.
 */
// A browser under a loaded test run is slower than the default 30 s allows for a whole scenario.
describe('web chat in a real browser', { timeout: 90_000 }, () => {
  let h: DeskHarness;
  let act: ReturnType<typeof actions>;
  let proxy: TcpProxy;
  let shop: HostSite;
  let evil: HostSite;
  let strict: HostSite;
  let browser: Browser;
  const deskUrl = () => `http://desk.test:${proxy.port}`;

  beforeAll(async () => {
    browser = await launchChromium();
    shop = await startHostSite(() => `${deskUrl()}/chat/widget.js`, () => ({ title: 'Example shop help' }));
    evil = await startHostSite(() => `${deskUrl()}/chat/widget.js`);
    // The Content-Security-Policy the README tells sites to add, and nothing more.
    strict = await startHostSite(() => `${deskUrl()}/chat/widget.js`, () => ({}), () => ({
      'content-security-policy': `default-src 'self'; script-src ${deskUrl()}; frame-src ${deskUrl()}; style-src 'self'`,
    }));
    h = await startDesk({ store: 'embedded', slack: { postRate: false }, env: { WEBCHAT_ORIGINS: `http://shop.test:${shop.port},http://strict.test:${strict.port}` } });
    proxy = await startTcpProxy(h.app.port);
    act = actions(h);
    const admin = (await h.app.desk.seats.list())[0]!;
    await h.app.desk.seats.update(admin.id, (s) => ({ ...s, name: 'Ana' }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await h?.close();
    await shop?.close();
    await evil?.close();
    await strict?.close();
  });

  async function visitor(o: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page; chat: FrameLocator }> {
    const context = await browser.newContext({ locale: o.locale ?? 'en-US', viewport: o.viewport ?? { width: 1100, height: 760 } });
    const page = await context.newPage();
    await page.goto(shop.url('shop.test'));
    await page.locator('[data-td=launcher]').click();
    const chat = page.frameLocator('iframe[data-td=frame]');
    await chat.locator('[data-td=status]').filter({ hasText: 'Connected' }).or(chat.locator('[data-td=status]').filter({ hasText: '已连接' })).waitFor({ timeout: 10_000 });
    return { context, page, chat };
  }

  const messages = (chat: FrameLocator, author?: string) => chat.locator(author ? `[data-td=message][data-td-author=${author}]` : '[data-td=message]');
  async function type(chat: FrameLocator, text: string): Promise<void> {
    await chat.locator('[data-td=input]').fill(text);
    await chat.locator('[data-td=input]').press('Enter');
  }
  async function threadOf(text: string) {
    return act.headerFor(text, 10_000);
  }

  it('carries a visitor\'s text to the Slack thread and the agent\'s reply back without a reload; a reload shows the history once', async () => {
    const { context, page, chat } = await visitor();
    await type(chat, 'Do you ship to Lisbon?');
    const header = await threadOf('Do you ship to Lisbon?');
    expect(h.slack.threadReplies('C0SUPPORT', header.ts).filter((m) => m.text === 'Do you ship to Lisbon?')).toHaveLength(1);
    const sent = await act.slackThreadMessage('U0AGENT', header.ts, 'Yes, in 3 days.');
    const reply = messages(chat, 'agent').filter({ hasText: 'Yes, in 3 days.' });
    await reply.waitFor({ timeout: 10_000 });
    await expect.poll(() => reply.textContent(), { timeout: 10_000 }).toContain('Ana');
    // The reply is in view of a visible tab: the thread shows the agent it was read (👀 beside ✓), with no post.
    const replies = h.slack.threadReplies('C0SUPPORT', header.ts).length;
    await h.slack.waitFor((s) => s.reactions.find((r) => r.ts === sent.payload.event.ts && r.name === 'eyes'), 10_000);
    expect(h.slack.threadReplies('C0SUPPORT', header.ts)).toHaveLength(replies);
    await page.screenshot({ path: 'docs/webchat-widget.png' });

    await page.reload();
    await page.locator('[data-td=launcher]').click();
    await messages(chat, 'agent').filter({ hasText: 'Yes, in 3 days.' }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    expect(await messages(chat).allTextContents()).toEqual(['YouDo you ship to Lisbon?', 'AnaYes, in 3 days.']);
    await context.close();
  });

  it('shows an agent\'s edit of a reply on the old line with an "edited" note, a delete as "Message deleted", and the same after a reload', async () => {
    const { context, page, chat } = await visitor();
    await type(chat, 'Is the shop open on Sunday?');
    const header = await threadOf('Is the shop open on Sunday?');
    const sent = await act.slackThreadMessage('U0AGENT', header.ts, 'Yes, 10 to 4.');
    await messages(chat, 'agent').filter({ hasText: 'Yes, 10 to 4.' }).waitFor({ timeout: 10_000 });
    const second = await act.slackThreadMessage('U0AGENT', header.ts, 'Anything else?');
    await messages(chat, 'agent').filter({ hasText: 'Anything else?' }).waitFor({ timeout: 10_000 });
    const edited = h.slack.userEditsMessage('C0SUPPORT', sent.payload.event.ts, 'Yes, 11 to 4.');
    await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, messageChanged(edited.message, edited.previousText));
    await chat.locator('[data-td-change=edited]').filter({ hasText: 'Yes, 11 to 4.' }).waitFor({ timeout: 10_000 });
    await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, messageDeleted(h.slack.userDeletesMessage('C0SUPPORT', second.payload.event.ts)));
    await chat.locator('[data-td-change=deleted]').waitFor({ timeout: 10_000 });
    const expected = ['YouIs the shop open on Sunday?', 'AnaYes, 11 to 4.edited', 'AnaMessage deleted'];
    expect(await messages(chat).allTextContents()).toEqual(expected);
    await page.reload();
    await page.locator('[data-td=launcher]').click();
    await chat.locator('[data-td-change=deleted]').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    expect(await messages(chat).allTextContents()).toEqual(expected);
    await context.close();
  });

  it('shows "Ana is typing…" while the agent writes, until her message arrives', async () => {
    const { context, chat } = await visitor();
    await type(chat, 'Which size fits me?');
    const header = await threadOf('Which size fits me?');
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!;
    // What a messenger's typing event does (Discord's TYPING_START; see webchat-typing.test.ts for the gateway side).
    expect(h.app.desk.typing.agentTyping(conv, 'Ana')).toBe(true);
    const typing = chat.locator('[data-td=typing]');
    await typing.filter({ hasText: 'Ana is typing…' }).waitFor({ timeout: 10_000 });
    await act.slackThreadMessage('U0AGENT', header.ts, 'Size M, I think.');
    await messages(chat, 'agent').filter({ hasText: 'Size M, I think.' }).waitFor({ timeout: 10_000 });
    await typing.waitFor({ state: 'hidden', timeout: 5000 });
    await context.close();
  });

  it('marks a reply read only once the visitor opens the chat and it is in view', async () => {
    const { context, page, chat } = await visitor();
    await type(chat, 'Can I change my address?');
    const header = await threadOf('Can I change my address?');
    await page.locator('[data-td=launcher]').click();
    await page.locator('iframe[data-td=frame]').waitFor({ state: 'hidden' });
    const sent = await act.slackThreadMessage('U0AGENT', header.ts, 'Yes, write it here.');
    const eyes = () => h.slack.reactions.filter((r) => r.ts === sent.payload.event.ts && r.name === 'eyes');
    // Delivered (✓) into the closed chat, but nobody has seen it.
    await h.slack.waitFor((s) => s.reactions.find((r) => r.ts === sent.payload.event.ts && r.name === 'white_check_mark'), 10_000);
    await page.waitForTimeout(1500);
    expect(eyes()).toHaveLength(0);
    await page.locator('[data-td=launcher]').click();
    await messages(chat, 'agent').filter({ hasText: 'Yes, write it here.' }).waitFor({ timeout: 10_000 });
    await h.slack.waitFor(() => eyes().length > 0, 10_000);
    expect(eyes()).toHaveLength(1);
    await context.close();
  });

  it('delivers what was missed while offline once and in order, and sends what was typed offline on reconnect', async () => {
    const { context, chat } = await visitor();
    await type(chat, 'Order 5521 is late');
    const header = await threadOf('Order 5521 is late');
    await messages(chat, 'visitor').filter({ hasText: 'Order 5521 is late' }).and(chat.locator(':not([data-td-state=pending])')).waitFor();

    await context.setOffline(true);
    await proxy.cut();
    await chat.locator('[data-td=status]').filter({ hasText: 'Offline' }).waitFor({ timeout: 10_000 });
    await type(chat, 'Still there?');
    for (const text of ['First missed', 'Second missed', 'Third missed']) await act.slackThreadMessage('U0AGENT', header.ts, text);
    // Delivered while the visitor is away: stored in their history (line 1 is their own message).
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', header.ts))!;
    await expect.poll(() => h.app.store.length(`webchat:history:${conv.customer.id}`), { timeout: 10_000 }).toBe(4);
    await proxy.restore();
    await context.setOffline(false);

    await messages(chat, 'agent').filter({ hasText: 'Third missed' }).waitFor({ timeout: 20_000 });
    await h.slack.waitFor((s) => s.threadReplies('C0SUPPORT', header.ts).find((m) => m.text === 'Still there?'), 10_000);
    await chat.locator('[data-td-state=pending]').waitFor({ state: 'detached', timeout: 10_000 });
    const shown = (await messages(chat).allTextContents());
    expect(shown.filter((t) => t.endsWith('missed'))).toEqual(['AnaFirst missed', 'AnaSecond missed', 'AnaThird missed']);
    expect(shown.filter((t) => t === 'YouStill there?')).toHaveLength(1);
    expect(h.slack.threadReplies('C0SUPPORT', header.ts).filter((m) => m.text === 'Still there?')).toHaveLength(1);
    await context.close();
  });

  it('sends an image the visitor picks: shown inline in the widget and uploaded into the thread', async () => {
    const { context, page, chat } = await visitor();
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 120, height: 80 } });
    await chat.locator('[data-td=input]').fill('This is what I see');
    await chat.locator('[data-td=file]').setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: png });
    const img = messages(chat, 'visitor').locator('img');
    await img.waitFor({ timeout: 10_000 });
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth), { timeout: 10_000 }).toBe(120);
    expect(await img.getAttribute('alt')).toBe('screen.png');
    const uploaded = await h.slack.waitFor((s) => s.files.find((f) => f.filename === 'screen.png' && f.completed && f.thread_ts), 10_000);
    expect(uploaded.bytes?.equals(png)).toBe(true);
    await context.close();
  });

  it('shows the same conversation live in a second tab of the same visitor, each line once', async () => {
    const { context, chat } = await visitor();
    await type(chat, 'Typed in the first tab');
    await messages(chat, 'visitor').filter({ hasText: 'Typed in the first tab' }).and(chat.locator(':not([data-td-state=pending])')).waitFor();
    const second = await context.newPage();
    await second.goto(shop.url('shop.test'));
    await second.locator('[data-td=launcher]').click();
    const chat2 = second.frameLocator('iframe[data-td=frame]');
    await messages(chat2, 'visitor').filter({ hasText: 'Typed in the first tab' }).waitFor({ timeout: 10_000 });
    await type(chat2, 'Typed in the second tab');
    await messages(chat, 'visitor').filter({ hasText: 'Typed in the second tab' }).waitFor({ timeout: 10_000 });
    await second.waitForTimeout(300);
    for (const c of [chat, chat2]) expect(await messages(c).allTextContents()).toEqual(['YouTyped in the first tab', 'YouTyped in the second tab']);
    await context.close();
  });

  it('shows a second visitor nothing of the first', async () => {
    const first = await visitor();
    await type(first.chat, 'My secret order 7788');
    await threadOf('My secret order 7788');
    const second = await visitor();
    await type(second.chat, 'Hello, I am someone else');
    await threadOf('Hello, I am someone else');
    await second.page.waitForTimeout(500);
    const seen = (await messages(second.chat).allTextContents()).join('\n');
    expect(seen).toContain('Hello, I am someone else');
    expect(seen).not.toContain('7788');
    await first.context.close();
    await second.context.close();
  });

  it('is refused on a site whose origin is not in WEBCHAT_ORIGINS', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(evil.url('evil.test'));
    await page.locator('[data-td=launcher]').click();
    await page.waitForTimeout(1500);
    // frame-ancestors: the browser does not render the desk's frame inside this site.
    const frames = page.frames().filter((f) => f !== page.mainFrame());
    expect(frames).toHaveLength(1);
    expect(await frames[0]!.locator('[data-td=input]').count()).toBe(0);
    // And the socket refuses the site's own scripts.
    const outcome = await page.evaluate((url) => new Promise<string>((resolve) => {
      const ws = new WebSocket(url);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    }), `${deskUrl().replace('http', 'ws')}/chat/socket`);
    expect(outcome).toBe('refused');
    await context.close();
  });

  it('runs as a page of its own at /chat/ for links and QR codes', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${deskUrl()}/chat/?queue=default`);
    await page.locator('[data-td=status]').filter({ hasText: 'Connected' }).waitFor({ timeout: 10_000 });
    await page.locator('[data-td=input]').fill('Scanned the QR code on my receipt');
    await page.locator('[data-td=send]').click();
    const header = await threadOf('Scanned the QR code on my receipt');
    await act.slackThreadMessage('U0AGENT', header.ts, 'Welcome! How can I help?');
    await page.locator('[data-td=message][data-td-author=agent]').filter({ hasText: 'Welcome! How can I help?' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#td-close').isVisible()).toBe(false);
    await context.close();
  });

  it('works on a site whose Content-Security-Policy allows only what the README lists', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await page.goto(strict.url('strict.test'));
    const launcher = page.locator('[data-td=launcher]');
    expect(await launcher.boundingBox()).toMatchObject({ width: 56, height: 56 });
    await launcher.click();
    const chat = page.frameLocator('iframe[data-td=frame]');
    await chat.locator('[data-td=status]').filter({ hasText: 'Connected' }).waitFor({ timeout: 10_000 });
    await chat.locator('[data-td=input]').fill('Hello from a strict site');
    await chat.locator('[data-td=input]').press('Enter');
    await threadOf('Hello from a strict site');
    // The shop page's own inline style attribute is the only thing its policy refuses.
    expect(violations.filter((v) => !v.includes('style-src') || v.includes('chat'))).toEqual([]);
    await context.close();
  });

  it('works on a 375 px phone screen, by keyboard too', async () => {
    const { context, page, chat } = await visitor({ viewport: { width: 375, height: 667 } });
    const box = await page.locator('iframe[data-td=frame]').boundingBox();
    expect(box).toMatchObject({ x: 0, width: 375 });
    await type(chat, 'Where is my parcel? I am on my phone.');
    await threadOf('Where is my parcel? I am on my phone.');
    const input = await chat.locator('[data-td=input]').boundingBox();
    const send = await chat.locator('[data-td=send]').boundingBox();
    expect(input!.width).toBeGreaterThan(200);
    expect(send!.x + send!.width).toBeLessThanOrEqual(375);
    const overflow = await chat.locator('body').evaluate((b) => b.scrollWidth - b.clientWidth);
    expect(overflow).toBe(0);
    await page.screenshot({ path: 'docs/webchat-phone.png' });
    // Keyboard only: the close button hides the chat and the launcher takes the focus back.
    await chat.locator('#td-close').press('Enter');
    await expect.poll(() => page.locator('[data-td=launcher]').getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-td'))).toBe('launcher');
    // Enter on the focused launcher opens it again, Escape in the chat closes it.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-td=launcher]').getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('true');
    await chat.locator('[data-td=input]').press('Escape');
    await expect.poll(() => page.locator('[data-td=launcher]').getAttribute('aria-expanded'), { timeout: 10_000 }).toBe('false');
    await context.close();
  });

  it('speaks Chinese to a Chinese browser', async () => {
    const { context, chat } = await visitor({ locale: 'zh-CN' });
    expect(await chat.locator('[data-td=send]').textContent()).toBe('发送');
    expect(await chat.locator('[data-td=input]').getAttribute('placeholder')).toBe('输入消息，按回车发送');
    expect(await chat.locator('html').getAttribute('lang')).toBe('zh-CN');
    await context.close();
  });
});
