import {
  ErrorCode,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type WebClientOptions,
} from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from './start-slack-fake.js';
import { rejection } from '../../support/rejection.js';

let fake: SlackFake;

/** A real WebClient pointed at the fake, configured the way the bot uses it. */
function client(token: string | null = 'xoxb-test', extra: WebClientOptions = {}): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: fake.url,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...extra,
  });
}

async function platformError(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  return (error as WebAPIPlatformError).data.error;
}

beforeEach(async () => {
  fake = await startSlackFake();
});

afterEach(async () => {
  await fake.close();
});

describe('Slack fake Web API, driven by the real WebClient', () => {
  it('posts a message with blocks and metadata and answers like chat.postMessage', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*New conversation*' } }];
    const res = await client().chat.postMessage({
      channel: 'C0SUPPORT',
      text: 'New conversation',
      blocks,
      metadata: { event_type: 'conversation_opened', event_payload: { conversation_id: 'c1' } },
      unfurl_links: false,
    });
    expect(res.ok).toBe(true);
    expect(res.channel).toBe('C0SUPPORT');
    // A ts is the post's unix time with six decimals, as Slack's.
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Math.abs(Number(res.ts) - Date.now() / 1000)).toBeLessThan(5);
    expect(res.message).toMatchObject({ type: 'message', user: 'U0BOT', bot_id: 'B0BOT', text: 'New conversation', blocks });
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({
      channel: 'C0SUPPORT',
      ts: res.ts,
      blocks,
      unfurl_links: false,
      metadata: { event_type: 'conversation_opened', event_payload: { conversation_id: 'c1' } },
    });
    expect(fake.callsTo('chat.postMessage')[0]).toMatchObject({ status: 200, ok: true, tokenType: 'bot' });
  });

  it('threads replies under the parent and returns the thread from conversations.replies', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'parent' });
    const reply = await web.chat.postMessage({
      channel: 'C0SUPPORT',
      text: 'reply',
      thread_ts: parent.ts!,
      metadata: { event_type: 'customer_message', event_payload: { id: 'm1' } },
    });
    fake.addUserMessage({ channel: 'C0SUPPORT', user: 'U0AGENT', text: 'agent answer', thread_ts: parent.ts! });
    expect(reply.ts! > parent.ts!).toBe(true);
    expect(fake.threadReplies('C0SUPPORT', parent.ts!).map((m) => m.text)).toEqual(['reply', 'agent answer']);

    const withMeta = await web.conversations.replies({ channel: 'C0SUPPORT', ts: parent.ts!, include_all_metadata: true });
    expect(withMeta.messages?.map((m) => m.text)).toEqual(['parent', 'reply', 'agent answer']);
    expect(withMeta.messages?.[0]).toMatchObject({ reply_count: 2, thread_ts: parent.ts, latest_reply: expect.any(String) });
    expect(withMeta.messages?.[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0BOT' });
    expect(withMeta.messages?.[1]?.metadata).toEqual({ event_type: 'customer_message', event_payload: { id: 'm1' } });
    expect(withMeta.messages?.[2]).not.toHaveProperty('bot_id');

    const withoutMeta = await web.conversations.replies({ channel: 'C0SUPPORT', ts: reply.ts! });
    expect(withoutMeta.messages).toHaveLength(3);
    expect(withoutMeta.messages?.[1]).not.toHaveProperty('metadata');
    expect(await platformError(web.conversations.replies({ channel: 'C0SUPPORT', ts: '1.000001' }))).toBe('thread_not_found');
  });

  it('keeps the replies of a thread per channel, without a deleted one, and forgets them on reset', async () => {
    await fake.close();
    fake = await startSlackFake({ channels: ['C0SUPPORT', 'C0OTHER'] });
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'parent' });
    const first = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'first', thread_ts: parent.ts! });
    await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'second', thread_ts: parent.ts! });
    // Slack's ts is unique per channel only: the same ts elsewhere is another thread.
    fake.addUserMessage({ channel: 'C0OTHER', user: 'U0AGENT', text: 'elsewhere', thread_ts: parent.ts! });
    expect(fake.threadReplies('C0SUPPORT', parent.ts!).map((m) => m.text)).toEqual(['first', 'second']);

    expect(fake.userDeletesMessage('C0SUPPORT', first.ts!).text).toBe('first');
    expect(fake.message('C0SUPPORT', first.ts!)).toBeUndefined();
    expect(fake.threadReplies('C0SUPPORT', parent.ts!).map((m) => m.text)).toEqual(['second']);
    expect(fake.messages.map((m) => m.text)).toEqual(['parent', 'second', 'elsewhere']);
    const thread = await web.conversations.replies({ channel: 'C0SUPPORT', ts: parent.ts! });
    expect(thread.messages?.map((m) => m.text)).toEqual(['parent', 'second']);
    expect(thread.messages?.[0]).toMatchObject({ reply_count: 1 });
    expect(() => fake.userDeletesMessage('C0SUPPORT', first.ts!)).toThrow(/no message/);

    fake.reset();
    expect(fake.message('C0SUPPORT', parent.ts!)).toBeUndefined();
    expect(fake.threadReplies('C0SUPPORT', parent.ts!)).toEqual([]);
    expect(await platformError(web.conversations.replies({ channel: 'C0SUPPORT', ts: parent.ts! }))).toBe('thread_not_found');
  });

  it('updates its own messages in place and refuses others', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'v1', blocks: [{ type: 'divider' }] });
    const updated = await web.chat.update({ channel: 'C0SUPPORT', ts: posted.ts!, text: 'v2' });
    expect(updated).toMatchObject({ ok: true, channel: 'C0SUPPORT', ts: posted.ts, text: 'v2' });
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ text: 'v2', blocks: [{ type: 'divider' }], edited: { user: 'U0BOT' } });

    expect(await platformError(web.chat.update({ channel: 'C0SUPPORT', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    const human = fake.addUserMessage({ channel: 'C0SUPPORT', user: 'U0AGENT', text: 'mine' });
    expect(await platformError(web.chat.update({ channel: 'C0SUPPORT', ts: human.ts, text: 'x' }))).toBe('cant_update_message');
  });

  it('posts ephemeral messages to members only', async () => {
    const web = client();
    const res = await web.chat.postEphemeral({ channel: 'C0SUPPORT', user: 'U0AGENT', text: 'only you', thread_ts: '1700000000.000100' });
    expect(res.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemerals).toEqual([
      expect.objectContaining({ channel: 'C0SUPPORT', user: 'U0AGENT', text: 'only you', ts: res.message_ts }),
    ]);
    expect(fake.messages).toHaveLength(0);
    expect(await platformError(web.chat.postEphemeral({ channel: 'C0SUPPORT', user: 'U0NOBODY', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
  });

  it('adds reactions once and reports already_reacted and message_not_found', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'hi' });
    await web.reactions.add({ channel: 'C0SUPPORT', timestamp: posted.ts!, name: 'white_check_mark' });
    expect(fake.reactions).toEqual([{ channel: 'C0SUPPORT', ts: posted.ts, name: 'white_check_mark', user: 'U0BOT' }]);
    expect(
      await platformError(web.reactions.add({ channel: 'C0SUPPORT', timestamp: posted.ts!, name: 'white_check_mark' })),
    ).toBe('already_reacted');
    expect(await platformError(web.reactions.add({ channel: 'C0SUPPORT', timestamp: '1.000001', name: 'eyes' }))).toBe(
      'message_not_found',
    );
  });

  it('opens a stable DM per user and records messages posted there as dms', async () => {
    const web = client();
    const first = await web.conversations.open({ users: 'U0CUSTOMER' });
    const second = await web.conversations.open({ users: 'U0CUSTOMER' });
    expect(first).toMatchObject({ ok: true, channel: { id: 'D0CUSTOMER' } });
    expect(first).not.toHaveProperty('already_open');
    expect(second).toMatchObject({ ok: true, no_op: true, already_open: true, channel: { id: 'D0CUSTOMER' } });
    await web.chat.postMessage({ channel: first.channel!.id!, text: 'hello in private' });
    expect(fake.dms.map((m) => m.text)).toEqual(['hello in private']);
    expect(await platformError(web.conversations.open({ users: 'U0NOBODY' }))).toBe('user_not_found');
  });

  it('uploads a file into a thread with filesUploadV2', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'parent' });
    const res = await web.filesUploadV2({
      channel_id: 'C0SUPPORT',
      thread_ts: parent.ts!,
      filename: 'invoice.txt',
      content: 'total: 42',
      initial_comment: 'Customer sent a file',
    });
    expect(res.ok).toBe(true);
    expect(fake.files).toHaveLength(1);
    expect(fake.files[0]).toMatchObject({ filename: 'invoice.txt', length: 9, completed: true, thread_ts: parent.ts });
    expect(fake.files[0]?.bytes?.toString()).toBe('total: 42');
    const [shared] = fake.threadReplies('C0SUPPORT', parent.ts!);
    expect(shared).toMatchObject({ text: 'Customer sent a file', bot_id: 'B0BOT' });
    expect(shared?.files?.[0]).toMatchObject({ id: fake.files[0]?.id, name: 'invoice.txt', mimetype: 'text/plain', size: 9 });
    expect(fake.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
  });

  it('rate-limits chat.postMessage per channel: a burst of 3, then 429 with Retry-After, then passes again', async () => {
    const web = client();
    for (let i = 0; i < 3; i += 1) await web.chat.postMessage({ channel: 'C0SUPPORT', text: `burst ${i}` });
    const error = await rejection(web.chat.postMessage({ channel: 'C0SUPPORT', text: 'one too many' }));
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(1);
    expect(fake.rateLimitedCount).toBe(1);
    expect(fake.messages).toHaveLength(3);
    expect(fake.calls.at(-1)).toMatchObject({ status: 429, error: 'ratelimited' });

    // Another channel has its own budget.
    fake.config.channels.add('C0OTHER');
    await web.chat.postMessage({ channel: 'C0OTHER', text: 'elsewhere' });

    await new Promise((resolve) => setTimeout(resolve, 1000));
    await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'after waiting' });
    expect(fake.messages.map((m) => m.text)).toContain('after waiting');
  });

  it('applies tier budgets per method', async () => {
    await fake.close();
    fake = await startSlackFake({ tierRate: { tier3: { perMinute: 50, burst: 2 } } });
    const web = client();
    const posted = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'v0' });
    await web.chat.update({ channel: 'C0SUPPORT', ts: posted.ts!, text: 'v1' });
    await web.chat.update({ channel: 'C0SUPPORT', ts: posted.ts!, text: 'v2' });
    const error = await rejection(web.chat.update({ channel: 'C0SUPPORT', ts: posted.ts!, text: 'v3' }));
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(2);
    expect(fake.messages[0]?.text).toBe('v2');
    await web.users.info({ user: 'U0AGENT' });
  });

  it('never rate-limits when postRate is false', async () => {
    await fake.close();
    fake = await startSlackFake({ postRate: false });
    const web = client();
    for (let i = 0; i < 20; i += 1) await web.chat.postMessage({ channel: 'C0SUPPORT', text: `m${i}` });
    expect(fake.rateLimitedCount).toBe(0);
  });

  it('rejects bad, missing and wrong-type tokens with HTTP 200 errors', async () => {
    expect(await platformError(client('xoxb-wrong').chat.postMessage({ channel: 'C0SUPPORT', text: 'x' }))).toBe('invalid_auth');
    expect(await platformError(client(null).chat.postMessage({ channel: 'C0SUPPORT', text: 'x' }))).toBe('not_authed');
    expect(await platformError(client('xapp-test').chat.postMessage({ channel: 'C0SUPPORT', text: 'x' }))).toBe(
      'not_allowed_token_type',
    );
    expect(await platformError(client('xoxb-test').apps.connections.open({}))).toBe('not_allowed_token_type');
    expect(fake.calls.every((c) => c.status === 200)).toBe(true);
    expect(fake.messages).toHaveLength(0);
  });

  it('validates arguments like Slack', async () => {
    // Failed calls count against the channel budget too, so lift it here.
    await fake.close();
    fake = await startSlackFake({ postRate: false });
    const web = client();
    expect(await platformError(web.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await platformError(web.chat.postMessage({ channel: 'C0SUPPORT', text: '' }))).toBe('no_text');
    expect(await platformError(web.chat.postMessage({ channel: 'C0SUPPORT', text: 'x'.repeat(40_001) }))).toBe('msg_too_long');
    expect(await platformError(web.apiCall('chat.postMessage', { channel: 'C0SUPPORT', blocks: '[{' }))).toBe(
      'invalid_blocks_format',
    );
    expect(await platformError(web.apiCall('nope.method'))).toBe('unknown_method');
    await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'x'.repeat(40_000) });
  });

  it('validates message metadata like Slack: an object with a string event_type and an object event_payload', async () => {
    await fake.close();
    fake = await startSlackFake({ postRate: false });
    const web = client();
    const post = (metadata: unknown) => web.apiCall('chat.postMessage', { channel: 'C0SUPPORT', text: 'm', metadata });
    expect(await platformError(post('{not json'))).toBe('invalid_metadata_format');
    expect(await platformError(post('["threaddesk_post"]'))).toBe('invalid_metadata_format');
    expect(await platformError(post({ event_payload: { key: 'k' } }))).toBe('invalid_metadata_schema');
    expect(await platformError(post({ event_type: 7, event_payload: { key: 'k' } }))).toBe('invalid_metadata_schema');
    expect(await platformError(post({ event_type: 'threaddesk_post' }))).toBe('invalid_metadata_schema');
    expect(await platformError(post({ event_type: 'threaddesk_post', event_payload: 'k' }))).toBe('invalid_metadata_schema');
    expect(fake.messages).toHaveLength(0);
    // Punctuation in event_type: posted, metadata dropped, a warning beside ok.
    const dotted = await post({ event_type: 'threaddesk.post', event_payload: { key: 'k' } });
    expect(dotted).toMatchObject({ ok: true, warning: 'invalid_metadata_schema', response_metadata: { warnings: ['invalid_metadata_schema'] } });
    expect(fake.messages[0]!.metadata).toBeUndefined();
    await post({ event_type: 'threaddesk_post', event_payload: { key: 'k' } });
    expect(fake.messages[1]!.metadata).toEqual({ event_type: 'threaddesk_post', event_payload: { key: 'k' } });
  });

  it('answers conversations.history newest first, top-level messages and thread parents only, in pages', async () => {
    await fake.close();
    fake = await startSlackFake({ postRate: false, outsideChannels: ['C0ELSEWHERE'] });
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'parent', metadata: { event_type: 'threaddesk_post', event_payload: { key: 'p' } } });
    await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'reply', thread_ts: parent.ts! });
    await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'broadcast', thread_ts: parent.ts!, reply_broadcast: true });
    const texts: string[] = [];
    for (let i = 1; i <= 4; i++) texts.push((await web.chat.postMessage({ channel: 'C0SUPPORT', text: `top ${i}` })).ts!);

    const all = await web.conversations.history({ channel: 'C0SUPPORT' });
    expect(all.messages!.map((m) => m.text)).toEqual(['top 4', 'top 3', 'top 2', 'top 1', 'broadcast', 'parent']);
    expect(all.has_more).toBe(false);
    expect(all.messages![5]).toMatchObject({ reply_count: 2, thread_ts: parent.ts });
    expect(all.messages![5]!.metadata).toBeUndefined();
    const withMetadata = await web.conversations.history({ channel: 'C0SUPPORT', include_all_metadata: true });
    expect(withMetadata.messages![5]!.metadata).toEqual({ event_type: 'threaddesk_post', event_payload: { key: 'p' } });

    // oldest/latest are exclusive unless inclusive.
    const between = await web.conversations.history({ channel: 'C0SUPPORT', oldest: texts[0], latest: texts[3] });
    expect(between.messages!.map((m) => m.text)).toEqual(['top 3', 'top 2']);
    const inclusive = await web.conversations.history({ channel: 'C0SUPPORT', oldest: texts[0], latest: texts[3], inclusive: true });
    expect(inclusive.messages!.map((m) => m.text)).toEqual(['top 4', 'top 3', 'top 2', 'top 1']);

    // limit + cursor walk toward older messages.
    const first = await web.conversations.history({ channel: 'C0SUPPORT', limit: 4 });
    expect(first.messages!.map((m) => m.text)).toEqual(['top 4', 'top 3', 'top 2', 'top 1']);
    expect(first.has_more).toBe(true);
    const second = await web.conversations.history({ channel: 'C0SUPPORT', limit: 4, cursor: first.response_metadata!.next_cursor! });
    expect(second.messages!.map((m) => m.text)).toEqual(['broadcast', 'parent']);
    expect(second.has_more).toBe(false);

    expect(await platformError(web.conversations.history({ channel: 'C0SUPPORT', cursor: 'bm9wZQ==' }))).toBe('invalid_cursor');
    expect(await platformError(web.conversations.history({ channel: 'C0NOPE' }))).toBe('channel_not_found');
    expect(await platformError(web.conversations.history({ channel: 'C0ELSEWHERE' }))).toBe('not_in_channel');
    expect(await platformError(web.chat.postMessage({ channel: 'C0ELSEWHERE', text: 'x' }))).toBe('not_in_channel');
  });

  it('loses the answer of a call that took effect when told to (loseAnswerNext)', async () => {
    const web = client(undefined, { timeout: 2000 });
    fake.loseAnswerNext('chat.postMessage');
    const error = await rejection(web.chat.postMessage({ channel: 'C0SUPPORT', text: 'taken, never answered' }));
    expect((error as { code?: string }).code).toBe(ErrorCode.RequestError);
    expect(fake.messages.map((m) => m.text)).toEqual(['taken, never answered']);
    expect(fake.callsTo('chat.postMessage').map((c) => [c.status, c.ok])).toEqual([[0, true]]);
    // Only the scripted number of answers is lost.
    expect((await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'answered' })).ok).toBe(true);
  });

  it('accepts JSON bodies as well as form bodies', async () => {
    const res = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0SUPPORT', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C0SUPPORT' });
    expect(fake.messages[0]).toMatchObject({ text: 'json', blocks: [{ type: 'divider' }] });
  });

  it('answers auth.test and users.info with the configured identity', async () => {
    const web = client();
    expect(await web.auth.test()).toMatchObject({ ok: true, user_id: 'U0BOT', bot_id: 'B0BOT', team_id: 'T0001' });
    const info = await web.users.info({ user: 'U0CUSTOMER' });
    expect(info.user).toMatchObject({ id: 'U0CUSTOMER', name: 'casey', real_name: 'Casey Customer', is_bot: false });
    expect(await platformError(web.users.info({ user: 'U0NOBODY' }))).toBe('user_not_found');
  });

  it('fails the next calls on request, with a Slack error or an HTTP status', async () => {
    const web = client();
    fake.failNext('chat.postMessage', { error: 'fatal_error' });
    expect(await platformError(web.chat.postMessage({ channel: 'C0SUPPORT', text: 'x' }))).toBe('fatal_error');
    fake.failNext('chat.postMessage', { status: 500, count: 2 });
    for (let i = 0; i < 2; i += 1) {
      const error = await rejection(web.chat.postMessage({ channel: 'C0SUPPORT', text: 'x' }));
      expect(error).toBeInstanceOf(WebAPIHTTPError);
      expect((error as WebAPIHTTPError).statusCode).toBe(500);
    }
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    expect(((await rejection(web.chat.postMessage({ channel: 'C0SUPPORT', text: 'x' }))) as WebAPIRateLimitedError).retryAfter).toBe(7);
    await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'finally' });
    expect(fake.messages.map((m) => m.text)).toEqual(['finally']);
  });

  it('waitFor resolves on a later change and times out with the recent calls', async () => {
    const web = client();
    const waiting = fake.waitFor((f) => f.messages.find((m) => m.text === 'later'));
    setTimeout(() => void web.chat.postMessage({ channel: 'C0SUPPORT', text: 'later' }), 50);
    expect((await waiting).channel).toBe('C0SUPPORT');

    await platformError(web.chat.postMessage({ channel: 'C0NOPE', text: 'x' }));
    const error = await rejection(fake.waitFor((f) => f.messages.length > 5, 100));
    expect((error as Error).message).toMatch(/within 100 ms/);
    expect((error as Error).message).toMatch(/chat\.postMessage → 200 channel_not_found/);
  });

  it('reset forgets state but keeps serving', async () => {
    const web = client();
    await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'before' });
    fake.reset();
    expect(fake.messages).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
    const after = await web.chat.postMessage({ channel: 'C0SUPPORT', text: 'after' });
    expect(after.ok).toBe(true);
    expect(fake.messages.map((m) => m.text)).toEqual(['after']);
  });
});
