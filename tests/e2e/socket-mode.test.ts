import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { messageEvent } from '../fakes/slack/index.js';

/**
 * Slack over Socket Mode (SLACK_APP_TOKEN set): the real SocketModeClient
 * connects to the fake's WebSocket; thread replies arrive as envelopes and are
 * acknowledged only once processed.
 */
describe('Slack in Socket Mode', () => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDesk({ store: 'embedded', env: { SLACK_APP_TOKEN: 'xapp-test', SLACK_SIGNING_SECRET: '' } });
  });
  afterAll(async () => { await h?.close(); });

  it('connects without any public URL and carries a claimer\'s reply to the customer, once per envelope retry', async () => {
    await h.slack.waitFor((s) => s.openSocketCount === 1, 5000);
    const act = actions(h);
    await act.customerWrites('491705550000', 'Socket hello', { name: 'Sol' });
    const post = await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.text === 'Socket hello'), 5000);
    const mine = h.slack.addUserMessage({ channel: 'C0SUPPORT', user: 'U0AGENT', text: 'Hello over the socket', thread_ts: post.thread_ts! });
    const event = messageEvent({ channel: 'C0SUPPORT', user: 'U0AGENT', text: mine.text, thread_ts: post.thread_ts!, ts: mine.ts });
    const ack = await h.slack.pushSocketEvent(event.payload, { type: 'events_api' });
    expect(ack.envelope_id).toBeTruthy();
    // Slack redelivers the same event (retry_attempt 1): processed once.
    await h.slack.pushSocketEvent(event.payload, { type: 'events_api', retryAttempt: 1, retryReason: 'timeout' });
    await h.graph.waitFor((g) => g.sent.find((s) => s.text === 'Hello over the socket'), 5000);
    await new Promise((r) => setTimeout(r, 800));
    expect(h.graph.sent.filter((s) => s.text === 'Hello over the socket')).toHaveLength(1);
    // No HTTP route for Slack events exists in Socket Mode.
    expect((await fetch(`${h.app.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
