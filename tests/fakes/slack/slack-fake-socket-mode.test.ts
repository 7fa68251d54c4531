import { request } from 'node:http';
import { App, LogLevel, type Logger } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageEvent } from './send-to-bot.js';
import { startSlackFake, type SlackFake } from './start-slack-fake.js';

let fake: SlackFake;

/** Swallows the client's own error log for failures a test provokes on purpose. */
const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

beforeEach(async () => {
  fake = await startSlackFake();
});

afterEach(async () => {
  await fake.close();
});

/** Attempts a WebSocket upgrade and reports the HTTP status (101 = accepted). */
function upgradeStatus(wsUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(wsUrl.replace(/^ws/, 'http'), {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': Buffer.from('0123456789abcdef').toString('base64'),
        'sec-websocket-version': '13',
      },
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Slack fake Socket Mode', () => {
  it('connects a real SocketModeClient, delivers an events_api envelope and returns its ack', async () => {
    const client = new SocketModeClient({
      appToken: 'xapp-test',
      clientOptions: { slackApiUrl: fake.url },
      logLevel: LogLevel.ERROR,
    });
    const received: Array<{ text?: string; retry_num?: number }> = [];
    client.on('message', async ({ ack, event, retry_num }) => {
      received.push({ text: event.text, retry_num });
      await ack();
    });
    try {
      const opened = await client.start();
      expect(opened).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/) });
      expect(fake.socketConnectionCount).toBe(1);
      expect(fake.callsTo('apps.connections.open')[0]).toMatchObject({ ok: true, tokenType: 'app' });

      const { payload } = messageEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', text: 'hello over socket' });
      const ack = await fake.pushSocketEvent(payload, { type: 'events_api', retryAttempt: 1, retryReason: 'timeout' });
      expect(ack).toEqual({ envelope_id: expect.any(String), payload: {} });
      expect(received).toEqual([{ text: 'hello over socket', retry_num: 1 }]);
      expect(fake.socketAcks).toHaveLength(1);
    } finally {
      await client.disconnect();
    }
  });

  it('rejects the app token when it is wrong, as apps.connections.open does', async () => {
    const client = new SocketModeClient({
      appToken: 'xapp-wrong',
      clientOptions: { slackApiUrl: fake.url },
      logger: silentLogger,
    });
    await expect(client.start()).rejects.toMatchObject({ data: { ok: false, error: 'invalid_auth' } });
    expect(fake.socketConnectionCount).toBe(0);
    await client.disconnect();
  });

  it('hands out single-use WebSocket URLs', async () => {
    const res = await fetch(`${fake.url}apps.connections.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xapp-test' },
    });
    const { url } = (await res.json()) as { url: string };
    expect(await upgradeStatus(url)).toBe(101);
    expect(await upgradeStatus(url)).toBe(401);
  });

  it('fails pushSocketEvent clearly when no client is connected', async () => {
    await expect(fake.pushSocketEvent({}, { type: 'events_api' })).rejects.toThrow(/No open Socket Mode connection/);
  });

  it('drives a Bolt App in Socket Mode end to end: event in, threaded reply out', async () => {
    const app = new App({
      token: 'xoxb-test',
      appToken: 'xapp-test',
      socketMode: true,
      clientOptions: { slackApiUrl: fake.url },
      logLevel: LogLevel.ERROR,
    });
    app.message(async ({ message, say }) => {
      if (message.subtype === undefined) await say({ text: `echo: ${message.text}`, thread_ts: message.ts });
    });
    await app.start();
    try {
      const customer = fake.addUserMessage({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', text: 'hello bolt' });
      await fake.pushSocketEvent(messageEvent({ ...customer }).payload, { type: 'events_api' });
      const reply = await fake.waitFor((f) => f.threadReplies('C0SUPPORT', customer.ts)[0]);
      expect(reply).toMatchObject({ text: 'echo: hello bolt', user: 'U0BOT', bot_id: 'B0BOT' });
      expect(fake.callsTo('auth.test')).toHaveLength(1);

      // Bolt's ignoreSelf drops the app's own message (matched by bot_id from auth.test).
      await fake.pushSocketEvent(
        messageEvent({ channel: 'C0SUPPORT', user: 'U0BOT', bot_id: 'B0BOT', text: 'echo: loop?' }).payload,
        { type: 'events_api' },
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(fake.messages.filter((m) => m.bot_id)).toHaveLength(1);
    } finally {
      await app.stop();
    }
  });
});
