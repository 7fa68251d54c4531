import { afterEach, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import type { SlackFake } from '../fakes/slack/index.js';

/**
 * Slack has no idempotency key, so a kill between Slack's answer to
 * chat.postMessage and the outbox's record used to post a header or a thread
 * post twice after the restart. Each post now carries its key in message
 * metadata behind an attempt marker; a post whose answer was lost is looked
 * for (conversations.history for headers, conversations.replies in threads)
 * and not made again. The "kill" here is the fake losing the answer, then the
 * app stopping before its retry and a new one (another instance id) starting
 * on the same store.
 */

const SEARCHES = ['conversations.history', 'conversations.replies'];
const searches = (slack: SlackFake) => slack.calls.filter((c) => SEARCHES.includes(c.method));
/** Messages the bot posted at the top of the channel: header cards. */
const headers = (slack: SlackFake) => slack.messages.filter((m) => m.channel === 'C0SUPPORT' && !m.thread_ts && m.bot_id);
/** Thread posts whose lines include `text`. */
const postsOf = (slack: SlackFake, text: string) => slack.messages.filter((m) => m.thread_ts && m.text.split('\n').includes(text));
/** chat.postMessage calls that carried `text`, whatever their answer. */
const attemptsOf = (slack: SlackFake, text: string) => slack.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').split('\n').includes(text));

describe.each<StoreKind>(['embedded', 'redis'])('Slack posts whose answer was lost, across a restart, on the %s store', (store) => {
  let first: DeskHarness | undefined;
  let second: DeskHarness | undefined;
  afterEach(async () => {
    await second?.close();
    if (!second) await first?.close();
    first = second = undefined;
  });

  /** Stops the first app before its retry (the first backoff is 1 s) and starts another on the same store and fakes. */
  const restart = async (h: DeskHarness): Promise<DeskHarness> => {
    await h.app.shutdown();
    return startDesk({ store, slack: {}, reuse: { slack: h.slack, graph: h.graph, callbacks: h.callbacks, dataDir: h.dataDir, prefix: h.prefix } });
  };
  const lostAnswer = (slack: SlackFake, text: string) => slack.waitFor(() => attemptsOf(slack, text).find((c) => c.status === 0), 5000);

  it('opens the thread once when the header was posted but its answer was lost', async () => {
    first = await startDesk({ store, slack: { postRate: false } });
    first.slack.loseAnswerNext('chat.postMessage');
    await actions(first).customerWrites('491705550301', 'Is my parcel lost?', { name: 'Hana' });
    await first.slack.waitFor((s) => s.callsTo('chat.postMessage').some((c) => c.status === 0), 5000);
    expect(headers(first.slack)).toHaveLength(1);

    second = await restart(first);
    const post = await second.slack.waitFor((s) => postsOf(s, 'Is my parcel lost?')[0], 10_000);
    const only = headers(second.slack);
    expect(only, 'one header, the one whose answer was lost').toHaveLength(1);
    expect(post.thread_ts).toBe(only[0]!.ts);
    expect(second.slack.callsTo('conversations.history').filter((c) => c.ok)).toHaveLength(1);
    // The thread is recorded as the normal path records it: the next message lands in it.
    await actions(second).customerWrites('491705550301', 'Hello again');
    expect((await second.slack.waitFor((s) => postsOf(s, 'Hello again')[0], 5000)).thread_ts).toBe(only[0]!.ts);
    expect(headers(second.slack)).toHaveLength(1);
  }, 30_000);

  it('posts a thread message once when it was posted but its answer was lost', async () => {
    first = await startDesk({ store, slack: { postRate: false } });
    const act = actions(first);
    await act.customerWrites('491705550302', 'First question', { name: 'Ivo' });
    const header = await act.headerFor('First question');
    first.slack.loseAnswerNext('chat.postMessage');
    await act.customerWrites('491705550302', 'Second question');
    await lostAnswer(first.slack, 'Second question');

    second = await restart(first);
    await actions(second).customerWrites('491705550302', 'Third question');
    await second.slack.waitFor((s) => postsOf(s, 'Third question')[0], 10_000);
    expect(postsOf(second.slack, 'Second question')).toHaveLength(1);
    expect(attemptsOf(second.slack, 'Second question'), 'never posted again').toHaveLength(1);
    const replies = second.slack.callsTo('conversations.replies');
    expect(replies.filter((c) => c.ok).map((c) => c.args.ts)).toEqual([header.ts]);
    const lines = second.slack.threadReplies('C0SUPPORT', header.ts).flatMap((m) => m.text.split('\n'));
    expect(lines, 'in order, each once').toEqual(['First question', 'Second question', 'Third question']);
  }, 30_000);

  it('posts each part of a text over 40,000 characters once when a part was posted but its answer was lost', async () => {
    first = await startDesk({ store, slack: { postRate: false } });
    const act = actions(first);
    await act.customerWrites('491705550307', 'Opening', { name: 'Nia' });
    const header = await act.headerFor('Opening');
    const long = Array.from({ length: 9000 }, (_, i) => `w${i}`).join(' ');
    expect(long.length).toBeGreaterThan(40_000);
    first.slack.loseAnswerNext('chat.postMessage');
    await act.customerWrites('491705550307', long);
    await first.slack.waitFor((s) => s.callsTo('chat.postMessage').some((c) => c.status === 0 && String(c.args.text).startsWith('w0 ')), 5000);

    second = await restart(first);
    await second.slack.waitFor((s) => s.threadReplies('C0SUPPORT', header.ts).some((m) => m.text.endsWith('w8999')), 10_000);
    const parts = second.slack.threadReplies('C0SUPPORT', header.ts).slice(1).map((m) => m.text);
    expect(parts, 'two parts, each once').toHaveLength(2);
    expect(parts.join(' ')).toBe(long);
    expect(second.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').startsWith('w0 ')), 'the first part never posted again').toHaveLength(1);
  }, 30_000);
});

describe('Slack posts on the embedded store, one process', () => {
  let h: DeskHarness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  it('makes no search on the happy path, and every post carries its key in metadata', async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false } });
    const act = actions(h);
    for (const text of ['one', 'two', 'three']) await act.customerWrites('491705550303', text, { name: 'Jo' });
    await h.slack.waitFor((s) => postsOf(s, 'three')[0], 5000);
    expect(searches(h.slack)).toEqual([]);
    const posted = h.slack.messages.filter((m) => m.bot_id && m.channel === 'C0SUPPORT');
    expect(posted.length).toBeGreaterThanOrEqual(2);
    const keys = posted.map((m) => (m.metadata?.event_payload as { key?: string } | undefined)?.key);
    for (const m of posted) expect(m.metadata?.event_type).toBe('threaddesk_post');
    expect(new Set(keys).size, 'one key per post').toBe(posted.length);
  }, 20_000);

  it('does not search after a clean ratelimited or ok:false answer, which proves nothing was posted', async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false } });
    const act = actions(h);
    await act.customerWrites('491705550304', 'Opening', { name: 'Kai' });
    await act.headerFor('Opening');
    h.slack.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await act.customerWrites('491705550304', 'After a 429');
    await h.slack.waitFor((s) => postsOf(s, 'After a 429')[0], 10_000);
    h.slack.failNext('chat.postMessage', { error: 'fatal_error' });
    await act.customerWrites('491705550304', 'After fatal_error');
    await h.slack.waitFor((s) => postsOf(s, 'After fatal_error')[0], 10_000);

    expect(attemptsOf(h.slack, 'After a 429').map((c) => c.status)).toEqual([429, 200]);
    expect(attemptsOf(h.slack, 'After fatal_error').map((c) => c.error ?? 'ok')).toEqual(['fatal_error', 'ok']);
    expect(searches(h.slack)).toEqual([]);
    expect(postsOf(h.slack, 'After a 429')).toHaveLength(1);
    expect(postsOf(h.slack, 'After fatal_error')).toHaveLength(1);
  }, 20_000);

  it('after an HTTP 503, which proves nothing, looks for the post, does not find it, and posts it once', async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false } });
    const act = actions(h);
    await act.customerWrites('491705550305', 'Opening', { name: 'Lea' });
    await act.headerFor('Opening');
    h.slack.failNext('chat.postMessage', { status: 503 });
    await act.customerWrites('491705550305', 'After a 503');
    await h.slack.waitFor((s) => postsOf(s, 'After a 503')[0], 10_000);
    expect(attemptsOf(h.slack, 'After a 503').map((c) => c.status)).toEqual([503, 200]);
    expect(h.slack.callsTo('conversations.replies').filter((c) => c.ok)).toHaveLength(1);
    expect(postsOf(h.slack, 'After a 503')).toHaveLength(1);
  }, 20_000);

  it('posts anyway, once, and names the missing scope when Slack refuses the search (missing_scope)', async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false } });
    const act = actions(h);
    await act.customerWrites('491705550308', 'Opening', { name: 'Ole' });
    await act.headerFor('Opening');
    h.slack.failNext('chat.postMessage', { status: 503 });
    h.slack.failNext('conversations.replies', { error: 'missing_scope' });
    await act.customerWrites('491705550308', 'Unsearchable');
    await h.slack.waitFor((s) => postsOf(s, 'Unsearchable')[0], 10_000);
    expect(postsOf(h.slack, 'Unsearchable')).toHaveLength(1);
    expect(h.logs.join('')).toContain('add channels:history (groups:history for a private channel)');
  }, 20_000);

  it('finds its own post whose answer was lost on the retry, without a restart', async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false } });
    const act = actions(h);
    await act.customerWrites('491705550306', 'Opening', { name: 'Mo' });
    await act.headerFor('Opening');
    h.slack.loseAnswerNext('chat.postMessage');
    await act.customerWrites('491705550306', 'Answer lost');
    // Written once the lost attempt is made, so the two do not coalesce into that one post.
    await h.slack.waitFor((s) => attemptsOf(s, 'Answer lost').find((c) => c.status === 0), 5000);
    await act.customerWrites('491705550306', 'Next one');
    await h.slack.waitFor((s) => attemptsOf(s, 'Next one').find((c) => c.status === 200), 10_000);
    expect(attemptsOf(h.slack, 'Answer lost')).toHaveLength(1);
    expect(postsOf(h.slack, 'Answer lost')).toHaveLength(1);
    expect(h.slack.callsTo('conversations.replies').filter((c) => c.ok)).toHaveLength(1);
  }, 20_000);
});
