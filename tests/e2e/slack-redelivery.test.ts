import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { slackDriver } from '../support/drivers/slack.js';
import type { DriverSession } from '../support/messenger-driver.js';
import { SECRETS } from '../support/start-desk.js';
import { messageEvent, postToBot } from '../fakes/slack/index.js';
import { keys } from '../../src/core/keys.js';

/**
 * A Slack retry that arrives while the first attempt's in-flight mark is still
 * there: on Redis a process killed a moment ago counts as alive for up to 3 s
 * (its heartbeat key), so the mark looks live. Answering that retry 200 would
 * lose the reply for good; it is answered 503, and the next retry, once the
 * dead process's heartbeat is gone, is processed.
 */
describe('a Slack retry of an event whose first attempt is still marked in flight, on Redis', () => {
  let s: DriverSession;
  let thread: string;
  beforeAll(async () => {
    s = await slackDriver.start('redis');
    await actions(s.h).customerWrites('491709990011', 'Where is my refund?', { name: 'Uma' });
    thread = await s.threadWith('Where is my refund?');
  }, 30_000);
  afterAll(async () => { await s?.h.close(); });

  it('is answered 503 with nothing sent while the mark names a live process, then processed once that process is gone', async () => {
    const { store } = s.h.app;
    const eventId = 'EvKILLEDMIDREPLY';
    const dead = 'killed-a-moment-ago';
    // What a process leaves when it is killed after taking the event: its in-flight mark and its last heartbeat.
    await store.setIfAbsent(keys.dedupe('slack', `event:${eventId}`), `pending:${dead}`, 120_000);
    await store.setString(`alive:${dead}`, String(Date.now()), 3_000);

    const text = 'Your refund left our bank today';
    const ts = s.h.slack.addUserMessage({ channel: 'C0SUPPORT', user: s.users.seat, text, thread_ts: thread }).ts;
    const req = messageEvent({ channel: 'C0SUPPORT', user: s.users.seat, text, thread_ts: thread, ts, event_id: eventId });
    const retry = (n: number) => postToBot(`${s.h.app.url}/slack/events`, SECRETS.slackSigning, req, { retryNum: n, retryReason: 'http_error' });

    const early = await retry(1);
    expect(early.status).toBe(503);
    expect(early.headers['retry-after']).toBe('5');
    expect(JSON.parse(early.text)).toMatchObject({ error: 'in_progress' });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.h.graph.sent.filter((m) => m.text === text)).toEqual([]);

    await store.deleteString(`alive:${dead}`);
    expect((await retry(2)).status).toBe(200);
    await s.h.graph.waitFor((g) => g.sent.find((m) => m.text === text), 5000);
    expect((await retry(3)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(s.h.graph.sent.filter((m) => m.text === text)).toHaveLength(1);
  }, 20_000);
});
