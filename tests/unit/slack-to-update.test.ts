import { describe, expect, it } from 'vitest';
import { changeToUpdate, messageToUpdate, slackToPlain, type SlackMessageEvent } from '../../src/bot/slack/to-update.js';

const BOT_USER = 'U0BOT';
const TEAM = 'T0001';

/** A person's reply in a thread, as the Events API delivers it (no subtype for humans). */
const reply = (over: Partial<SlackMessageEvent> = {}): SlackMessageEvent => ({
  type: 'message',
  channel: 'C0SUPPORT',
  user: 'U0AGENT',
  text: 'On its way!',
  ts: '1700000001.000200',
  thread_ts: '1700000000.000100',
  team: TEAM,
  ...over,
});

describe('slackToPlain', () => {
  it('writes a labelled link as label and URL', () => {
    expect(slackToPlain('Track it <https://track.example.com/118|here>.')).toBe('Track it here (https://track.example.com/118).');
  });

  it('writes a bare link or a link labelled with itself as the URL', () => {
    expect(slackToPlain('<https://example.com/a?b=1>')).toBe('https://example.com/a?b=1');
    expect(slackToPlain('<https://example.com|https://example.com>')).toBe('https://example.com');
    expect(slackToPlain('<http://example.com/x|x>')).toBe('x (http://example.com/x)');
  });

  it('unescapes &amp; inside link URLs', () => {
    expect(slackToPlain('<https://shop.example.com/?a=1&amp;b=2|your order>')).toBe('your order (https://shop.example.com/?a=1&b=2)');
  });

  it('writes mailto links as the address', () => {
    expect(slackToPlain('Mail <mailto:help@example.com|help@example.com>')).toBe('Mail help@example.com');
    expect(slackToPlain('<mailto:help@example.com>')).toBe('help@example.com');
  });

  it('writes channel and user references by their names', () => {
    expect(slackToPlain('See <#C0123ABC|billing> and ask <@U0ANA|ana>')).toBe('See #billing and ask @ana');
    expect(slackToPlain('<@W0ENTERPRISE|bob>')).toBe('@bob');
  });

  it('writes @here, @channel and @everyone as words', () => {
    expect(slackToPlain('<!here> <!channel> <!everyone>')).toBe('@here @channel @everyone');
  });

  it('unescapes Slack\'s three entities exactly once', () => {
    expect(slackToPlain('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
    // The agent typed the literal text "&lt;": Slack sends "&amp;lt;".
    expect(slackToPlain('type &amp;lt; for <')).toBe('type &lt; for <');
  });

  it('leaves text without markup untouched, including emoji and other languages', () => {
    const text = 'Danke schön! 👍 我们马上处理。';
    expect(slackToPlain(text)).toBe(text);
  });

  it('does not turn escaped angle brackets typed by the agent into markup', () => {
    expect(slackToPlain('&lt;https://evil.example.com|click&gt;')).toBe('<https://evil.example.com|click>');
  });
});

describe('messageToUpdate', () => {
  it('turns a person\'s thread reply into a neutral thread message', () => {
    expect(messageToUpdate(reply({ text: 'Track <https://t.example.com|here>' }), TEAM, BOT_USER)).toEqual({
      kind: 'thread_message',
      actor: { platform: 'slack', userId: 'U0AGENT' },
      location: { workspace: TEAM, channel: 'C0SUPPORT', thread: '1700000000.000100' },
      messageId: '1700000001.000200',
      text: 'Track here (https://t.example.com)',
      mentions: [],
    });
  });

  it('falls back to the app\'s team when the event has none', () => {
    const { team: _t, ...noTeam } = reply();
    expect(messageToUpdate(noTeam as SlackMessageEvent, 'T0FALLBACK', BOT_USER)?.location.workspace).toBe('T0FALLBACK');
  });

  it('ignores any message carrying a bot_id, with or without a subtype or user', () => {
    expect(messageToUpdate(reply({ bot_id: 'B0OTHER' }), TEAM, BOT_USER)).toBeUndefined();
    expect(messageToUpdate(reply({ bot_id: 'B0BOT', user: BOT_USER }), TEAM, BOT_USER)).toBeUndefined();
    expect(messageToUpdate(reply({ bot_id: 'B0HOOK', subtype: 'bot_message', user: undefined }), TEAM, BOT_USER)).toBeUndefined();
  });

  it('ignores the bot\'s own user even without a bot_id', () => {
    expect(messageToUpdate(reply({ user: BOT_USER }), TEAM, BOT_USER)).toBeUndefined();
  });

  it('ignores a message without a user', () => {
    expect(messageToUpdate(reply({ user: undefined }), TEAM, BOT_USER)).toBeUndefined();
  });

  it('ignores edits, deletions, joins and other subtypes', () => {
    for (const subtype of ['message_changed', 'message_deleted', 'channel_join', 'bot_message', 'me_message', 'thread_broadcast_changed', 'tombstone']) {
      expect(messageToUpdate(reply({ subtype }), TEAM, BOT_USER), subtype).toBeUndefined();
    }
  });

  it('accepts file shares and thread broadcasts, which are people writing', () => {
    expect(messageToUpdate(reply({ subtype: 'file_share' }), TEAM, BOT_USER)?.kind).toBe('thread_message');
    expect(messageToUpdate(reply({ subtype: 'thread_broadcast' }), TEAM, BOT_USER)?.kind).toBe('thread_message');
  });

  it('ignores top-level messages and the thread\'s parent message', () => {
    expect(messageToUpdate(reply({ thread_ts: undefined }), TEAM, BOT_USER)).toBeUndefined();
    expect(messageToUpdate(reply({ ts: '1700000000.000100', thread_ts: '1700000000.000100' }), TEAM, BOT_USER)).toBeUndefined();
  });

  it('lists mentioned users and enterprise users, without the bot itself', () => {
    const update = messageToUpdate(reply({ text: `<@${BOT_USER}> <@U0ANA> please ask <@W0BOB|bob>` }), TEAM, BOT_USER);
    expect(update?.mentions).toEqual(['U0ANA', 'W0BOB']);
  });

  it('does not take channel references, @here or escaped text for mentions', () => {
    const update = messageToUpdate(reply({ text: '<#C0123|billing> <!here> &lt;@U0FAKE&gt; <@u0lower>' }), TEAM, BOT_USER);
    expect(update?.mentions).toEqual([]);
  });

  it('treats a missing text as empty', () => {
    const { text: _t, ...noText } = reply({ subtype: 'file_share' });
    expect(messageToUpdate(noText as SlackMessageEvent, TEAM, BOT_USER)?.text).toBe('');
  });
});

describe('messageToUpdate with files', () => {
  /** A `file_share` as Slack sends it: `files[]` with id, name, mode and private URLs. */
  const file = (name: string) => ({ id: 'F0FILE1', name, title: name, mimetype: 'image/png', filetype: 'png', mode: 'hosted', url_private: `https://files.slack.com/files-pri/T0001-F0FILE1/${name}`, url_private_download: `https://files.slack.com/files-pri/T0001-F0FILE1/download/${name}` });

  it('carries the files of a file share by reference: name, type, size and the download URL the bot token fetches', () => {
    const update = messageToUpdate(reply({ subtype: 'file_share', text: 'Here is the label', files: [{ ...file('label.png'), size: 2048 }, { ...file('invoice.pdf'), mimetype: 'Application/PDF; charset=binary' }] }), TEAM, BOT_USER);
    expect(update).toMatchObject({ text: 'Here is the label', files: [
      { name: 'label.png', mime: 'image/png', size: 2048, platform: 'slack', ref: 'https://files.slack.com/files-pri/T0001-F0FILE1/download/label.png' },
      { name: 'invoice.pdf', mime: 'application/pdf', platform: 'slack', ref: 'https://files.slack.com/files-pri/T0001-F0FILE1/download/invoice.pdf' },
    ] });
    expect(update?.files?.[1]).not.toHaveProperty('size');
  });

  it('names files shared without the file_share subtype, and files without a name', () => {
    const update = messageToUpdate(reply({ text: '', files: [{}] as SlackMessageEvent['files'] }), TEAM, BOT_USER);
    expect(update?.files).toEqual([{ name: 'file', mime: 'application/octet-stream', platform: 'slack', ref: '' }]);
  });

  it('has no files for a plain reply, and tolerates a malformed files field', () => {
    expect(messageToUpdate(reply(), TEAM, BOT_USER)?.files).toBeUndefined();
    expect(messageToUpdate(reply({ files: 'x' as unknown as SlackMessageEvent['files'] }), TEAM, BOT_USER)?.files).toBeUndefined();
    expect(messageToUpdate(reply({ files: [null] as unknown as SlackMessageEvent['files'] }), TEAM, BOT_USER)?.files).toEqual([{ name: 'file', mime: 'application/octet-stream', platform: 'slack', ref: '' }]);
  });
});

describe('changeToUpdate', () => {
  const inThread = { user: 'U0AGENT', ts: '1700000001.000200', thread_ts: '1700000000.000100' };
  const changed = (message: Record<string, unknown>): SlackMessageEvent => ({ type: 'message', subtype: 'message_changed', channel: 'C0SUPPORT', ts: '1700000009.000900', team: TEAM, message, previous_message: { ...message, text: 'old' } } as SlackMessageEvent);

  it('turns a person\'s edit of a thread reply into the new wording of that message, mrkdwn made plain', () => {
    expect(changeToUpdate(changed({ ...inThread, text: '<@U0BOT> see <https://x.example|here>' }), TEAM, BOT_USER)).toEqual({
      kind: 'reply_changed', actor: { platform: 'slack', userId: 'U0AGENT' },
      location: { workspace: TEAM, channel: 'C0SUPPORT', thread: '1700000000.000100' }, messageId: '1700000001.000200', text: 'see here (https://x.example)',
    });
  });

  it('finds the edited message by the previous one when the new `message` leaves out ts and thread_ts', () => {
    const event = { type: 'message', subtype: 'message_changed', channel: 'C0SUPPORT', ts: '1700000009.000900', message: { type: 'message', user: 'U0AGENT', text: 'updated' }, previous_message: { ...inThread, text: 'old' } } as SlackMessageEvent;
    expect(changeToUpdate(event, TEAM, BOT_USER)).toMatchObject({ messageId: inThread.ts, location: { thread: inThread.thread_ts }, text: 'updated' });
  });

  it('turns message_deleted into a change without text, by the deleted message\'s author', () => {
    const deleted = { type: 'message', subtype: 'message_deleted', channel: 'C0SUPPORT', ts: '1700000009.000900', deleted_ts: inThread.ts, previous_message: { ...inThread, text: 'old' } } as SlackMessageEvent;
    expect(changeToUpdate(deleted, TEAM, BOT_USER)).toMatchObject({ kind: 'reply_changed', actor: { userId: 'U0AGENT' }, messageId: inThread.ts });
    expect(changeToUpdate(deleted, TEAM, BOT_USER)).not.toHaveProperty('text');
  });

  it('ignores the bot\'s own and other bots\' messages, top-level messages, other subtypes and edits that leave no words', () => {
    expect(changeToUpdate(changed({ ...inThread, user: BOT_USER, text: 'x' }), TEAM, BOT_USER)).toBeUndefined();
    expect(changeToUpdate(changed({ ...inThread, bot_id: 'B1', text: 'x' }), TEAM, BOT_USER)).toBeUndefined();
    expect(changeToUpdate(changed({ ...inThread, thread_ts: inThread.ts, text: 'x' }), TEAM, BOT_USER)).toBeUndefined();
    expect(changeToUpdate(changed({ ...inThread, text: '  ' }), TEAM, BOT_USER)).toBeUndefined();
    expect(changeToUpdate(reply(), TEAM, BOT_USER)).toBeUndefined();
    expect(changeToUpdate({ ...changed({ ...inThread, text: 'x' }), message: undefined }, TEAM, BOT_USER)).toBeUndefined();
  });
});
