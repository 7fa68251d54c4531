import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { startDesk, SECRETS, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { startDiscordDesk, DISCORD_USERS } from '../support/drivers/discord.js';
import { startTelegramDesk, TELEGRAM_USERS } from '../support/drivers/telegram.js';
import { postToBot, slashCommand, startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import type { ExportSink } from '../../src/core/export-transcripts.js';
import type { Desk } from '../../src/core/desk.js';
import { respondPrivately } from '../../src/bot/slack/respond-privately.js';
import { createLogger } from '../../src/runtime/logger.js';

/** Slack and Discord want an answer within 3 s (platform-facts.md §4, §5). */
const DEADLINE_MS = 3000;
/** Each write of the export waits this long: two writes make an export take longer than the deadline. */
const SLOW_WRITE_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes the desk's export sink slow (or failing at its `failAt`-th write), as
 * a big export over a slow disk is. Returns how far the export got.
 */
function slowExports(desk: Desk, o: { failAt?: number } = {}): { writes: number; finished: boolean } {
  const progress = { writes: 0, finished: false };
  const real = desk.exportFiles!;
  desk.exportFiles = async (name) => {
    const sink: ExportSink = await real(name);
    return {
      async write(chunk) {
        progress.writes += 1;
        await sleep(SLOW_WRITE_MS);
        if (progress.writes === o.failAt) throw new Error('disk full (test)');
        await sink.write(chunk);
      },
      async finish() { const file = await sink.finish(); progress.finished = true; return file; },
      abort: () => sink.abort(),
    };
  };
  return progress;
}

/**
 * Issue 9: `/export` and every command flagged `long` are acknowledged at
 * once and answer through a follow-up: Slack's response_url (within its 3 s),
 * a deferred Discord reply edited later, Telegram's "Export started…" at once;
 * the file still arrives by DM.
 */
describe.each(['embedded', 'redis'] as StoreKind[])('a long /export on Slack, on the %s store', (store) => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDesk({ store });
    await actions(h).customerWrites('491708880001', 'Please send my invoice', { name: 'Eva' });
    await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.text === 'Please send my invoice'), 5000);
  });
  afterAll(async () => { await h?.close(); });

  const slash = (responseUrl: string) => postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, slashCommand({ command: '/export', user_id: 'U0AGENT', channel_id: 'C0SUPPORT', response_url: responseUrl }));

  it('is answered 200 within Slack\'s 3 s although the export takes longer, says "Export started" through response_url, and the file arrives by DM', async () => {
    const progress = slowExports(h.app.desk);
    const url = h.slack.responseUrl();
    const started = Date.now();
    const res = await slash(url);
    const answeredInMs = Date.now() - started;
    expect(res.status).toBe(200);
    expect(answeredInMs).toBeLessThan(DEADLINE_MS);
    expect(progress.finished).toBe(false);

    await h.slack.waitFor((s) => s.responseTexts(url).some((t) => t.startsWith('Export started')), DEADLINE_MS);
    const upload = await h.slack.waitFor((s) => s.files.find((f) => f.completed && f.filename.endsWith('.csv') && f.bytes), 20_000);
    // The export really outlived Slack's deadline.
    expect(Date.now() - started).toBeGreaterThan(DEADLINE_MS);
    expect(upload.channel).toMatch(/^D/);
    expect(upload.bytes!.toString('utf8')).toContain('Please send my invoice');
    expect(h.slack.responsePosts.every((p) => p.status === 200 && p.body?.response_type === 'ephemeral')).toBe(true);
  }, 30_000);

  it('tells the caller through response_url, with a reference that is in the log, when the export fails after the acknowledgement', async () => {
    slowExports(h.app.desk, { failAt: 2 });
    const url = h.slack.responseUrl();
    const files = h.slack.files.length;
    const started = Date.now();
    expect((await slash(url)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
    const failed = await h.slack.waitFor((s) => s.responseTexts(url).find((t) => t.includes('failed (reference')), 20_000);
    const ref = /reference ([0-9a-f]{6})/.exec(failed)![1]!;
    expect(h.slack.responseTexts(url)[0]).toMatch(/^Export started/);
    expect(h.logs.some((l) => l.includes(`"ref":"${ref}"`) && l.includes('disk full (test)'))).toBe(true);
    expect(h.slack.files.length).toBe(files);
  }, 30_000);
});

describe('a long /export on Slack in Socket Mode', () => {
  it('acknowledges the envelope within 3 s although the export takes longer, and the file still arrives', async () => {
    const h = await startDesk({ store: 'embedded', env: { SLACK_APP_TOKEN: 'xapp-test', SLACK_SIGNING_SECRET: '' } });
    try {
      await h.slack.waitFor((s) => s.openSocketCount === 1, 5000);
      await actions(h).customerWrites('491708880004', 'Socket export', { name: 'Uma' });
      await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.text === 'Socket export'), 5000);
      const progress = slowExports(h.app.desk);
      const url = h.slack.responseUrl();
      const started = Date.now();
      const ack = await h.slack.pushSocketEvent(slashCommand({ command: '/export', user_id: 'U0AGENT', channel_id: 'C0SUPPORT', response_url: url }).payload, { type: 'slash_commands' });
      expect(ack.envelope_id).toBeTruthy();
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
      expect(progress.finished).toBe(false);
      await h.slack.waitFor((s) => s.responseTexts(url).some((t) => t.startsWith('Export started')), DEADLINE_MS);
      await h.slack.waitFor((s) => s.files.find((f) => f.completed && f.filename.endsWith('.csv') && f.bytes), 20_000);
      expect(progress.finished).toBe(true);
    } finally {
      await h.close();
    }
  }, 45_000);
});

