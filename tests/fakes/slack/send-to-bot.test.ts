import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockActions, messageEvent, postToBot, signSlackRequest, slashCommand, urlVerification } from './send-to-bot.js';
import { startSlackFake, type SlackFake } from './start-slack-fake.js';

const SECRET = 'signing-secret';
let fake: SlackFake;
let app: App;
let botUrl: string;
const seen: Array<{ kind: string; body: unknown; retryNum?: number }> = [];

beforeEach(async () => {
  seen.length = 0;
  fake = await startSlackFake();
  app = new App({
    signingSecret: SECRET,
    token: 'xoxb-test',
    clientOptions: { slackApiUrl: fake.url },
    logLevel: LogLevel.ERROR,
    processBeforeResponse: true,
  });
  app.message(async ({ body, context }) => {
    seen.push({ kind: 'message', body, retryNum: context.retryNum });
  });
  app.action('claim', async ({ ack, body }) => {
    await ack();
    seen.push({ kind: 'action', body });
  });
  app.command('/desk', async ({ ack, command }) => {
    await ack('on it');
    seen.push({ kind: 'command', body: command });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterEach(async () => {
  await app.stop();
  await fake.close();
});

describe('signSlackRequest', () => {
  it("produces headers Bolt's own verifier accepts", () => {
    const body = '{"type":"event_callback"}';
    const now = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest(SECRET, body, now);
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(() =>
      verifySlackRequest({
        signingSecret: SECRET,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
      }),
    ).not.toThrow();
    expect(() =>
      verifySlackRequest({
        signingSecret: 'other',
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'], 'x-slack-request-timestamp': now },
      }),
    ).toThrow();
  });
});

describe('postToBot against a real Bolt HTTPReceiver', () => {
  it('answers url_verification with the challenge', async () => {
    const res = await postToBot(botUrl, SECRET, urlVerification('chal-123'));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: 'chal-123' });
  });

  it('delivers a message event that Bolt routes to app.message, with retry headers', async () => {
    const request = messageEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', text: 'help please', event_id: 'Ev0001' });
    const res = await postToBot(botUrl, SECRET, request, { retryNum: 1, retryReason: 'http_timeout' });
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ kind: 'message', body: request.payload, retryNum: 1 }]);
    expect(request.payload).toMatchObject({
      type: 'event_callback',
      team_id: 'T0001',
      api_app_id: 'A0APP',
      event_id: 'Ev0001',
      authorizations: [{ user_id: 'U0BOT', is_bot: true }],
      event: { type: 'message', channel: 'C0SUPPORT', user: 'U0CUSTOMER', text: 'help please', channel_type: 'channel' },
    });
  });

  it('delivers a block_actions payload as form field payload=<json>', async () => {
    const request = blockActions({ user: 'U0AGENT', channel: 'C0SUPPORT', message_ts: '1700000000.000100', action_id: 'claim', value: 'conv-1' });
    expect(request.body.startsWith('payload=')).toBe(true);
    const res = await postToBot(botUrl, SECRET, request);
    expect(res.status).toBe(200);
    expect(seen[0]?.body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0AGENT' },
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C0SUPPORT' },
      actions: [{ action_id: 'claim', value: 'conv-1', type: 'button' }],
    });
  });

  it('delivers a slash command and returns the ack body', async () => {
    const res = await postToBot(botUrl, SECRET, slashCommand({ command: '/desk', text: 'status', user_id: 'U0AGENT', channel_id: 'C0SUPPORT' }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('on it');
    expect(seen[0]?.body).toMatchObject({ command: '/desk', text: 'status', user_id: 'U0AGENT', channel_id: 'C0SUPPORT', team_id: 'T0001' });
  });

  it('is rejected with 401 for a bad signature or a stale timestamp', async () => {
    const body = messageEvent({ channel: 'C0SUPPORT', user: 'U0CUSTOMER', text: 'x' });
    expect((await postToBot(botUrl, SECRET, body, { signature: 'v0=deadbeef' })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;
    expect((await postToBot(botUrl, SECRET, body, { timestamp: sixMinutesAgo })).status).toBe(401);
    expect(seen).toHaveLength(0);
  });
});
