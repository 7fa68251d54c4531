import { afterAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { postToBot, slashCommand } from '../fakes/slack/index.js';
import { SECRETS } from '../support/start-desk.js';

/**
 * The thread mapping is keyed by platform, workspace, channel and thread: when
 * the operator points the queue at another channel, a conversation's next
 * message opens a fresh thread there instead of posting into the stale one
 * (anchors.md B4: Chatwoot #5448, Papercups #365).
 */
describe('moving the queue to another channel', () => {
  // The second desk reuses the first one's fakes and DATA_DIR; closing it closes them.
  let second: DeskHarness | undefined;
  afterAll(async () => { await second?.close(); });

  it('opens a new thread in the new channel and never posts into the old one', async () => {
    const first = await startDesk({ store: 'embedded', slack: { channels: ['C0SUPPORT', 'C0NEWDESK'], postRate: false } });
    await actions(first).customerWrites('491707770000', 'Before the move', { name: 'Moe' });
    const oldHeader = await actions(first).headerFor('Before the move');
    await first.app.shutdown();

    second = await startDesk({
      store: 'embedded',
      env: { SLACK_CHANNEL: 'C0NEWDESK' },
      reuse: { slack: first.slack, graph: first.graph, callbacks: first.callbacks, dataDir: first.dataDir },
    });
    await actions(second).customerWrites('491707770000', 'After the move');
    const post = await second.slack.waitFor((s) => s.messages.find((m) => m.text === 'After the move'), 5000).catch((e) => { console.log(second!.logs.join('')); console.log(JSON.stringify(second!.slack.calls.slice(-5))); throw e; });
    expect(post.channel).toBe('C0NEWDESK');
    expect(post.thread_ts).not.toBe(oldHeader.ts);
    expect(second.slack.message('C0NEWDESK', post.thread_ts!)?.bot_id).toBeTruthy();
    expect(second.slack.threadReplies('C0SUPPORT', oldHeader.ts).map((m) => m.text)).toEqual(['Before the move']);
    // Both messages belong to one conversation, now mirrored in the new thread.
    const conv = await second.app.desk.conversations.byThread('slack', 'T0001', 'C0NEWDESK', post.thread_ts!);
    expect((await second.app.desk.conversations.transcript(conv!.id)).map((e) => e.text)).toEqual(['Before the move', 'After the move']);
  });
});

describe('slash commands outside a thread', () => {
  let h: DeskHarness;
  afterAll(async () => { await h?.close(); });

  it('answers /claim in the channel privately with what to type in the thread instead', async () => {
    h = await startDesk({ store: 'embedded' });
    const res = await postToBot(`${h.app.url}/slack/events`, SECRETS.slackSigning, slashCommand({ command: '/claim', text: '', user_id: 'U0AGENT', channel_id: 'C0SUPPORT' }));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('!claim');
  });
});