describe('the private answers of an acknowledged Slack command', () => {
  let slack: SlackFake;
  beforeAll(async () => { slack = await startSlackFake(); });
  afterAll(async () => { await slack?.close(); });
  const log = createLogger('silent', new Writable({ write(_c, _e, cb) { cb(); } }));
  /** What bolt's `respond` does: POST the message as JSON to the response_url. */
  const respondTo = (url: string) => async (message: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(typeof message === 'string' ? { text: message } : message) });
    if (!res.ok) throw new Error(`response_url answered ${res.status} ${await res.text()}`);
    return res;
  };

  it('go through response_url five times, as Slack allows, and the rest through the outbox, in order', async () => {
    const url = slack.responseUrl();
    const viaOutbox: string[] = [];
    const tell = respondPrivately(respondTo(url), async (t) => { viaOutbox.push(t); }, log);
    for (let i = 1; i <= 7; i++) await tell(`line ${i}`);
    expect(slack.responseTexts(url)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(viaOutbox).toEqual(['line 6', 'line 7']);
    expect(slack.responsePosts.filter((p) => p.url === url).every((p) => p.status === 200)).toBe(true);
  });

  it('go through the outbox once the response_url refused, losing nothing', async () => {
    const url = `${slack.origin}/commands/T0001/1/deadbeef`;
    const viaOutbox: string[] = [];
    const tell = respondPrivately(respondTo(url), async (t) => { viaOutbox.push(t); }, log);
    await tell('first');
    await tell('second');
    expect(viaOutbox).toEqual(['first', 'second']);
    // Refused once, not tried again.
    expect(slack.responsePosts.filter((p) => p.url === url)).toHaveLength(1);
  });
});

describe('a long /export on Discord', () => {
  it('is deferred at once, and its deferred reply is edited with what it said once the export is done', async () => {
    const { h, fake } = await startDiscordDesk('embedded');
    try {
      await actions(h).customerWrites('491708880002', 'Export me', { name: 'Ola' });
      await fake.waitFor((f) => f.threadsIn(f.config.channels[0]!).length > 0, 5000);
      const progress = slowExports(h.app.desk);
      const it = fake.runCommand({ userId: DISCORD_USERS.seat, channelId: fake.config.channels[0]!, name: 'export', options: [] });
      await fake.waitFor(() => it.callbacks.length > 0 || it.failed, 5000);
      expect(it.failed).toBe(false);
      // Type 5: "thinking…", ephemeral; long before the export is done.
      expect(it.callbacks[0]).toMatchObject({ type: 5, data: { flags: 64 } });
      expect(it.callbacks[0]!.at - it.createdAt).toBeLessThan(1000);
      expect(progress.finished).toBe(false);
      await fake.waitFor(() => it.reply, 20_000);
      expect(it.reply).toMatchObject({ ephemeral: true, content: expect.stringContaining('Export started') });
      expect(fake.callsTo('PATCH /webhooks/:id/:token/messages/@original').map((c) => c.status)).toEqual([200]);
      expect(progress.finished).toBe(true);
      expect(await h.app.desk.auditLog.list(5, (e) => e.action === 'data.export')).toMatchObject([{ actor: `discord-${DISCORD_USERS.seat}`, after: { rows: 1 } }]);
      // The file reaches the person as a DM upload (multipart through the REST client).
      const upload = await fake.waitFor((f) => f.calls.find((c) => c.route === 'POST /channels/:id/messages' && c.files.some((n) => n.endsWith('.csv')) && c.status === 200), 15_000);
      expect(upload.files.some((n) => n.endsWith('.csv'))).toBe(true);
    } finally {
      await h.close();
    }
  }, 45_000);
});

describe('a long /export on Telegram', () => {
  it('says "Export started" at once, while the export still runs, and sends the file when it is done', async () => {
    const { h, fake } = await startTelegramDesk('embedded', { mode: 'polling' });
    try {
      await fake.userStartsBot(TELEGRAM_USERS.seat);
      await actions(h).customerWrites('491708880003', 'Telegram export', { name: 'Pia' });
      await fake.waitFor((f) => f.topics.length > 0, 20_000);
      const progress = slowExports(h.app.desk);
      const started = Date.now();
      const command = fake.userWritesPrivately(TELEGRAM_USERS.seat, '/export');
      await fake.waitFor((f) => f.privateMessagesTo(TELEGRAM_USERS.seat).find((m) => m.text?.startsWith('Export started')), DEADLINE_MS);
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
      expect(progress.finished).toBe(false);
      expect((await command).status).toBe(200);
      const doc = await fake.waitFor((f) => f.callsTo('sendDocument').find((c) => c.status === 200), 20_000);
      expect(doc).toBeTruthy();
      expect(progress.finished).toBe(true);
    } finally {
      await h.close();
    }
  }, 45_000);
});
