import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { messageChanged, messageDeleted, postToBot } from '../fakes/slack/index.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram/index.js';
import { startDiscordDesk, DISCORD_USERS } from '../support/drivers/discord.js';
import { botLines, startTelegramDesk, TELEGRAM_USERS, TELEGRAM_WEBHOOK_SECRET } from '../support/drivers/telegram.js';
import type { DiscordFake } from '../fakes/discord/index.js';

const CHANNEL = 'C0SUPPORT';
const CUSTOMER = TELEGRAM_USERS.customer;

/** Telegram as a customer channel beside the agents' messenger: the bot's private chats, webhook mode. */
function telegramCustomerEnv(tg: TelegramFake): Record<string, string> {
  return { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_CHAT_ID: String(tg.groupId), TELEGRAM_API_ROOT: tg.url, TELEGRAM_WEBHOOK_SECRET };
}

async function pointWebhook(tg: TelegramFake, h: DeskHarness): Promise<void> {
  const res = await fetch(`${tg.url}/bot${tg.token}/setWebhook`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${h.app.url}/telegram/webhook`, secret_token: TELEGRAM_WEBHOOK_SECRET }),
  });
  if (!res.ok) throw new Error(`setWebhook on the fake failed: ${res.status}`);
}

/** What the customer's private chat shows now: the bot's messages not deleted, with their text. */
const customerSees = (tg: TelegramFake) => tg.privateMessagesTo(CUSTOMER).filter((m) => !m.deleted).map((m) => m.text);

/**
 * An agent's edit or delete of a reply already sent (SPEC §13), end to end:
 * Slack's signed message_changed / message_deleted events and Discord's
 * gateway MESSAGE_UPDATE / MESSAGE_DELETE change the Telegram customer's
 * message through the Bot API fake; on WhatsApp the thread is told the
 * customer still sees the original. Once each, however often delivered.
 */
describe.each(['embedded', 'redis'] as StoreKind[])('edits and deletes of replies from Slack on the %s store', (store) => {
  let h: DeskHarness;
  let tg: TelegramFake;
  let act: ReturnType<typeof actions>;
  const events = () => `${h.app.url}/slack/events`;
  const botTexts = (thread: string) => h.slack.threadReplies(CHANNEL, thread).filter((m) => m.bot_id).map((m) => m.text).join('\n');

  beforeAll(async () => {
    tg = await startTelegramFake();
    h = await startDesk({ store, env: telegramCustomerEnv(tg) });
    await pointWebhook(tg, h);
    act = actions(h);
  });
  afterAll(async () => { await h?.close(); await tg?.close(); });

  /** The agent's reply in the thread, once the customer got it (✓). */
  async function deliveredReply(thread: string, text: string): Promise<string> {
    const sent = await act.slackThreadMessage('U0AGENT', thread, text);
    const ts = sent.payload.event.ts;
    await h.slack.waitFor((s) => s.reactions.some((r) => r.ts === ts && r.name === 'white_check_mark'), 8000);
    return ts;
  }

  it('edits a delivered reply in the Telegram customer\'s chat, once however often Slack delivers the edit, then deletes it', async () => {
    await tg.userWritesPrivately(CUSTOMER, 'When does my order ship?');
    const header = await act.headerFor('When does my order ship?');
    const ts = await deliveredReply(header.ts, 'It ships on Monday');
    expect(customerSees(tg)).toEqual(['It ships on Monday']);

    const { message, previousText } = h.slack.userEditsMessage(CHANNEL, ts, 'It ships on *Tuesday*');
    const edit = messageChanged(message, previousText, { eventId: 'EvEDIT0001' });
    expect((await postToBot(events(), SECRETS.slackSigning, edit)).status).toBe(200);
    await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).some((m) => m.text === 'It ships on *Tuesday*' && m.edit_date), 8000);
    // Slack's retry of the same event, and a second event with the same wording: nothing more.
    await postToBot(events(), SECRETS.slackSigning, edit, { retryNum: 1, retryReason: 'http_timeout' });
    await postToBot(events(), SECRETS.slackSigning, messageChanged(message, previousText));
    expect(customerSees(tg)).toEqual(['It ships on *Tuesday*']);

    const gone = h.slack.userDeletesMessage(CHANNEL, ts);
    expect((await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone))).status).toBe(200);
    await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).every((m) => m.deleted), 8000);
    await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone));
    expect(tg.callsTo('editMessageText').filter((c) => c.status === 200)).toHaveLength(1);
    expect(tg.callsTo('deleteMessage').filter((c) => c.status === 200)).toHaveLength(1);
    expect(botTexts(header.ts)).not.toContain('still sees the original');
  });

  it('answers an edit of a reply to a WhatsApp customer in the thread: the customer still sees the original', async () => {
    await act.customerWrites('491702220001', 'Is the blue one in stock?', { name: 'Bo' });
    const header = await act.headerFor('Is the blue one in stock?');
    const ts = await deliveredReply(header.ts, 'Yes, 3 left');
    const sentBefore = h.graph.sent.length;
    const { message, previousText } = h.slack.userEditsMessage(CHANNEL, ts, 'Yes, 2 left');
    await postToBot(events(), SECRETS.slackSigning, messageChanged(message, previousText));
    await expect.poll(() => botTexts(header.ts), { timeout: 8000 }).toContain('✏️ You edited a reply, but WhatsApp cannot change a sent message. The customer still sees the original. Send the correction as a new reply.');
    const gone = h.slack.userDeletesMessage(CHANNEL, ts);
    await postToBot(events(), SECRETS.slackSigning, messageDeleted(gone));
    await expect.poll(() => botTexts(header.ts), { timeout: 8000 }).toContain('🗑️ You deleted a reply, but WhatsApp cannot take back a sent message.');
    expect(h.graph.sent.length).toBe(sentBefore);
  });

  it('ignores an edit of a note: it never went to the customer', async () => {
    await act.customerWrites('491702220002', 'Hello there');
    const header = await act.headerFor('Hello there');
    await deliveredReply(header.ts, 'Hi, how can I help?');
    const note = await act.slackThreadMessage('U0AGENT', header.ts, '// VIP, be quick');
    const edited = h.slack.userEditsMessage(CHANNEL, note.payload.event.ts, '// VIP, be very quick');
    await postToBot(events(), SECRETS.slackSigning, messageChanged(edited.message, edited.previousText));
    await new Promise((r) => setTimeout(r, 500));
    expect(botTexts(header.ts)).not.toContain('still sees the original');
  });
});

describe.each(['embedded', 'redis'] as StoreKind[])('deletes of replies from Discord on the %s store', (store) => {
  let h: DeskHarness;
  let discord: DiscordFake;
  let tg: TelegramFake;

  beforeAll(async () => {
    tg = await startTelegramFake();
    // Telegram serves customers only: the default queue's threads are Discord's.
    const started = await startDiscordDesk(store, { env: telegramCustomerEnv(tg), yaml: 'queues:\n  - name: default\n    assignment: manual\n    messenger: discord\n' });
    h = started.h;
    discord = started.fake;
    await pointWebhook(tg, h);
  });
  afterAll(async () => { await h?.close(); await tg?.close(); });

  it('deletes a reply in the Telegram customer\'s chat when it is deleted in the Discord thread, and edits it on MESSAGE_UPDATE', async () => {
    await tg.userWritesPrivately(CUSTOMER, 'Can I change my address?');
    const channel = discord.config.channels[0]!;
    const thread = await discord.waitFor((f) => f.threadsIn(channel).find((t) => f.messagesIn(t.id).some((m) => m.content.includes('Can I change my address?'))), 8000);
    const reply = discord.userWrites({ channelId: thread.id, userId: DISCORD_USERS.seat, content: 'Yes, send me the new one' });
    await discord.waitFor((f) => f.reactions.some((r) => r.messageId === reply.id && r.emoji === '✅'), 8000);
    expect(customerSees(tg)).toContain('Yes, send me the new one');

    discord.userEdits(reply.id, 'Yes, reply with the new address');
    await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).some((m) => m.text === 'Yes, reply with the new address'), 8000);

    discord.userDeletes(reply.id);
    await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).filter((m) => m.text === 'Yes, reply with the new address').every((m) => m.deleted), 8000);
    expect(customerSees(tg)).not.toContain('Yes, reply with the new address');
    expect(tg.callsTo('deleteMessage').filter((c) => c.status === 200)).toHaveLength(1);
  });
});

describe.each(['embedded', 'redis'] as StoreKind[])('edits of replies from a Telegram topic on the %s store', (store) => {
  let h: DeskHarness;
  let tg: TelegramFake;

  beforeAll(async () => {
    ({ h, fake: tg } = await startTelegramDesk(store, { mode: 'webhook' }));
    await tg.userStartsBot(TELEGRAM_USERS.seat);
  });
  afterAll(async () => { await h?.close(); });

  it('edits the customer\'s copy when the agent edits their reply in the topic (edited_message)', async () => {
    await tg.userWritesPrivately(CUSTOMER, 'Do you ship to Norway?');
    const topic = await tg.waitFor((f) => f.topics.find((t) => botLines(f, t.message_thread_id).includes('Do you ship to Norway?')), 8000);
    const reply = await tg.userWritesInTopic(TELEGRAM_USERS.seat, topic.message_thread_id, 'Yes, in 5 days');
    await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).some((m) => m.text === 'Yes, in 5 days'), 8000);
    await tg.userEditsMessage(TELEGRAM_USERS.seat, tg.groupId, reply.messageId, 'Yes, in 3 to 5 days');
    await tg.waitFor((f) => f.privateMessagesTo(CUSTOMER).some((m) => m.text === 'Yes, in 3 to 5 days' && m.edit_date), 8000);
    expect(customerSees(tg)).toEqual(['Yes, in 3 to 5 days']);
  });
});
