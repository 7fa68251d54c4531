import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What `npm run demo` runs, from package.json, with this Node in place of `node`. */
function demoCommand(): { cmd: string; args: string[] } {
  const script = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.demo!;
  const [first, ...args] = script.split(/\s+/);
  expect(first).toBe('node');
  return { cmd: process.execPath, args };
}

/**
 * The sandbox as a newcomer meets it (issue 17, first acceptance point): the
 * demo started as `npm run demo` starts it, its printed URL opened in a real
 * headless Chromium; the customer writes in the web chat widget, the agent
 * claims the thread and replies from its reply box, and the reply reaches
 * the customer and gets its ✓ in the thread.
 */
describe('npm run demo: the sandbox page in a real browser', { timeout: 120_000 }, () => {
  let demo: ChildProcessWithoutNullStreams;
  let out = '';
  let url: string;
  let dataDir: string;
  let browser: Browser;

  beforeAll(async () => {
    const { cmd, args } = demoCommand();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
    delete env.DATA_DIR;
    demo = spawn(cmd, args, { cwd: ROOT, env });
    demo.stdout.on('data', (b: Buffer) => { out += b.toString('utf8'); });
    demo.stderr.on('data', (b: Buffer) => { out += b.toString('utf8'); });
    const started = Date.now();
    while (!/http:\/\/127\.0\.0\.1:\d+\/sandbox\//.test(out)) {
      if (demo.exitCode !== null || Date.now() - started > 60_000) throw new Error(`the demo printed no URL:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    url = /http:\/\/127\.0\.0\.1:\d+\/sandbox\//.exec(out)![0];
    dataDir = /Data: (\S+)/.exec(out)![1]!;
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    if (demo && demo.exitCode === null) demo.kill('SIGKILL');
  });

  const customerChat = (page: Page): FrameLocator => page.frameLocator('[data-sb=customer]').frameLocator('iframe[data-td=frame]');

  it('prints one URL and a fresh data directory', () => {
    expect(out.match(/http:\/\/\S+/g)).toEqual([url]);
    expect(existsSync(dataDir)).toBe(true);
    expect(out).toContain('Ctrl-C');
  });

  it('carries the customer\'s message to a thread, and the agent\'s claim and reply back to the customer with a ✓', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url);
    const chat = customerChat(page);
    await chat.locator('[data-td=status]').filter({ hasText: 'Connected' }).waitFor({ timeout: 15_000 });
    await chat.locator('[data-td=input]').fill('Hello, my parcel never came.');
    await chat.locator('[data-td=input]').press('Enter');

    const thread = page.locator('[data-sb=thread]').filter({ has: page.locator('[data-sb=post][data-sb-author=customer]', { hasText: 'Hello, my parcel never came.' }) });
    await thread.waitFor({ timeout: 15_000 });
    const header = thread.locator('[data-sb=header]');
    await expect.poll(() => header.textContent(), { timeout: 10_000 }).toContain('Waiting for an agent');

    await header.locator('[data-sb-action=claim]').click();
    await expect.poll(() => header.textContent(), { timeout: 15_000 }).toContain('Claimed by Alex');
    await header.locator('[data-sb-action=release]').waitFor();

    await thread.locator('[data-sb=reply]').fill('Sorry! It is on its way, tracking 4411.');
    await thread.locator('[data-sb=reply]').press('Enter');

    const answer = chat.locator('[data-td=message][data-td-author=agent]').filter({ hasText: 'Sorry! It is on its way, tracking 4411.' });
    await answer.waitFor({ timeout: 15_000 });
    expect(await answer.textContent()).toContain('Alex');
    const mine = thread.locator('[data-sb=post][data-sb-author=agent]').filter({ hasText: 'Sorry! It is on its way, tracking 4411.' });
    await mine.locator('[data-sb=delivered]').waitFor({ timeout: 15_000 });
    // Once: the customer's message, the reply and its ✓ are each shown one time.
    expect(await thread.locator('[data-sb=post][data-sb-author=customer]').allTextContents()).toHaveLength(1);
    expect(await mine.count()).toBe(1);
    expect(await answer.count()).toBe(1);

    await header.locator('[data-sb-action=release]').click();
    await expect.poll(() => header.textContent(), { timeout: 15_000 }).toContain('Waiting for an agent');
    await header.locator('[data-sb-action=claim]').waitFor();
    await context.close();
  });

  it('takes a reply sent twice with one id (a retry) once, and answers bad input saying what to send', async () => {
    const origin = new URL(url).origin;
    const send = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
    type Board = { threads: {
      id: string; convId: string; posts: { kind: string; text: string; delivered?: boolean }[];
      header: { fields: { value: string }[]; buttons: { action: string }[] };
    }[] };
    const threadNow = async () => ((await (await fetch(`${url}board?since=0`)).json()) as Board).threads[0]!;
    const thread = await threadNow();
    const reply = { id: 'retry-0001', thread: thread.id, text: 'Anything else I can do?' };
    expect((await send('reply', reply)).status).toBe(200);
    expect((await send('reply', reply)).status).toBe(200);
    await expect.poll(async () => (await threadNow()).posts.filter((p) => p.text === reply.text).map((p) => p.delivered ?? false), { timeout: 15_000 }).toEqual([true]);

    // Nobody held it (released above): the first to reply claimed it. Close ends it, and leaves Reopen.
    expect((await send('action', { id: 'close-0001', convId: thread.convId, action: 'close' })).status).toBe(200);
    await expect.poll(async () => (await threadNow()).header.buttons.map((b) => b.action), { timeout: 15_000 }).toEqual(['reopen']);
    expect((await threadNow()).header.fields.map((f) => f.value)).toContain('⚪ Closed');

    const empty = await send('reply', { id: 'x', thread: thread.id, text: '  ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { message: string }).message).toBe('id: 8 to 64 letters, digits, - or _; text: write something first');
    const gone = await send('action', { id: 'retry-0002', convId: 'no-such-conversation', action: 'claim' });
    expect(gone.status).toBe(404);
    const wrong = await send('action', { id: 'retry-0003', convId: thread.convId, action: 'delete' });
    expect(wrong.status).toBe(400);
  });

  it('refuses changes from another site and requests naming another host', async () => {
    const body = JSON.stringify({ id: 'abcdefgh1234', text: '/help' });
    const foreign = await fetch(`${url}command`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.test' }, body });
    expect(foreign.status).toBe(403);
    // fetch sets Host itself: a DNS-rebound page's request, naming another host, is sent with node:http.
    const { port } = new URL(url);
    const rebound = await new Promise<number | undefined>((done, fail) => {
      http.get(`${url}board`, { headers: { host: `evil.test:${port}` } }, (res) => { res.resume(); done(res.statusCode); }).on('error', fail);
    });
    expect(rebound).toBe(403);
    const own = await fetch(`${url}command`, { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(url).origin }, body });
    expect(own.status).toBe(200);
  });

  it('stops on SIGTERM and removes its fresh data directory', async () => {
    const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(dataDir)).toBe(false);
  });
});
