import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifySlackError } from '../../src/bot/slack/classify-error.js';
import { slackClientOptions } from '../../src/bot/slack/client-options.js';
import { QUIET_SLACK_LOGGER } from '../../src/bot/slack/slack-logger.js';
import { slackWebApiCall, type SlackCall } from '../../src/bot/slack/web-api-call.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import { rejection } from '../support/rejection.js';

/**
 * The outbox's direct Web API caller (src/bot/slack/web-api-call.ts) against
 * the Slack fake, beside the desk's own WebClient configured as the bot
 * configures it: the same answers and the same errors (code, retryAfter,
 * data, statusCode…), so classify-error.ts and post-once.ts decide alike.
 */
describe('slackWebApiCall', () => {
  let fake: SlackFake;
  let call: SlackCall;
  let client: webApi.WebClient;
  const logs: { level: number; msg: string; warning?: string }[] = [];
  const log = createLogger('debug', new Writable({ write(chunk, _enc, cb) { logs.push(JSON.parse(String(chunk))); cb(); } }));

  beforeAll(async () => {
    fake = await startSlackFake({ maxTextLength: 100 });
    call = slackWebApiCall('xoxb-test', fake.url, log);
    client = new webApi.WebClient('xoxb-test', { ...slackClientOptions(fake.url), logger: QUIET_SLACK_LOGGER });
  });
  afterEach(() => { fake.reset(); logs.length = 0; });
  afterAll(async () => { await fake.close(); });

  /** Both paths' error for the same scripted answer, as the outbox reads them. */
  async function bothFail(method: string, args: Record<string, unknown>, script?: () => void) {
    script?.();
    const direct = await rejection(call(method, args));
    script?.();
    const sdk = await rejection(client.apiCall(method, args));
    return { direct, sdk };
  }

  it('posts JSON with the bearer token and returns Slack\'s answer; the message is stored as the client stores it', async () => {
    const args = {
      channel: 'C0SUPPORT', thread_ts: '1700000000.000100', text: 'héllo <b>', unfurl_links: false, unfurl_media: false,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'héllo' } }],
      metadata: { event_type: 'threaddesk_post', event_payload: { key: 'item-1:0' } },
    };
    const res = await call('chat.postMessage', args);
    expect(res).toMatchObject({ ok: true, channel: 'C0SUPPORT' });
    expect(typeof res.ts).toBe('string');
    const viaSdk = await client.chat.postMessage(args);
    const [mine, theirs] = [fake.message('C0SUPPORT', res.ts as string)!, fake.message('C0SUPPORT', viaSdk.ts!)!];
    const stored = (m: typeof mine) => ({ text: m.text, blocks: m.blocks, metadata: m.metadata, thread_ts: m.thread_ts, unfurl_links: m.unfurl_links, unfurl_media: m.unfurl_media });
    expect(stored(mine)).toEqual(stored(theirs));
    expect(mine.metadata).toEqual(args.metadata);
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({ status: 200, ok: true, tokenType: 'bot' });
    expect(logs.filter((l) => l.level >= 40)).toEqual([]);
  });

  it('answers a 429 with the rate-limited error and Retry-After in seconds', async () => {
    const { direct, sdk } = await bothFail('chat.postMessage', { channel: 'C0SUPPORT', text: 'x' }, () => fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 }));
    expect(direct).toBeInstanceOf(webApi.WebAPIRateLimitedError);
    expect(direct).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
    expect(pick(direct)).toEqual(pick(sdk));
    expect(classifySlackError(direct, 1, log, 'post')).toEqual({ kind: 'retry', afterMs: 7000, reason: 'post: rate limited', destinationWide: true });
    expect(classifySlackError(direct, 1, log, 'post')).toEqual(classifySlackError(sdk, 1, log, 'post'));
  });

  it('is rate-limited by the fake\'s own per-channel bucket like the client', async () => {
    for (let i = 0; i < 3; i++) await call('chat.postMessage', { channel: 'C0SUPPORT', text: `burst ${i}` });
    const err = await rejection(call('chat.postMessage', { channel: 'C0SUPPORT', text: 'one too many' }));
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: expect.any(Number) });
    expect((err as { retryAfter: number }).retryAfter).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['channel_not_found', { channel: 'C0NOWHERE', text: 'x' }, { kind: 'retry', reason: 'post: channel_not_found' }],
    ['msg_too_long', { channel: 'C0SUPPORT', text: 'x'.repeat(101) }, { kind: 'failed', consumed: 1, reason: 'post: msg_too_long' }],
    ['invalid_blocks_format', { channel: 'C0SUPPORT', text: 'x', blocks: 'not json' }, { kind: 'failed', consumed: 1, reason: 'post: invalid_blocks_format' }],
  ])('answers ok:false %s with the platform error, classified as for the client', async (code, args, outcome) => {
    const { direct, sdk } = await bothFail('chat.postMessage', args);
    expect(direct).toBeInstanceOf(webApi.WebAPIPlatformError);
    expect(direct).toMatchObject({ code: 'slack_webapi_platform_error', data: { ok: false, error: code } });
    expect(pick(direct)).toEqual(pick(sdk));
    expect(classifySlackError(direct, 1, log, 'post')).toEqual(outcome);
    expect(classifySlackError(direct, 1, log, 'post')).toEqual(classifySlackError(sdk, 1, log, 'post'));
  });

  it('answers a wrong token with invalid_auth, as the client does', async () => {
    const wrong = slackWebApiCall('xoxb-wrong', fake.url, log);
    const err = await rejection(wrong('chat.postMessage', { channel: 'C0SUPPORT', text: 'x' }));
    expect(err).toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'invalid_auth' } });
  });

  it('answers an HTTP 500 with the HTTP error: status, status text, headers and body', async () => {
    const { direct, sdk } = await bothFail('chat.postMessage', { channel: 'C0SUPPORT', text: 'x' }, () => fake.failNext('chat.postMessage', { status: 500 }));
    expect(direct).toBeInstanceOf(webApi.WebAPIHTTPError);
    expect(direct).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500, statusMessage: 'Internal Server Error', body: '500 Internal Server Error' });
    expect((direct as { headers: Record<string, string> }).headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(pick(direct)).toEqual(pick(sdk));
    expect(classifySlackError(direct, 1, log, 'post')).toEqual(classifySlackError(sdk, 1, log, 'post'));
  });

  it('answers a lost answer (the connection reset after the call took effect) with the request error', async () => {
    const { direct, sdk } = await bothFail('chat.postMessage', { channel: 'C0SUPPORT', text: 'x' }, () => fake.loseAnswerNext('chat.postMessage'));
    expect(direct).toBeInstanceOf(webApi.WebAPIRequestError);
    expect(direct).toMatchObject({ code: 'slack_webapi_request_error', original: expect.any(Error) });
    expect(pick(direct).code).toBe(pick(sdk).code);
    expect(classifySlackError(direct, 1, log, 'post')).toMatchObject({ kind: 'retry' });
  });

  it('answers a refused connection with the request error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const nowhere = slackWebApiCall('xoxb-test', `http://127.0.0.1:${port}/api/`, log);
    const err = await rejection(nowhere('chat.postMessage', { channel: 'C0SUPPORT', text: 'x' }));
    expect(err).toMatchObject({ code: 'slack_webapi_request_error', original: expect.objectContaining({ code: 'ECONNREFUSED' }) });
  });

  describe('against a server that does not answer', () => {
    let silent: Server;
    let url: string;
    beforeAll(async () => {
      silent = createServer(() => { /* never answers */ });
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/`;
    });
    afterAll(async () => { silent.closeAllConnections(); await new Promise((r) => silent.close(r)); });

    it('gives up after its timeout with the request error', async () => {
      const slow = slackWebApiCall('xoxb-test', url, log, 150);
      const started = Date.now();
      const err = await rejection(slow('chat.postMessage', { channel: 'C0SUPPORT', text: 'x' }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(err).toMatchObject({ code: 'slack_webapi_request_error', original: expect.any(Error) });
    });
  });

  it('logs the warnings Slack puts beside ok:true, as the client does', async () => {
    const res = await call('chat.postMessage', { channel: 'C0SUPPORT', text: 'x', metadata: { event_type: 'Not Valid!', event_payload: {} } });
    expect(res.ok).toBe(true);
    expect(logs.filter((l) => l.level === 40).map((l) => l.warning)).toEqual(['invalid_metadata_schema']);
  });
});

/** The fields the outbox and the logs read from a Web API error. */
function pick(err: unknown): Record<string, unknown> {
  const e = err as Record<string, unknown> & { data?: Record<string, unknown> };
  // The client adds the token's scopes from `x-oauth-scopes` to `data.response_metadata`; nothing here reads them.
  const data = e.data ? { ...e.data, response_metadata: undefined } : undefined;
  return { name: e.name, message: e.message, code: e.code, retryAfter: e.retryAfter, data, statusCode: e.statusCode, statusMessage: e.statusMessage, body: e.body };
}
